package dev.vecpersist.format.msgpack;

import dev.vecpersist.api.MetadataValues;
import dev.vecpersist.api.MetadataVisitor;
import dev.vecpersist.api.MetadataWalker;
import org.msgpack.core.MessagePacker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static dev.vecpersist.format.msgpack.MsgpackLayout.MAX_KEY_BYTES;

/**
 * Packs metadata in the {@link MetadataValues} model: strings as str, integers as the smallest
 * int format, floating point as float64, maps with string keys. A checking {@link MetadataWalker}
 * refuses what the reader would reject (a key, string, container or nesting beyond the limits, an
 * unpaired surrogate, a non-finite number, another type), so that a state that saves also loads.
 * Not thread-safe.
 */
final class MetadataPacker implements MetadataVisitor<IOException> {

    private final MessagePacker p;
    private final KeyEncodingCache keys = new KeyEncodingCache();
    private final MetadataWalker<IOException> walker = MetadataWalker.checking(this);

    MetadataPacker(MessagePacker p) {
        this.p = p;
    }

    /**
     * Packs a metadata map (the top level is depth 1, as in {@link MetadataValues}).
     *
     * @throws IllegalArgumentException naming the key path when a value cannot be stored or read back as it is
     */
    void packMap(Map<?, ?> map) throws IOException {
        walker.walkMap(map);
    }

    /** Packs a str object of already encoded UTF-8 bytes. */
    void packString(byte[] utf8) throws IOException {
        p.packRawStringHeader(utf8.length);
        p.writePayload(utf8);
    }

    @Override
    public void nullValue() throws IOException {
        p.packNil();
    }

    @Override
    public void booleanValue(boolean value) throws IOException {
        p.packBoolean(value);
    }

    @Override
    public void longValue(long value, Number source) throws IOException {
        p.packLong(value);
    }

    @Override
    public void doubleValue(double value, Number source) throws IOException {
        p.packDouble(value);
    }

    @Override
    public void stringValue(String value, int utf8Bytes) throws IOException {
        // checked by the walk: valid Unicode within the limit, so getBytes is exact
        packString(value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void startList(int size) throws IOException {
        p.packArrayHeader(size);
    }

    @Override
    public void endList() {
    }

    @Override
    public void startMap(int size) throws IOException {
        p.packMapHeader(size);
    }

    @Override
    public void key(String key, int utf8Bytes) throws IOException {
        packString(keys.encode(key));
    }

    @Override
    public void endMap() {
    }

    /**
     * Remembers the encodings of recently seen keys: entries usually share a handful of keys, and
     * this saves encoding them for every entry.
     */
    static final class KeyEncodingCache {
        private static final int SLOTS = 64;
        private static final int MAX_CACHED_LENGTH = 64;
        private final String[] keys = new String[SLOTS];
        private final byte[][] encoded = new byte[SLOTS][];

        byte[] encode(String key) {
            int slot = key.hashCode() & (SLOTS - 1);
            String cached = keys[slot];
            if (cached != null && (cached == key || cached.equals(key))) {
                return encoded[slot];
            }
            byte[] bytes = Utf8Encoder.encode(key, MAX_KEY_BYTES, "a metadata key");
            if (key.length() <= MAX_CACHED_LENGTH) {
                keys[slot] = key;
                encoded[slot] = bytes;
            }
            return bytes;
        }
    }
}
