package dev.vecpersist.api;

import java.util.IdentityHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * An order-independent digest of a database's whole content: the sum, lane-wise modulo 2<sup>64</sup>,
 * of a 128-bit hash of each entry's canonical encoding (its id's UTF-16 units, the raw bits of every vector
 * component, its metadata as {@link MetadataWalker#canonical} walks it, each value tagged with its type),
 * with the number of entries (a multiset
 * hash in the manner of LtHash). Two states with the same entries give the same value whatever their
 * order; an entry can be {@linkplain #add added} or {@linkplain #remove removed} in constant time, so
 * the digest of a state derived from another by a few changes costs only those changes.
 *
 * <p>Any single change to one entry (its id, one bit of a vector component, including the payload of
 * a NaN and the sign of a zero, or a metadata value) changes the value for sure: each 64-bit word of
 * the encoding enters the first lane through a bijection. It is a check against accidents (a change
 * missed, a wrong state applied), not against an adversary: the per-entry hash is not cryptographic.
 * The SHA-256 of a snapshot's bytes covers tampering.
 *
 * <p>The value reads {@code fp128:} followed by the entry count, a colon and 32 hex digits. Not thread-safe.
 */
public final class StateFingerprint {

    /** Prefix of the values this class produces. */
    public static final String PREFIX = "fp128:";

    private static final long K1 = 0x9E3779B97F4A7C15L;
    private static final long K2 = 0xC2B2AE3D27D4EB4FL;
    private static final long K3 = 0x165667B19E3779F9L;

    private static final long TAG_NULL = 0x7A00;
    private static final long TAG_STRING = 0x7A01;
    private static final long TAG_TRUE = 0x7A02;
    private static final long TAG_FALSE = 0x7A03;
    private static final long TAG_LONG = 0x7A04;
    private static final long TAG_DOUBLE = 0x7A05;
    private static final long TAG_LIST = 0x7A06;
    private static final long TAG_MAP = 0x7A07;
    private static final long TAG_END = 0x7A08;

    private final MetadataWalker<RuntimeException> metadata = MetadataWalker.canonical(new MetadataWords());
    private long sumA;
    private long sumB;
    private long count;
    /** The running lanes of the entry being hashed. */
    private long a;
    private long b;

    /** Starts the digest of an empty state. */
    public StateFingerprint() {
    }

    /**
     * The digest of a whole state.
     *
     * @param entries every entry of the state, in any order
     * @return the value, e.g. {@code fp128:3:0123...}
     * @throws IllegalArgumentException when an entry's metadata is outside {@link MetadataValues}' model
     */
    public static String of(Iterable<VectorEntry> entries) {
        StateFingerprint f = new StateFingerprint();
        for (VectorEntry e : entries) {
            f.add(e);
        }
        return f.value();
    }

    /**
     * Adds one entry to the state digested.
     *
     * @param entry the entry
     * @throws IllegalArgumentException when its metadata is outside {@link MetadataValues}' model
     */
    public void add(VectorEntry entry) {
        hash(entry);
        sumA += a;
        sumB += b;
        count++;
    }

    /**
     * Removes one entry that was {@linkplain #add added} (or is part of the state a value was taken from).
     *
     * @param entry the entry, as it was added
     * @throws IllegalArgumentException when its metadata is outside {@link MetadataValues}' model
     */
    public void remove(VectorEntry entry) {
        hash(entry);
        sumA -= a;
        sumB -= b;
        count--;
    }

    /**
     * Continues from a value this class produced, e.g. to derive the digest of a changed state.
     *
     * @param value a value of {@link #value()}
     * @return a digest holding that value
     * @throws IllegalArgumentException when {@code value} is not such a value
     */
    public static StateFingerprint parse(String value) {
        if (value == null || !value.startsWith(PREFIX)) {
            throw new IllegalArgumentException("not a state fingerprint: " + value);
        }
        String rest = value.substring(PREFIX.length());
        int colon = rest.indexOf(':');
        if (colon < 1 || rest.length() - colon - 1 != 32) {
            throw new IllegalArgumentException("not a state fingerprint: " + value);
        }
        StateFingerprint f = new StateFingerprint();
        try {
            f.count = Long.parseLong(rest.substring(0, colon));
            f.sumA = Long.parseUnsignedLong(rest.substring(colon + 1, colon + 17), 16);
            f.sumB = Long.parseUnsignedLong(rest.substring(colon + 17), 16);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a state fingerprint: " + value, e);
        }
        return f;
    }

    /** {@return the number of entries in the state digested} */
    public long count() {
        return count;
    }

    /** {@return the digest so far, e.g. {@code fp128:3:0123456789abcdef0123456789abcdef}} */
    public String value() {
        return PREFIX + count + ":" + String.format(Locale.ROOT, "%016x%016x", sumA, sumB);
    }

    @Override
    public String toString() {
        return value();
    }

    /**
     * Digests successive states of one database cheaply: it remembers each entry's hash by identity
     * (stored entries are immutable and shared with the database, see {@link VectorEntry}), so a state
     * that differs little from the last one digested costs a lookup per entry plus hashing only the
     * entries not seen then. It holds references (never copies) to the entries of the last state
     * digested until the next {@link #of} or {@link #clear()}. Not thread-safe.
     */
    public static final class Cache {
        private IdentityHashMap<VectorEntry, long[]> hashes = new IdentityHashMap<>();

        /** Starts empty. */
        public Cache() {
        }

        /**
         * The digest of a whole state, as {@link StateFingerprint#of} gives it.
         *
         * @param entries every entry of the state, in any order
         * @return the value
         * @throws IllegalArgumentException when an entry's metadata is outside {@link MetadataValues}' model
         */
        public String of(Iterable<VectorEntry> entries) {
            IdentityHashMap<VectorEntry, long[]> seen = new IdentityHashMap<>(Math.max(16, hashes.size()));
            StateFingerprint f = new StateFingerprint();
            for (VectorEntry e : entries) {
                long[] h = hashes.get(e);
                if (h == null) {
                    f.hash(e);
                    h = new long[] {f.a, f.b};
                }
                seen.put(e, h);
                f.sumA += h[0];
                f.sumB += h[1];
                f.count++;
            }
            hashes = seen;
            return f.value();
        }

        /** Forgets every entry (and releases the references). */
        public void clear() {
            hashes = new IdentityHashMap<>();
        }
    }

    /** Hashes one entry into the lanes {@link #a} and {@link #b}; the encoding delimits itself, so it is injective. */
    private void hash(VectorEntry entry) {
        a = K3;
        b = K2;
        string(entry.id());
        float[] v = entry.vector();
        word(v.length);
        int i = 0;
        for (; i + 1 < v.length; i += 2) {
            word((Float.floatToRawIntBits(v[i]) & 0xFFFFFFFFL) | ((long) Float.floatToRawIntBits(v[i + 1]) << 32));
        }
        if (i < v.length) {
            word(Float.floatToRawIntBits(v[i]) & 0xFFFFFFFFL);
        }
        Map<String, Object> meta = entry.metadata();
        if (meta.isEmpty()) {
            word(TAG_MAP);
            word(0);
        } else {
            metadata.walkMap(meta);
        }
        a = mix(a);
        b = mix(b ^ a);
    }

    /** Feeds a string: its length in UTF-16 units, then the units, four to a word (no bytes allocated). */
    private void string(String s) {
        int n = s.length();
        word(n);
        int i = 0;
        for (; i + 4 <= n; i += 4) {
            word(s.charAt(i) | (long) s.charAt(i + 1) << 16 | (long) s.charAt(i + 2) << 32 | (long) s.charAt(i + 3) << 48);
        }
        if (i < n) {
            long w = 0;
            for (int k = n - 1; k >= i; k--) {
                w = (w << 16) | s.charAt(k);
            }
            word(w);
        }
    }

    /** Feeds one word: for fixed lanes, each step is a bijection of {@code x}, and the steps after are bijections of the lane. */
    private void word(long x) {
        a = Long.rotateLeft((a ^ x) * K1, 31);
        b = Long.rotateLeft((b + x) * K2, 27) * 5 + 0x52DCE729;
    }

    /** MurmurHash3's 64-bit finaliser: a bijection that spreads every bit over the word. */
    private static long mix(long h) {
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        h *= 0xC4CEB9FE1A85EC53L;
        h ^= h >>> 33;
        return h;
    }

    /** Metadata as {@link MetadataWalker#canonical} walks it (keys sorted), one tagged word sequence per value. */
    private final class MetadataWords implements MetadataVisitor<RuntimeException> {
        @Override
        public void nullValue() {
            word(TAG_NULL);
        }

        @Override
        public void booleanValue(boolean value) {
            word(value ? TAG_TRUE : TAG_FALSE);
        }

        @Override
        public void longValue(long value, Number source) {
            word(TAG_LONG);
            word(value);
        }

        @Override
        public void doubleValue(double value, Number source) {
            word(TAG_DOUBLE);
            word(Double.doubleToRawLongBits(value));
        }

        @Override
        public void stringValue(String value, int utf8Bytes) {
            word(TAG_STRING);
            string(value);
        }

        @Override
        public void startList(int size) {
            word(TAG_LIST);
            word(size);
        }

        @Override
        public void endList() {
            word(TAG_END);
        }

        @Override
        public void startMap(int size) {
            word(TAG_MAP);
            word(size);
        }

        @Override
        public void key(String key, int utf8Bytes) {
            string(key);
        }

        @Override
        public void endMap() {
            word(TAG_END);
        }
    }
}
