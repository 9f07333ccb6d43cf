package dev.vecpersist.format.json;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.vecpersist.api.CorruptedStateException;
import dev.vecpersist.api.IncompatibleStateException;
import dev.vecpersist.api.Metric;
import dev.vecpersist.api.StateHeader;
import dev.vecpersist.json.MetadataJson;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.vecpersist.format.json.JsonLayout.*;

/**
 * Reads the top-level fields before {@code "vectors"} into a {@link StateHeader}, leaving the
 * parser on the vectors' {@code START_ARRAY}. Fields come in any order; unknown ones are skipped.
 */
final class JsonHeaderParser {

    private static final Pattern VERSION_PATTERN = Pattern.compile("(\\d{1,9})(\\.\\d{1,9}){0,2}");

    private final JsonParser p;
    private final JsonErrors errors;

    private int version = -1;
    private String format;
    private String kind;
    private Integer dimension;
    private Metric metric;
    private Long count;
    private Long deletions;
    private Long timestamp;
    private Map<String, Object> userMetadata = Map.of();
    private byte[] indexState;
    private String checksum;
    /** The top-level names read, in order: the token reader must see them again when it takes over. */
    private final java.util.List<String> names = new java.util.ArrayList<>();

    JsonHeaderParser(JsonParser p, JsonErrors errors) {
        this.p = p;
        this.errors = errors;
    }

    /** The top-level field names up to and including {@code "vectors"}. */
    java.util.List<String> names() {
        return names;
    }

    /** A checksum found among the header fields (the reference module puts it last, we too). */
    String checksum() {
        return checksum;
    }

    StateHeader parse() throws IOException {
        JsonToken first = p.nextToken();
        if (first != JsonToken.START_OBJECT) {
            throw errors.malformed("a state is a JSON object, found " + MetadataJson.describe(first));
        }
        while (true) {
            JsonToken t = p.nextToken();
            if (t != JsonToken.FIELD_NAME) {
                throw errors.malformed("no \"" + VECTORS + "\" array in the state");
            }
            String field = p.currentName();
            names.add(field);
            JsonToken value = p.nextToken();
            switch (field) {
                case VERSION_FIELD -> version = parseVersion(errors.string(value, VERSION_FIELD));
                case FORMAT -> format = errors.string(value, FORMAT);
                case KIND -> kind = errors.string(value, KIND);
                case OPTIONS, STATS -> readSettings(field, value);
                case TIMESTAMP -> timestamp = errors.integer(value, TIMESTAMP, Long.MIN_VALUE, Long.MAX_VALUE);
                case USER_METADATA -> userMetadata = value == JsonToken.VALUE_NULL ? Map.of() : MetadataJson.read(p);
                case INDEX_STATE -> indexState = value == JsonToken.VALUE_NULL ? null : readBinary(value);
                case CHECKSUM -> checksum = errors.string(value, CHECKSUM);
                case DELETED -> throw errors.malformed("\"" + DELETED + "\" must come after \"" + VECTORS + "\"");
                case VECTORS -> {
                    StateHeader header = build();
                    errors.expect(value, JsonToken.START_ARRAY, "\"" + VECTORS + "\"");
                    return header;
                }
                default -> p.skipChildren();
            }
        }
    }

