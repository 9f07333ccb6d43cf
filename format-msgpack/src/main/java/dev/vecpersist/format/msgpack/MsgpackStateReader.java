package dev.vecpersist.format.msgpack;

import dev.vecpersist.api.CorruptedStateException;
import dev.vecpersist.api.IncompatibleStateException;
import dev.vecpersist.api.MetadataValues;
import dev.vecpersist.api.Metric;
import dev.vecpersist.api.StateHeader;
import dev.vecpersist.api.StateReader;
import dev.vecpersist.api.VectorEntry;
import org.msgpack.core.MessageFormat;
import org.msgpack.core.MessageInsufficientBufferException;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePackException;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.ValueType;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads one MessagePack state. Every length read from the file is checked before anything is
 * allocated for it: a vector is exactly {@code dimension * 4} bytes, strings and containers are
 * capped, metadata nesting is bounded. Not thread-safe.
 */
final class MsgpackStateReader implements StateReader {

    /** Longest id accepted, in bytes. */
    static final int MAX_ID_BYTES = 64 * 1024;
    /** Longest metadata string or index state accepted, in bytes. */
    static final int MAX_STRING_BYTES = 16 << 20;
    /** Largest metadata map or list accepted. */
    static final int MAX_CONTAINER = 1 << 20;
    /** Largest dimension accepted. */
    static final int MAX_DIMENSION = 1 << 20;

    private static final MessagePack.UnpackerConfig CONFIG = new MessagePack.UnpackerConfig()
            .withBufferSize(1 << 16).withStringSizeLimit(MAX_STRING_BYTES);

    private final MessageUnpacker u;
    private final String source;
    private final StateHeader header;
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    private final byte[] vectorBytes;
    private long entriesRead;
    private long deletionsRead;
    private String checksum;
    private boolean trailerRead;

    MsgpackStateReader(InputStream in, String source) throws IOException {
        this.source = source;
        this.u = CONFIG.newUnpacker(in);
        try {
            this.header = readHeader();
        } catch (IncompatibleStateException | CorruptedStateException e) {
            u.close();
            throw e;
        } catch (IOException | RuntimeException e) {
            u.close();
            throw corrupt(e, "the header");
        }
        this.vectorBytes = new byte[header.dimension() * Float.BYTES];
    }

