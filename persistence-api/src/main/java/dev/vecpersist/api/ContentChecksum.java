package dev.vecpersist.api;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.zip.CRC32C;

/**
 * The checksum every state file carries: a CRC32C over a canonical encoding of the header and of
 * each entry and deletion, in file order. Being computed over the decoded content rather than the
 * bytes, it is the same for one state in every format, catches any change that alters what loads,
 * and ignores what does not (whitespace in JSON, free pages in SQLite).
 *
 * <p>The value reads {@code crc32c:} followed by 8 hex digits. Not thread-safe.
 */
public final class ContentChecksum {

    /** Prefix of the values this class produces. */
    public static final String PREFIX = "crc32c:";

    private static final byte TAG_NULL = 0;
    private static final byte TAG_STRING = 1;
    private static final byte TAG_TRUE = 2;
    private static final byte TAG_FALSE = 3;
    private static final byte TAG_LONG = 4;
    private static final byte TAG_DOUBLE = 5;
    private static final byte TAG_LIST = 6;
    private static final byte TAG_MAP = 7;
    private static final byte TAG_ENTRY = 8;
    private static final byte TAG_DELETION = 9;

    private final CRC32C crc = new CRC32C();
    private final MetadataWalker<RuntimeException> values = MetadataWalker.canonical(new ValueEncoder());
    private ByteBuffer scratch = ByteBuffer.allocate(4096).order(ByteOrder.LITTLE_ENDIAN);
    private byte[] vectorBytes;
    private FloatBuffer vectorView;

    /**
     * Starts a checksum over the given header.
     *
     * @param header the state's header; every field takes part
     */
    public ContentChecksum(StateHeader header) {
        scratch.clear();
        putString("vecpersist-content-1");
        scratch.put((byte) header.kind().ordinal());
        scratch.putInt(header.dimension());
        putString(header.metric().fileName());
        scratch.putLong(header.entryCount());
        scratch.putLong(header.deletionCount());
        scratch.putLong(header.createdAt().toEpochMilli());
        flushScratch();
        putValue(header.userMetadata());
        byte[] index = header.indexState();
        scratch.clear();
        scratch.putInt(index == null ? -1 : index.length);
        flushScratch();
        if (index != null) {
            crc.update(index);
        }
    }

    /**
     * Adds one entry.
     *
     * @param entry the entry, in file order
     * @throws IllegalArgumentException when its metadata holds a value outside {@link MetadataValues}' model
     */
    public void addEntry(VectorEntry entry) {
        float[] v = entry.vector();
        scratch.clear();
        scratch.put(TAG_ENTRY);
        putString(entry.id());
        ensure(4);
        scratch.putInt(v.length);
        flushScratch();
        crc.update(littleEndian(v), 0, v.length * Float.BYTES);
        putValue(entry.metadata());
    }

    /** The vector's float32s in little-endian order, copied in bulk into a reused buffer. */
    private byte[] littleEndian(float[] v) {
        if (vectorView == null || vectorView.capacity() < v.length) {
            ByteBuffer bytes = ByteBuffer.allocate(v.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            vectorBytes = bytes.array();
            vectorView = bytes.asFloatBuffer();
        }
        vectorView.clear();
        vectorView.put(v);
        return vectorBytes;
    }

    /**
     * Adds one deleted id.
     *
     * @param id the id, in file order, after every entry
     */
    public void addDeletion(String id) {
        scratch.clear();
        scratch.put(TAG_DELETION);
        putString(id);
        flushScratch();
    }

    /** {@return the checksum so far, e.g. {@code crc32c:1a2b3c4d}} */
    public String value() {
        return PREFIX + String.format(Locale.ROOT, "%08x", crc.getValue());
    }

    private void putValue(Object value) {
        scratch.clear();
        // keys sorted, so that a format free to reorder keys gives the same checksum
        values.walkValue(value);
        flushScratch();
    }

    /** The canonical encoding of metadata: a tag per value, keys sorted, numbers as 8 little-endian bytes. */
    private final class ValueEncoder implements MetadataVisitor<RuntimeException> {
        @Override
        public void nullValue() {
            put(TAG_NULL);
        }

        @Override
        public void booleanValue(boolean value) {
            put(value ? TAG_TRUE : TAG_FALSE);
        }

        @Override
        public void longValue(long value, Number source) {
            ensure(9);
            scratch.put(TAG_LONG).putLong(value);
        }

        @Override
        public void doubleValue(double value, Number source) {
            ensure(9);
            scratch.put(TAG_DOUBLE).putLong(Double.doubleToLongBits(value));
        }

        @Override
        public void stringValue(String value, int utf8Bytes) {
            put(TAG_STRING);
            putString(value);
        }

        @Override
        public void startList(int size) {
            ensure(5);
            scratch.put(TAG_LIST).putInt(size);
        }

        @Override
        public void endList() {
        }

        @Override
        public void startMap(int size) {
            ensure(5);
            scratch.put(TAG_MAP).putInt(size);
        }

        @Override
        public void key(String key, int utf8Bytes) {
            putString(key);
        }

        @Override
        public void endMap() {
        }
    }

    private void put(byte b) {
        ensure(1);
        scratch.put(b);
    }

    private void putString(String s) {
        int length = s.length();
        ensure(4 + length);
        // ASCII (ids, keys, most values) straight into the scratch array, without a byte[] per string
        int start = scratch.position();
        byte[] out = scratch.array();
        int at = start + 4;
        for (int i = 0; i < length; i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                putUtf8(s);
                return;
            }
            out[at++] = (byte) c;
        }
        scratch.putInt(start, length);
        scratch.position(at);
    }

    private void putUtf8(String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        ensure(4 + bytes.length);
        scratch.putInt(bytes.length).put(bytes);
    }

    private void ensure(int more) {
        if (scratch.remaining() < more) {
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(scratch.capacity() * 2, scratch.position() + more))
                    .order(ByteOrder.LITTLE_ENDIAN);
            scratch.flip();
            bigger.put(scratch);
            scratch = bigger;
        }
    }

    private void flushScratch() {
        crc.update(scratch.array(), 0, scratch.position());
        scratch.clear();
    }
}