    /** {@code "options"} and {@code "stats"}: both may carry dimension and metric, which must agree. */
    private void readSettings(String field, JsonToken value) throws IOException {
        errors.expect(value, JsonToken.START_OBJECT, "\"" + field + "\"");
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            String what = field + "." + name;
            JsonToken v = p.nextToken();
            switch (name) {
                case DIMENSION -> {
                    int d = (int) errors.integer(v, what, 1, MAX_DIMENSION);
                    if (dimension != null && dimension != d) {
                        throw errors.malformed("\"" + what + "\" is " + d + " but elsewhere " + dimension);
                    }
                    dimension = d;
                }
                case METRIC -> {
                    String text = errors.string(v, what);
                    Metric m;
                    try {
                        m = Metric.fromFileName(text);
                    } catch (IllegalArgumentException e) {
                        throw errors.malformed("\"" + what + "\": " + e.getMessage());
                    }
                    if (metric != null && metric != m) {
                        throw errors.malformed("\"" + what + "\" is " + text + " but elsewhere " + metric.fileName());
                    }
                    metric = m;
                }
                case COUNT -> count = errors.integer(v, what, 0, Long.MAX_VALUE);
                case DELETIONS -> deletions = errors.integer(v, what, 0, Long.MAX_VALUE);
                default -> p.skipChildren();
            }
        }
        errors.expect(t, JsonToken.END_OBJECT, "\"" + field + "\"");
    }

    /** Base64 decoded as it streams, so a large index state never exists as text. */
    private byte[] readBinary(JsonToken value) throws IOException {
        errors.expect(value, JsonToken.VALUE_STRING, "\"" + INDEX_STATE + "\"");
        CappedBytes out = new CappedBytes();
        p.readBinaryValue(out);
        return out.bytes.toByteArray();
    }

    /** Collects decoded bytes up to {@link JsonLayout#MAX_INDEX_STATE}. */
    private final class CappedBytes extends OutputStream {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if ((long) bytes.size() + len > MAX_INDEX_STATE) {
                throw new JsonParseException(p, "\"" + INDEX_STATE + "\" is larger than " + MAX_INDEX_STATE + " bytes");
            }
            bytes.write(b, off, len);
        }
    }

    private int parseVersion(String text) {
        Matcher m = VERSION_PATTERN.matcher(text);
        if (!m.matches()) {
            throw errors.malformed("\"" + VERSION_FIELD + "\" is '" + text + "', not a version like \"" + VERSION_TEXT + "\"");
        }
        int major = Integer.parseInt(m.group(1));
        if (major < 1) {
            throw errors.malformed("\"" + VERSION_FIELD + "\" " + text + " is not a version this format ever wrote");
        }
        return major;
    }

    private StateHeader build() {
        if (version < 0) {
            throw errors.malformed("\"" + VERSION_FIELD + "\" must come before \"" + VECTORS + "\"");
        }
        if (version > VERSION) {
            throw new IncompatibleStateException(errors.source() + ": JSON state layout version " + version
                    + " is newer than the newest this library reads (" + VERSION + "); upgrade VecPersist to load it");
        }
        if (format != null && !format.equals(FORMAT_MARKER)) {
            throw errors.malformed("\"" + FORMAT + "\" is '" + format + "', not '" + FORMAT_MARKER + "'");
        }
        if (dimension == null || metric == null || count == null) {
            throw errors.malformed("\"" + VECTORS + "\" comes before the header is complete: \"" + OPTIONS + "\" and \""
                    + STATS + "\" (dimension, metric, count) must precede it");
        }
        StateHeader.Kind k = parseKind();
        long deleted = deletions == null ? 0 : deletions;
        if (k == StateHeader.Kind.FULL && deleted != 0) {
            throw errors.malformed("a full state announces " + deleted + " deletions");
        }
        Instant createdAt;
        if (timestamp != null) {
            createdAt = Instant.ofEpochMilli(timestamp);
        } else if (version == REFERENCE_VERSION) {
            createdAt = Instant.EPOCH; // the reference module writes its timestamp after the vectors
        } else {
            throw errors.malformed("\"" + TIMESTAMP + "\" must come before \"" + VECTORS + "\"");
        }
        return new StateHeader(version, k, dimension, metric, count, deleted, createdAt, userMetadata, indexState);
    }

    private StateHeader.Kind parseKind() {
        if (kind == null || kind.equals(KIND_FULL)) {
            return StateHeader.Kind.FULL;
        }
        if (kind.equals(KIND_DELTA)) {
            return StateHeader.Kind.DELTA;
        }
        throw errors.malformed("\"" + KIND + "\" is '" + kind + "', neither '" + KIND_FULL + "' nor '" + KIND_DELTA + "'");
    }
}