    private StateHeader readHeader() throws IOException {
        byte[] magic = new byte[MsgpackStateFormat.MAGIC.length];
        u.readPayload(magic);
        if (!java.util.Arrays.equals(magic, MsgpackStateFormat.MAGIC)) {
            throw malformed("not a VecPersist MessagePack state (bad magic)");
        }
        Map<String, Object> h = readMap(1);
        Object version = h.get("version");
        if (!(version instanceof Long v) || v < 1) {
            throw malformed("header has no valid version");
        }
        if (v > MsgpackStateFormat.VERSION) {
            throw new IncompatibleStateException(source + ": MessagePack state version " + v
                    + " is newer than this library reads (" + MsgpackStateFormat.VERSION + "); upgrade VecPersist");
        }
        StateHeader.Kind kind = switch (string(h, "kind")) {
            case "full" -> StateHeader.Kind.FULL;
            case "delta" -> StateHeader.Kind.DELTA;
            default -> throw malformed("unknown kind '" + h.get("kind") + "'");
        };
        long dimension = number(h, "dimension");
        if (dimension < 1 || dimension > MAX_DIMENSION) {
            throw malformed("dimension " + dimension + " is out of range 1.." + MAX_DIMENSION);
        }
        Metric metric;
        try {
            metric = Metric.fromFileName(string(h, "metric"));
        } catch (IllegalArgumentException e) {
            throw malformed(e.getMessage());
        }
        long entries = number(h, "entryCount");
        long deletions = number(h, "deletionCount");
        if (entries < 0 || deletions < 0 || (kind == StateHeader.Kind.FULL && deletions != 0)) {
            throw malformed("invalid counts: " + entries + " entries, " + deletions + " deletions");
        }
        Object user = h.get("userMetadata");
        if (user != null && !(user instanceof Map)) {
            throw malformed("userMetadata is not a map");
        }
        Object index = h.get("indexState");
        if (index != null && !(index instanceof byte[])) {
            throw malformed("indexState is not binary");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> userMetadata = user == null ? Map.of() : (Map<String, Object>) user;
        return new StateHeader((int) (long) v, kind, (int) dimension, metric, entries, deletions,
                Instant.ofEpochMilli(number(h, "createdAt")), userMetadata, (byte[]) index);
    }

    @Override
    public StateHeader header() {
        return header;
    }

    @Override
    public VectorEntry nextEntry() throws IOException {
        if (entriesRead == header.entryCount()) {
            return null;
        }
        try {
            int fields = u.unpackArrayHeader();
            if (fields != 3) {
                throw malformed("entry " + entriesRead + " is an array of " + fields + ", expected [id, vector, metadata]");
            }
            String id = string(MAX_ID_BYTES, "id of entry " + entriesRead);
            int length = u.unpackBinaryHeader();
            if (length != vectorBytes.length) {
                throw malformed("entry " + entriesRead + ": vector has " + length + " bytes, expected "
                        + vectorBytes.length + " (" + header.dimension() + " float32)");
            }
            u.readPayload(vectorBytes);
            float[] vector = new float[header.dimension()];
            ByteBuffer.wrap(vectorBytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(vector);
            Map<String, Object> metadata = u.getNextFormat() == MessageFormat.NIL ? nilMap() : readMap(1);
            entriesRead++;
            return new VectorEntry(id, vector, metadata);
        } catch (CorruptedStateException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw corrupt(e, "entry " + entriesRead);
        }
    }

    private Map<String, Object> nilMap() throws IOException {
        u.unpackNil();
        return Map.of();
    }

    @Override
    public String nextDeletion() throws IOException {
        while (entriesRead < header.entryCount()) {
            nextEntry();
        }
        if (deletionsRead == header.deletionCount()) {
            return null;
        }
        try {
            String id = string(MAX_ID_BYTES, "deleted id " + deletionsRead);
            deletionsRead++;
            return id;
        } catch (CorruptedStateException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw corrupt(e, "deleted id " + deletionsRead);
        }
    }

    @Override
    public String storedChecksum() throws IOException {
        while (nextDeletion() != null) {
            // drain
        }
        if (!trailerRead) {
            try {
                Map<String, Object> trailer = readMap(1);
                Object c = trailer.get("checksum");
                if (!(c instanceof String s)) {
                    throw malformed("the trailer has no checksum");
                }
                checksum = s;
                if (u.hasNext()) {
                    throw malformed("content after the trailer");
                }
                trailerRead = true;
            } catch (CorruptedStateException e) {
                throw e;
            } catch (IOException | RuntimeException e) {
                throw corrupt(e, "the trailer");
            }
        }
        return checksum;
    }

    @Override
    public void close() throws IOException {
        u.close();
    }

    private Map<String, Object> readMap(int depth) throws IOException {
        if (depth > MetadataValues.MAX_DEPTH) {
            throw malformed("metadata nested deeper than " + MetadataValues.MAX_DEPTH + " levels");
        }
        int size = u.unpackMapHeader();
        checkContainer(size);
        Map<String, Object> map = new LinkedHashMap<>(Math.min(size, 16) * 2);
        for (int i = 0; i < size; i++) {
            if (u.getNextFormat().getValueType() != ValueType.STRING) {
                throw malformed("a map key is " + u.getNextFormat().getValueType() + ", not a string");
            }
            String key = string(MAX_STRING_BYTES, "map key");
            map.put(key, readValue(depth));
        }
        return map;
    }

    private Object readValue(int depth) throws IOException {
        MessageFormat format = u.getNextFormat();
        switch (format.getValueType()) {
            case NIL:
                u.unpackNil();
                return null;
            case BOOLEAN:
                return u.unpackBoolean();
            case INTEGER:
                if (format == MessageFormat.UINT64) {
                    java.math.BigInteger big = u.unpackBigInteger();
                    if (big.bitLength() > 63) {
                        throw malformed("integer " + big + " does not fit a long");
                    }
                    return big.longValue();
                }
                return u.unpackLong();
            case FLOAT:
                double d = u.unpackDouble();
                if (!Double.isFinite(d)) {
                    throw malformed("metadata number " + d + " is not finite");
                }
                return d;
            case STRING:
                return string(MAX_STRING_BYTES, "metadata string");
            case ARRAY: {
                if (depth + 1 > MetadataValues.MAX_DEPTH) {
                    throw malformed("metadata nested deeper than " + MetadataValues.MAX_DEPTH + " levels");
                }
                int size = u.unpackArrayHeader();
                checkContainer(size);
                List<Object> list = new ArrayList<>(Math.min(size, 16));
                for (int i = 0; i < size; i++) {
                    list.add(readValue(depth + 1));
                }
                return list;
            }
            case MAP:
                return readMap(depth + 1);
            case BINARY: {
                int length = u.unpackBinaryHeader();
                if (length > MAX_STRING_BYTES) {
                    throw malformed("binary of " + length + " bytes is too long");
                }
                return u.readPayload(length);
            }
            default:
                throw malformed("unsupported MessagePack type " + format + " in metadata");
        }
    }

    private String string(int maxBytes, String what) throws IOException {
        int length = u.unpackRawStringHeader();
        if (length < 0 || length > maxBytes) {
            throw malformed(what + " is " + length + " bytes long, more than " + maxBytes);
        }
        byte[] bytes = u.readPayload(length);
        if (isAscii(bytes)) {
            return new String(bytes, StandardCharsets.US_ASCII); // the common case, without a decoder
        }
        try {
            CharBuffer chars = utf8.reset().decode(ByteBuffer.wrap(bytes));
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw malformed(what + " is not valid UTF-8");
        }
    }

    private static boolean isAscii(byte[] bytes) {
        for (byte b : bytes) {
            if (b < 0) {
                return false;
            }
        }
        return true;
    }

    private void checkContainer(int size) {
        if (size < 0 || size > MAX_CONTAINER) {
            throw malformed("a container claims " + size + " elements, more than " + MAX_CONTAINER);
        }
    }

    private String string(Map<String, Object> h, String key) {
        if (!(h.get(key) instanceof String s)) {
            throw malformed("header field '" + key + "' is missing or not a string");
        }
        return s;
    }

    private long number(Map<String, Object> h, String key) {
        if (!(h.get(key) instanceof Long l)) {
            throw malformed("header field '" + key + "' is missing or not an integer");
        }
        return l;
    }

    private CorruptedStateException malformed(String what) {
        return new CorruptedStateException(source + ": malformed MessagePack state at byte "
                + u.getTotalReadBytes() + ": " + what);
    }

    private CorruptedStateException corrupt(Exception e, String where) {
        if (e instanceof CorruptedStateException c) {
            return c;
        }
        if (e instanceof MessageInsufficientBufferException || e instanceof java.io.EOFException) {
            return new CorruptedStateException(source + ": truncated MessagePack state: it ends in " + where
                    + " (byte " + u.getTotalReadBytes() + ")", e);
        }
        String kind = e instanceof MessagePackException ? "malformed" : "unreadable";
        return new CorruptedStateException(source + ": " + kind + " MessagePack state in " + where + " at byte "
                + u.getTotalReadBytes() + ": " + e.getMessage(), e);
    }
}
