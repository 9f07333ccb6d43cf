package dev.vecpersist.format.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.io.JsonEOFException;
import dev.vecpersist.api.CorruptedStateException;
import dev.vecpersist.api.IncompatibleStateException;
import dev.vecpersist.api.Metric;
import dev.vecpersist.api.StateHeader;
import dev.vecpersist.api.StateReader;
import dev.vecpersist.api.VectorEntry;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.Map;

/**
 * Reads one JSON state as a stream of tokens. Reads the header fields up to {@code "vectors"},
 * then one entry per {@link #nextEntry()}, then the trailing fields. Not thread-safe.
 */
final class JsonStateReader implements StateReader {

    private enum Phase { ENTRIES, DELETIONS, TRAILER, DONE }

    private final JsonParser p;
    private final String source;
    private final StateHeader header;
    private Phase phase = Phase.ENTRIES;
    private String checksum;
    private long entryIndex;

    JsonStateReader(InputStream in, String source) throws IOException {
        this.source = source;
        this.p = MetadataJson.FACTORY.createParser(in);
        p.enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER.mappedFeature());
        try {
            this.header = readHeader();
        } catch (CorruptedStateException | IncompatibleStateException e) {
            p.close();
            throw e;
        } catch (IOException | RuntimeException e) {
            p.close();
            throw corrupt(e);
        }
    }

    private StateHeader readHeader() throws IOException {
        if (p.nextToken() != JsonToken.START_OBJECT) {
            throw malformed("a state must be a JSON object");
        }
        int version = -1;
        String kind = "full";
        Integer dimension = null;
        String metric = null;
        Long count = null;
        long deletions = 0;
        Long timestamp = null;
        Map<String, Object> userMetadata = Map.of();
        byte[] indexState = null;
        while (true) {
            JsonToken t = p.nextToken();
            if (t == JsonToken.END_OBJECT || t == null) {
                throw malformed("no \"vectors\" array");
            }
            String field = p.currentName();
            JsonToken value = p.nextToken();
            switch (field) {
                case "version" -> version = parseVersion(text(value, field));
                case "kind" -> kind = text(value, field);
                case "options", "stats" -> {
                    expect(value, JsonToken.START_OBJECT, field);
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String name = p.currentName();
                        JsonToken v = p.nextToken();
                        switch (name) {
                            case "dimension" -> dimension = (int) integer(v, field + ".dimension", 1, Integer.MAX_VALUE);
                            case "metric" -> metric = text(v, field + ".metric");
                            case "count" -> count = integer(v, "stats.count", 0, Long.MAX_VALUE);
                            case "deletions" -> deletions = integer(v, "stats.deletions", 0, Long.MAX_VALUE);
                            default -> p.skipChildren();
                        }
                    }
                    expect(p.currentToken(), JsonToken.END_OBJECT, field);
                }
                case "timestamp" -> timestamp = integer(value, "timestamp", Long.MIN_VALUE, Long.MAX_VALUE);
                case "userMetadata" -> userMetadata = value == JsonToken.VALUE_NULL ? Map.of() : MetadataJson.readObject(p);
                case "indexState" -> indexState = value == JsonToken.VALUE_NULL ? null : p.getBinaryValue();
                case "vectors" -> {
                    expect(value, JsonToken.START_ARRAY, "vectors");
                    return buildHeader(version, kind, dimension, metric, count, deletions, timestamp, userMetadata, indexState);
                }
                default -> p.skipChildren();
            }
        }
    }

    private StateHeader buildHeader(int version, String kind, Integer dimension, String metric, Long count,
                                    long deletions, Long timestamp, Map<String, Object> userMetadata,
                                    byte[] indexState) throws IOException {
        if (version < 0) {
            throw malformed("no \"version\" before \"vectors\"");
        }
        if (version > JsonStateFormat.VERSION) {
            throw new IncompatibleStateException(source + ": JSON state version " + version
                    + " is newer than this library reads (" + JsonStateFormat.VERSION + "); upgrade VecPersist");
        }
        if (dimension == null || metric == null || count == null) {
            throw malformed("\"options\" and \"stats\" (dimension, metric, count) must come before \"vectors\"");
        }
        StateHeader.Kind k = switch (kind) {
            case "full" -> StateHeader.Kind.FULL;
            case "delta" -> StateHeader.Kind.DELTA;
            default -> throw malformed("unknown kind '" + kind + "'");
        };
        if (k == StateHeader.Kind.FULL && deletions != 0) {
            throw malformed("a full state announces deletions");
        }
        Metric m;
        try {
            m = Metric.fromFileName(metric);
        } catch (IllegalArgumentException e) {
            throw malformed(e.getMessage());
        }
        // the reference module writes its timestamp after the vectors: unknown up front
        Instant created = timestamp == null ? Instant.EPOCH : Instant.ofEpochMilli(timestamp);
        return new StateHeader(version, k, dimension, m, count, deletions, created, userMetadata, indexState);
    }

    private int parseVersion(String v) throws IOException {
        int dot = v.indexOf('.');
        try {
            return Integer.parseInt(dot < 0 ? v : v.substring(0, dot));
        } catch (NumberFormatException e) {
            throw malformed("unreadable version '" + v + "'");
        }
    }

    @Override
    public StateHeader header() {
        return header;
    }

    @Override
    public VectorEntry nextEntry() throws IOException {
        if (phase != Phase.ENTRIES) {
            return null;
        }
        try {
            JsonToken t = p.nextToken();
            if (t == JsonToken.END_ARRAY) {
                phase = Phase.TRAILER;
                readTrailer();
                return null;
            }
            expect(t, JsonToken.START_OBJECT, "vectors[" + entryIndex + "]");
            VectorEntry e = readEntry();
            entryIndex++;
            return e;
        } catch (CorruptedStateException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw corrupt(e);
        }
    }

    private VectorEntry readEntry() throws IOException {
        String id = null;
        float[] vector = null;
        Map<String, Object> metadata = Map.of();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            switch (field) {
                case "id" -> id = text(value, "id");
                case "vector" -> vector = readVector(value);
                case "metadata" -> metadata = value == JsonToken.VALUE_NULL ? Map.of() : MetadataJson.readObject(p);
                default -> p.skipChildren();
            }
        }
        expect(p.currentToken(), JsonToken.END_OBJECT, "vectors[" + entryIndex + "]");
        if (id == null || vector == null) {
            throw malformed("entry " + entryIndex + " lacks an id or a vector");
        }
        return new VectorEntry(id, vector, metadata);
    }

    private float[] readVector(JsonToken start) throws IOException {
        expect(start, JsonToken.START_ARRAY, "vector of entry " + entryIndex);
        int dimension = header.dimension();
        // allocation is bounded by the header's dimension, but a hostile header could claim a huge one:
        // grow as components actually arrive instead of trusting it
        float[] v = new float[Math.min(dimension, 4096)];
        int n = 0;
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t != JsonToken.VALUE_NUMBER_FLOAT && t != JsonToken.VALUE_NUMBER_INT) {
                throw malformed("entry " + entryIndex + ": vector component " + n + " is " + t + ", not a number");
            }
            if (n == dimension) {
                throw malformed("entry " + entryIndex + ": vector has more than " + dimension + " components");
            }
            if (n == v.length) {
                v = java.util.Arrays.copyOf(v, (int) Math.min(dimension, (long) v.length * 2));
            }
            float f = p.getFloatValue();
            if (!Float.isFinite(f)) {
                throw malformed("entry " + entryIndex + ": vector component " + n + " (" + p.getText() + ") is not a finite float");
            }
            v[n++] = f;
        }
        if (n != dimension) {
            throw malformed("entry " + entryIndex + ": vector has " + n + " components, the header says " + dimension);
        }
        return v;
    }

    /** Reads the fields after "vectors" up to the deletions or the end. */
    private void readTrailer() throws IOException {
        while (true) {
            JsonToken t = p.nextToken();
            if (t == JsonToken.END_OBJECT) {
                if (p.nextToken() != null) {
                    throw malformed("content after the end of the state");
                }
                phase = Phase.DONE;
                return;
            }
            if (t != JsonToken.FIELD_NAME) {
                throw malformed("unexpected " + t + " after the vectors");
            }
            String field = p.currentName();
            JsonToken value = p.nextToken();
            switch (field) {
                case "checksum" -> checksum = text(value, "checksum");
                case "deleted" -> {
                    expect(value, JsonToken.START_ARRAY, "deleted");
                    phase = Phase.DELETIONS;
                    return;
                }
                default -> p.skipChildren();
            }
        }
    }

    @Override
    public String nextDeletion() throws IOException {
        try {
            while (phase == Phase.ENTRIES) {
                nextEntry();
            }
            if (phase != Phase.DELETIONS) {
                return null;
            }
            JsonToken t = p.nextToken();
            if (t == JsonToken.END_ARRAY) {
                readTrailer();
                return null;
            }
            return text(t, "deleted");
        } catch (CorruptedStateException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw corrupt(e);
        }
    }

    @Override
    public String storedChecksum() throws IOException {
        while (phase != Phase.DONE) {
            if (phase == Phase.ENTRIES) {
                nextEntry();
            } else if (phase == Phase.DELETIONS) {
                nextDeletion();
            } else {
                try {
                    readTrailer();
                } catch (CorruptedStateException e) {
                    throw e;
                } catch (IOException | RuntimeException e) {
                    throw corrupt(e);
                }
            }
        }
        return checksum;
    }

    @Override
    public void close() throws IOException {
        p.close();
    }

    private String text(JsonToken t, String what) throws IOException {
        if (t != JsonToken.VALUE_STRING) {
            throw malformed("\"" + what + "\" must be a string, found " + t);
        }
        return p.getText();
    }

    private long integer(JsonToken t, String what, long min, long max) throws IOException {
        if (t != JsonToken.VALUE_NUMBER_INT || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
            throw malformed("\"" + what + "\" must be an integer, found " + t);
        }
        long v = p.getLongValue();
        if (v < min || v > max) {
            throw malformed("\"" + what + "\" is out of range: " + v);
        }
        return v;
    }

    private void expect(JsonToken actual, JsonToken expected, String what) throws IOException {
        if (actual != expected) {
            throw malformed(what + ": expected " + expected + ", found " + actual);
        }
    }

    private CorruptedStateException malformed(String what) {
        return new CorruptedStateException(source + ": malformed JSON state at " + MetadataJson.where(p) + ": " + what);
    }

    private CorruptedStateException corrupt(Exception e) {
        if (e instanceof CorruptedStateException c) {
            return c;
        }
        if (e instanceof JsonEOFException || e instanceof EOFException) {
            return new CorruptedStateException(source + ": truncated JSON state (ends at " + MetadataJson.where(p) + ")", e);
        }
        String what = e instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : String.valueOf(e.getMessage());
        return new CorruptedStateException(source + ": malformed JSON state at " + MetadataJson.where(p) + ": " + what, e);
    }
}
