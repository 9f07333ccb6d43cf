package dev.vecpersist.format.msgpack;

import dev.vecpersist.api.MetadataValues;
import org.msgpack.core.MessageFormat;
import org.msgpack.core.MessageTypeException;
import org.msgpack.core.MessageUnpacker;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static dev.vecpersist.format.msgpack.MsgpackLayout.MAX_CONTAINER;
import static dev.vecpersist.format.msgpack.MsgpackLayout.MAX_KEY_BYTES;
import static dev.vecpersist.format.msgpack.MsgpackLayout.MAX_STRING_BYTES;

/**
 * Decodes strings, binaries and metadata from the unpacker into the {@link MetadataValues} model,
 * checking every length before allocating for it: strings and binaries against a cap, and read
 * in bounded chunks, so that memory grows with the bytes actually present, not with what a length
 * claims; containers are never pre-sized from their claimed size. Integers come back as
 * {@code Long}, float32 and float64 as {@code Double}, maps in file order (unmodifiable
 * {@link SmallMap}s up to {@value SmallMap#MAX_SIZE} keys, {@code LinkedHashMap}s beyond). Not
 * thread-safe.
 */
final class ValueDecoder {

    /** Payloads are read at most this much at a time. */
    private static final int CHUNK = 1 << 20;
    /** Pre-size a container for at most this many elements, whatever it claims. */
    private static final int PRESIZE_CAP = 64;

    private final MessageUnpacker u;
    private final ReadPosition pos;
    private final KeyCache keys = new KeyCache();
    private final AsciiStringCache shortValues = new AsciiStringCache();
    private byte[] scratch = new byte[256];

    ValueDecoder(MessageUnpacker u, ReadPosition pos) {
        this.u = u;
        this.pos = pos;
    }

    /**
     * Reads a str object.
     *
     * @param maxBytes the longest accepted, in UTF-8 bytes
     * @param what     names it in error messages, e.g. "the id"
     * @return the string
     */
    String string(int maxBytes, String what) throws IOException {
        int length = stringHeader(maxBytes, what);
        byte[] bytes = readIntoScratch(length);
        return decode(bytes, length, what);
    }

    /**
     * Reads a metadata string; a short ASCII one is shared with an earlier one of the same bytes
     * (entries repeat categories, tags and flags: one string for all of them, not one per entry).
     */
    private String valueString() throws IOException {
        return shared(MAX_STRING_BYTES, "a metadata string", shortValues);
    }

    /** Reads a map key: a string, shared with earlier keys of the same bytes. */
    String key() throws IOException {
        return shared(MAX_KEY_BYTES, "a map key", keys);
    }

    private String shared(int maxBytes, String what, StringCache cache) throws IOException {
        int length = stringHeader(maxBytes, what);
        byte[] bytes = readIntoScratch(length);
        String cached = cache.lookup(bytes, length);
        if (cached != null) {
            return cached;
        }
        String decoded = decode(bytes, length, what);
        cache.remember(bytes, length, decoded);
        return decoded;
    }

    private int stringHeader(int maxBytes, String what) throws IOException {
        int length;
        try {
            length = u.unpackRawStringHeader();
        } catch (MessageTypeException e) {
            throw pos.malformed(what + " is not a string: " + e.getMessage());
        }
        if (length > maxBytes) {
            throw pos.malformed(what + " is " + length + " bytes long, more than " + maxBytes);
        }
        return length;
    }

    /**
     * Reads a bin object, or nil.
     *
     * @param maxBytes the longest accepted
     * @param what     names it in error messages
     * @return its bytes, or null for nil
     */
    byte[] binaryOrNil(int maxBytes, String what) throws IOException {
        if (u.tryUnpackNil()) {
            return null;
        }
        MessageFormat format = u.getNextFormat();
        if (format != MessageFormat.BIN8 && format != MessageFormat.BIN16 && format != MessageFormat.BIN32) {
            throw pos.malformed(what + " is " + describe(format) + ", not binary");
        }
        int length = u.unpackBinaryHeader();
        if (length > maxBytes) {
            throw pos.malformed(what + " is " + length + " bytes long, more than " + maxBytes);
        }
        return readExactly(length);
    }

    /**
     * Reads a metadata map.
     *
     * @param depth its nesting level: 1 for an entry's or the header's metadata
     * @return the map, keys in file order
     */
    Map<String, Object> map(int depth) throws IOException {
        checkDepth(depth);
        int size;
        try {
            size = u.unpackMapHeader();
        } catch (MessageTypeException e) {
            throw pos.malformed("metadata is not a map: " + e.getMessage());
        }
        checkSize(size, "map");
        if (size == 0) {
            return Map.of();
        }
        if (size <= SmallMap.MAX_SIZE) {
            return smallMap(size, depth);
        }
        Map<String, Object> map = size <= 12 ? new LinkedHashMap<>() : new LinkedHashMap<>(PRESIZE_CAP * 2);
        for (int i = 0; i < size; i++) {
            String key = key();
            map.put(key, value(depth));
            if (map.size() != i + 1) {
                throw pos.malformed("metadata key '" + key + "' appears twice in one map");
            }
        }
        return map;
    }

