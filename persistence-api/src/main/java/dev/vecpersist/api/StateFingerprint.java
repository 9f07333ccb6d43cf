package dev.vecpersist.api;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * An order-independent digest of a database's whole content: the sum, lane-wise modulo 2<sup>64</sup>,
 * of a 128-bit hash of each entry's canonical encoding (its id, the raw bits of every vector component,
 * its metadata as {@link MetadataWalker#canonical} walks it), with the number of entries (a multiset
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

    private final MetadataBytes metadata = new MetadataBytes();
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

    /** Hashes one entry into the lanes {@link #a} and {@link #b}. */
    private void hash(VectorEntry entry) {
        a = K3;
        b = K2;
        byte[] id = entry.id().getBytes(StandardCharsets.UTF_8);
        word(id.length);
        bytes(id, id.length);
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
            word(-1);
        } else {
            int n = metadata.encode(meta);
            word(n);
            bytes(metadata.bytes(), n);
        }
        a = mix(a);
        b = mix(b ^ a);
    }

    /** Feeds {@code n} bytes, zero-padded to whole words (the length went before). */
    private void bytes(byte[] bytes, int n) {
        int i = 0;
        for (; i + 8 <= n; i += 8) {
            long w = 0;
            for (int k = 7; k >= 0; k--) {
                w = (w << 8) | (bytes[i + k] & 0xFF);
            }
            word(w);
        }
        if (i < n) {
            long w = 0;
            for (int k = n - 1; k >= i; k--) {
                w = (w << 8) | (bytes[k] & 0xFF);
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

    /** The canonical encoding of metadata: a tag per value, keys sorted, numbers as 8 little-endian bytes. */
    private static final class MetadataBytes implements MetadataVisitor<RuntimeException> {
        private final MetadataWalker<RuntimeException> walker = MetadataWalker.canonical(this);
        private ByteBuffer out = ByteBuffer.allocate(256).order(ByteOrder.LITTLE_ENDIAN);

        int encode(Map<String, Object> map) {
            out.clear();
            walker.walkMap(map);
            return out.position();
        }

        byte[] bytes() {
            return out.array();
        }

        @Override
        public void nullValue() {
            ensure(1).put((byte) 0);
        }

        @Override
        public void booleanValue(boolean value) {
            ensure(1).put((byte) (value ? 2 : 3));
        }

        @Override
        public void longValue(long value, Number source) {
            ensure(9).put((byte) 4).putLong(value);
        }

        @Override
        public void doubleValue(double value, Number source) {
            ensure(9).put((byte) 5).putLong(Double.doubleToRawLongBits(value));
        }

        @Override
        public void stringValue(String value, int utf8Bytes) {
            ensure(1).put((byte) 1);
            string(value);
        }

        @Override
        public void startList(int size) {
            ensure(5).put((byte) 6).putInt(size);
        }

        @Override
        public void endList() {
            ensure(1).put((byte) 10);
        }

        @Override
        public void startMap(int size) {
            ensure(5).put((byte) 7).putInt(size);
        }

        @Override
        public void key(String key, int utf8Bytes) {
            string(key);
        }

        @Override
        public void endMap() {
            ensure(1).put((byte) 11);
        }

        private void string(String s) {
            byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
            ensure(4 + bytes.length).putInt(bytes.length).put(bytes);
        }

        private ByteBuffer ensure(int more) {
            if (out.remaining() < more) {
                ByteBuffer bigger = ByteBuffer.allocate(Math.max(out.capacity() * 2, out.position() + more))
                        .order(ByteOrder.LITTLE_ENDIAN);
                out.flip();
                bigger.put(out);
                out = bigger;
            }
            return out;
        }
    }
}
