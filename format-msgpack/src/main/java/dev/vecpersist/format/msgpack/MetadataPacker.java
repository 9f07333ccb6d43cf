package dev.vecpersist.format.msgpack;

import dev.vecpersist.api.MetadataValues;
import org.msgpack.core.MessagePacker;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import static dev.vecpersist.format.msgpack.MsgpackLayout.MAX_CONTAINER;
import static dev.vecpersist.format.msgpack.MsgpackLayout.MAX_KEY_BYTES;
import static dev.vecpersist.format.msgpack.MsgpackLayout.MAX_STRING_BYTES;

/**
 * Packs metadata in the {@link MetadataValues} model: strings as str, integers as the smallest
 * int format, floating point as float64, maps with string keys. Refuses what the reader would
 * reject (a string, container or nesting beyond the limits, a non-finite number, another type),
 * so that a state that saves also loads. Not thread-safe.
 */
final class MetadataPacker {

    private final MessagePacker p;
    private final KeyEncodingCache keys = new KeyEncodingCache();

    MetadataPacker(MessagePacker p) {
        this.p = p;
    }

    /**
     * Packs a metadata map (the top level is depth 1, as in {@link MetadataValues}).
     *
     * @throws IllegalArgumentException when a value cannot be stored or read back as it is
     */
    void packMap(Map<?, ?> map, int depth) throws IOException {
        checkDepth(depth);
        checkSize(map.size(), "map");
        p.packMapHeader(map.size());
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!(e.getKey() instanceof String key)) {
                throw new IllegalArgumentException("a metadata key is a "
                        + (e.getKey() == null ? "null" : e.getKey().getClass().getName()) + ", not a String");
            }
            packString(keys.encode(key));
            packValue(e.getValue(), depth);
        }
    }

    /** Packs a str object of already encoded UTF-8 bytes. */
    void packString(byte[] utf8) throws IOException {
        p.packRawStringHeader(utf8.length);
        p.writePayload(utf8);
    }

    private void packValue(Object value, int depth) throws IOException {
        if (value == null) {
            p.packNil();
        } else if (value instanceof String s) {
            packString(Utf8Encoder.encode(s, MAX_STRING_BYTES, "a metadata string"));
        } else if (value instanceof Boolean b) {
            p.packBoolean(b);
        } else if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            p.packLong(((Number) value).longValue());
        } else if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            if (!Double.isFinite(d)) {
                throw new IllegalArgumentException("a metadata number is " + d + "; only finite numbers can be stored");
            }
            p.packDouble(d);
        } else if (value instanceof Map<?, ?> map) {
            packMap(map, depth + 1);
        } else if (value instanceof List<?> list) {
            checkDepth(depth + 1);
            checkSize(list.size(), "list");
            p.packArrayHeader(list.size());
            for (Object item : list) {
                packValue(item, depth + 1);
            }
        } else {
            throw new IllegalArgumentException("a metadata value has unsupported type " + value.getClass().getName()
                    + " (use String, Boolean, Long, Double, null, List or Map)");
        }
    }

    private static void checkDepth(int depth) {
        if (depth > MetadataValues.MAX_DEPTH) {
            throw new IllegalArgumentException("metadata is nested deeper than " + MetadataValues.MAX_DEPTH + " levels");
        }
    }

    private static void checkSize(int size, String what) {
        if (size > MAX_CONTAINER) {
            throw new IllegalArgumentException("a metadata " + what + " has " + size + " elements, more than the "
                    + MAX_CONTAINER + " a MessagePack state holds");
        }
    }

    /**
     * Remembers the encodings of recently seen keys: entries usually share a handful of keys, and
     * this saves encoding and checking them for every entry.
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