    /** Reads the keys and values of a map of at most {@link SmallMap#MAX_SIZE} into a {@link SmallMap}. */
    private Map<String, Object> smallMap(int size, int depth) throws IOException {
        String[] keys = new String[size];
        Object[] mapValues = new Object[size];
        for (int i = 0; i < size; i++) {
            String key = key();
            Object value = value(depth);
            for (int j = 0; j < i; j++) {
                if (keys[j].equals(key)) {
                    throw pos.malformed("metadata key '" + key + "' appears twice in one map");
                }
            }
            keys[i] = key;
            mapValues[i] = value;
        }
        return new SmallMap(keys, mapValues);
    }

    private Object value(int depth) throws IOException {
        MessageFormat format = u.getNextFormat();
        switch (format.getValueType()) {
            case NIL:
                u.unpackNil();
                return null;
            case BOOLEAN:
                return u.unpackBoolean();
            case INTEGER:
                return u.unpackLong(); // a uint64 beyond Long.MAX_VALUE throws, reported as corrupt
            case FLOAT:
                double d = u.unpackDouble();
                if (!Double.isFinite(d)) {
                    throw pos.malformed("a metadata number is " + d + "; only finite numbers are stored");
                }
                return d;
            case STRING:
                return valueString();
            case MAP:
                return map(depth + 1);
            case ARRAY:
                return list(depth + 1);
            default:
                throw pos.malformed("a metadata value is " + describe(format)
                        + "; metadata holds only strings, numbers, booleans, nil, arrays and maps");
        }
    }

    private List<Object> list(int depth) throws IOException {
        checkDepth(depth);
        int size = u.unpackArrayHeader();
        checkSize(size, "list");
        List<Object> list = new ArrayList<>(Math.min(size, PRESIZE_CAP));
        for (int i = 0; i < size; i++) {
            list.add(value(depth));
        }
        return list;
    }

    private void checkDepth(int depth) {
        if (depth > MetadataValues.MAX_DEPTH) {
            throw pos.malformed("metadata nested deeper than " + MetadataValues.MAX_DEPTH + " levels");
        }
    }

    private void checkSize(int size, String what) {
        if (size > MAX_CONTAINER) {
            throw pos.malformed("a metadata " + what + " claims " + size + " elements, more than " + MAX_CONTAINER);
        }
    }

    /** Reads a payload into the scratch buffer, growing it only in step with the bytes read. */
    private byte[] readIntoScratch(int length) throws IOException {
        if (length <= scratch.length) {
            u.readPayload(scratch, 0, length);
            return scratch;
        }
        byte[] bytes = readExactly(length);
        if (length <= CHUNK) {
            scratch = bytes; // keep the larger buffer for later strings
        }
        return bytes;
    }

    /** Reads exactly {@code length} bytes; beyond one chunk, the array grows as the data arrives. */
    private byte[] readExactly(int length) throws IOException {
        if (length <= CHUNK) {
            byte[] bytes = new byte[length];
            u.readPayload(bytes, 0, length);
            return bytes;
        }
        byte[] bytes = new byte[CHUNK];
        int filled = 0;
        while (filled < length) {
            int n = Math.min(CHUNK, length - filled);
            if (filled + n > bytes.length) {
                bytes = Arrays.copyOf(bytes, (int) Math.min(length, Math.max(filled + n, 2L * bytes.length)));
            }
            u.readPayload(bytes, filled, n);
            filled += n;
        }
        return bytes;
    }

    /** Decodes strict UTF-8: the JDK's fast decoder, then a strict check only when it substituted something. */
    private String decode(byte[] bytes, int length, String what) {
        String s = new String(bytes, 0, length, StandardCharsets.UTF_8);
        if (s.indexOf('\uFFFD') >= 0) {
            try {
                StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes, 0, length));
            } catch (CharacterCodingException e) {
                throw pos.malformed(what + " is not valid UTF-8");
            }
        }
        return s;
    }

    /** {@return e.g. "an integer (UINT8)"} */
    static String describe(MessageFormat format) {
        String type = format.getValueType().name().toLowerCase(Locale.ROOT);
        return ("aeiou".indexOf(type.charAt(0)) >= 0 ? "an " : "a ") + type + " (" + format + ")";
    }

    /**
     * The strings of recently read short keys, by their bytes: entries repeat a few keys, and
     * sharing their strings saves decoding and memory (100K entries x 3 keys are 300K strings).
     */
    static final class KeyCache implements StringCache {
        private static final int SLOTS = 256;
        private static final int MAX_LENGTH = 32;
        private final byte[][] bytes = new byte[SLOTS][];
        private final String[] strings = new String[SLOTS];

        @Override
        public String lookup(byte[] key, int length) {
            if (length > MAX_LENGTH) {
                return null;
            }
            int slot = slot(key, length);
            byte[] cached = bytes[slot];
            return cached != null && Arrays.equals(cached, 0, cached.length, key, 0, length) ? strings[slot] : null;
        }

        @Override
        public void remember(byte[] key, int length, String string) {
            if (length <= MAX_LENGTH) {
                int slot = slot(key, length);
                bytes[slot] = Arrays.copyOf(key, length);
                strings[slot] = string;
            }
        }

        private static int slot(byte[] key, int length) {
            int h = length;
            for (int i = 0; i < length; i++) {
                h = 31 * h + key[i];
            }
            return (h ^ (h >>> 8)) & (SLOTS - 1);
        }
    }
}
