package dev.vecpersist.format.msgpack;

import dev.vecpersist.api.IncompatibleStateException;
import dev.vecpersist.api.Metric;
import dev.vecpersist.api.StateHeader;
import org.msgpack.core.MessageFormat;
import org.msgpack.core.MessageTypeException;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.ValueType;

import java.io.IOException;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import static dev.vecpersist.format.msgpack.MsgpackLayout.*;

/**
 * Reads and validates the magic and the header map. The version is checked as soon as it is
 * read, before the fields a newer layout may have changed; keys this version does not know are
 * skipped, so that a later minor addition does not break older readers.
 */
final class HeaderDecoder {

    private final MessageUnpacker u;
    private final ValueDecoder values;
    private final ReadPosition pos;
    private final String source;

    private Long version;
    private String kind;
    private Long dimension;
    private String metric;
    private Long entryCount;
    private Long deletionCount;
    private Long createdAt;
    private Map<String, Object> userMetadata = Map.of();
    private byte[] indexState;

    HeaderDecoder(MessageUnpacker u, ValueDecoder values, ReadPosition pos, String source) {
        this.u = u;
        this.values = values;
        this.pos = pos;
        this.source = source;
    }

    /**
     * Reads the magic and the header.
     *
     * @return the validated header
     * @throws dev.vecpersist.api.CorruptedStateException when either is malformed
     * @throws IncompatibleStateException                 when the layout version is newer than {@link MsgpackLayout#VERSION}
     */
    StateHeader read() throws IOException {
        byte[] magic = new byte[MAGIC.length];
        u.readPayload(magic);
        if (!Arrays.equals(magic, MAGIC)) {
            throw pos.malformed("not a VecPersist MessagePack state: it does not start with the fixstr \"VECPERSIST\"");
        }
        int size;
        try {
            size = u.unpackMapHeader();
        } catch (MessageTypeException e) {
            throw pos.malformed("the header is not a map: " + e.getMessage());
        }
        if (size > MAX_HEADER_KEYS) {
            throw pos.malformed("the header claims " + size + " keys, more than " + MAX_HEADER_KEYS);
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < size; i++) {
            String key = values.string(MAX_ID_BYTES, "a header key");
            if (!seen.add(key)) {
                throw pos.malformed("header key '" + key + "' appears twice");
            }
            field(key);
        }
        return validated();
    }

    private void field(String key) throws IOException {
        switch (key) {
            case FORMAT -> {
                String marker = values.string(MAX_ID_BYTES, "the header's format");
                if (!FORMAT_MARKER.equals(marker)) {
                    throw pos.malformed("the header's format is '" + marker + "', expected '" + FORMAT_MARKER + "'");
                }
            }
            case VERSION_KEY -> {
                version = integer(key);
                if (version > VERSION) {
                    throw new IncompatibleStateException(source + ": MessagePack state layout version " + version
                            + " is newer than version " + VERSION + ", the newest this library reads; upgrade VecPersist");
                }
            }
            case KIND -> kind = values.string(MAX_ID_BYTES, "the header's kind");
            case DIMENSION -> dimension = integer(key);
            case METRIC -> metric = values.string(MAX_ID_BYTES, "the header's metric");
            case ENTRY_COUNT -> entryCount = integer(key);
            case DELETION_COUNT -> deletionCount = integer(key);
            case CREATED_AT -> createdAt = integer(key);
            case USER_METADATA -> userMetadata = u.tryUnpackNil() ? Map.of() : values.map(1);
            case INDEX_STATE -> indexState = values.binaryOrNil(MAX_INDEX_STATE, "the index state");
            default -> u.skipValue();
        }
    }

    private long integer(String key) throws IOException {
        MessageFormat format = u.getNextFormat();
        if (format.getValueType() != ValueType.INTEGER) {
            throw pos.malformed("header field '" + key + "' is " + ValueDecoder.describe(format) + ", not an integer");
        }
        return u.unpackLong();
    }

    private StateHeader validated() {
        require(version, VERSION_KEY);
        require(kind, KIND);
        require(dimension, DIMENSION);
        require(metric, METRIC);
        require(entryCount, ENTRY_COUNT);
        require(deletionCount, DELETION_COUNT);
        require(createdAt, CREATED_AT);
        if (version < 1) {
            throw pos.malformed("layout version " + version + " is not a valid version");
        }
        StateHeader.Kind k = switch (kind) {
            case KIND_FULL -> StateHeader.Kind.FULL;
            case KIND_DELTA -> StateHeader.Kind.DELTA;
            default -> throw pos.malformed("unknown kind '" + kind + "' (expected full or delta)");
        };
        if (dimension < 1 || dimension > MAX_DIMENSION) {
            throw pos.malformed("dimension " + dimension + " is out of range 1.." + MAX_DIMENSION);
        }
        Metric m;
        try {
            m = Metric.fromFileName(metric);
        } catch (IllegalArgumentException e) {
            throw pos.malformed(e.getMessage());
        }
        if (entryCount < 0 || deletionCount < 0 || (k == StateHeader.Kind.FULL && deletionCount != 0)) {
            throw pos.malformed("invalid counts for a " + kind + " state: " + entryCount + " entries, "
                    + deletionCount + " deletions");
        }
        return new StateHeader((int) (long) version, k, (int) (long) dimension, m, entryCount, deletionCount,
                Instant.ofEpochMilli(createdAt), userMetadata, indexState);
    }

    private void require(Object value, String key) {
        if (value == null) {
            throw pos.malformed("the header has no '" + key + "'");
        }
    }
}
