package dev.vecpersist.format.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.io.ContentReference;
import com.fasterxml.jackson.core.JsonToken;
import dev.vecpersist.api.PersistenceException;
import dev.vecpersist.api.StateHeader;
import dev.vecpersist.api.StateReader;
import dev.vecpersist.api.VectorEntry;
import dev.vecpersist.json.MetadataJson;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;

import static dev.vecpersist.format.json.JsonLayout.*;

/**
 * Reads one JSON state as a stream of tokens: the header when opened, then one entry per
 * {@link #nextEntry()}, then the deleted ids and the fields after them. Holds one entry at a time.
 * Not thread-safe.
 */
final class JsonStateReader implements StateReader {

    private enum Phase { ENTRIES, DELETIONS, DONE }

    /** One step of reading, which may fail. */
    private interface Step<T> {
        T run() throws IOException;
    }

    private JsonParser p;
    private final JsonErrors errors;
    private final StateHeader header;
    /** Reads the entries from the bytes while it can; null once the token reader has taken over. */
    private PrefetchingScanner scanner;
    private final List<String> headerNames;
    /** Where the state object and the vectors array start in the file, for messages after the hand-over. */
    private final JsonLocation stateStart;
    private final JsonLocation vectorsStart;
    private Phase phase = Phase.ENTRIES;
    private String checksum;
    private long entryIndex;
    private long deletionIndex;

    JsonStateReader(InputStream in, String source) throws IOException {
        this(in, source, true);
    }

    /** @param scan whether the vectors are read from the bytes where possible (false: tokens only, to compare with) */
    JsonStateReader(InputStream in, String source, boolean scan) throws IOException {
        this(in, source, scan, SplittingScanner.configuredWindow());
    }

    /**
     * @param scan        whether the vectors are read from the bytes where possible (false: tokens only, to compare with)
     * @param splitWindow bytes read ahead for one split of the vectors between two parsing threads
     */
    JsonStateReader(InputStream in, String source, boolean scan, int splitWindow) throws IOException {
        this.p = JacksonSetup.FACTORY.createParser(in);
        this.errors = new JsonErrors(p, source);
        try {
            JsonHeaderParser headerParser = new JsonHeaderParser(p, errors);
            this.header = guarded(headerParser::parse);
            this.checksum = headerParser.checksum();
            this.headerNames = headerParser.names();
            this.vectorsStart = p.getParsingContext().startLocation(ContentReference.unknown());
            this.stateStart = p.getParsingContext().getParent().startLocation(ContentReference.unknown());
            VectorsScanner bytes = scan ? VectorsScanner.takeOver(p, in, header.dimension()) : null;
            if (bytes != null) {
                p.close(); // its read-ahead is the scanner's now; the stream stays open
                this.scanner = new PrefetchingScanner(bytes, splitWindow);
            }
        } catch (IOException | RuntimeException e) {
            p.close();
            throw e;
        }
    }

    /** Runs a step, reporting bad content as corruption and letting I/O failures of the source through. */
    private <T> T guarded(Step<T> step) throws IOException {
        try {
            return step.run();
        } catch (PersistenceException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            if (JsonErrors.isContentFailure(e)) {
                throw errors.corrupt(e);
            }
            throw e;
        }
    }

    @Override
    public StateHeader header() {
        return header;
    }

    /** True while the vectors are read from the bytes: {@link PrefetchingScanner} runs a thread ahead of the caller. */
    @Override
    public boolean readsAhead() {
        return scanner != null;
    }

    @Override
    public VectorEntry nextEntry() throws IOException {
        if (phase != Phase.ENTRIES) {
            return null;
        }
        if (scanner != null) {
            VectorEntry entry = scanner.next();
            if (entry != null) {
                entryIndex++;
                return entry;
            }
            guarded(this::handOverToTokens);
        }
        return guarded(this::readEntryOrEnd);
    }

    /**
     * Continues with a token parser where the scanner stopped. Its input starts with a stand-in
     * for what came before — the top-level names read so far (so a repeated one is still refused)
     * and one empty object per entry returned (so positions in the array are the file's) — and then
     * the file from after the last entry returned.
     */
    private Void handOverToTokens() throws IOException {
        scanner.close(); // it has ended: its worker is done with the stream
        VectorsScanner s = scanner.scanner();
        scanner = null;
        java.io.ByteArrayOutputStream prefix = new java.io.ByteArrayOutputStream();
        int vectorsColumn;
        try (JsonGenerator g = JacksonSetup.FACTORY.createGenerator(prefix)) {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_JSON_CONTENT);
            g.writeStartObject();
            for (String name : headerNames.subList(0, headerNames.size() - 1)) { // the last is "vectors"
                g.writeNumberField(name, 0);
            }
            g.writeArrayFieldStart(VECTORS);
            g.flush();
            vectorsColumn = prefix.size(); // the '[' is the last byte so far
            for (long i = 0; i < s.returned(); i++) {
                g.writeStartObject();
                g.writeEndObject();
            }
        }
        p = JacksonSetup.FACTORY.createParser(new java.io.SequenceInputStream(
                new java.io.ByteArrayInputStream(prefix.toByteArray()), s.remainder()));
        errors.follow(p, prefix.size(), s.handOverOffset(), s.handOverLine(), s.handOverColumn(),
                vectorsColumn, stateStart, vectorsStart);
        p.nextToken(); // the state object
        for (int i = 0; i < headerNames.size() - 1; i++) {
            p.nextToken();
            p.nextToken();
        }
        p.nextToken(); // "vectors"
        p.nextToken(); // its array
        for (long i = 0; i < s.returned(); i++) {
            p.nextToken();
            p.nextToken();
        }
        return null;
    }

    private VectorEntry readEntryOrEnd() throws IOException {
        JsonToken t = p.nextToken();
        if (t == JsonToken.END_ARRAY) {
            readTrailer();
            return null;
        }
        errors.expect(t, JsonToken.START_OBJECT, "entry " + entryIndex);
        VectorEntry entry = readEntry();
        entryIndex++;
        return entry;
    }

    private VectorEntry readEntry() throws IOException {
        String id = null;
        float[] vector = null;
        Map<String, Object> metadata = Map.of();
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            switch (field) {
                case ID -> id = errors.string(value, "id of entry " + entryIndex);
                case VECTOR -> vector = readVector(value);
                case METADATA -> metadata = value == JsonToken.VALUE_NULL ? Map.of() : MetadataJson.read(p);
                default -> p.skipChildren();
            }
        }
        errors.expect(t, JsonToken.END_OBJECT, "entry " + entryIndex);
        if (id == null || vector == null) {
            throw errors.malformed("entry " + entryIndex + " has no " + (id == null ? "\"id\"" : "\"vector\""));
        }
        return new VectorEntry(id, vector, metadata);
    }

    /** Parses straight into a float[] of exactly the header's dimension: no boxing, no growing. */
    private float[] readVector(JsonToken start) throws IOException {
        errors.expect(start, JsonToken.START_ARRAY, "the vector of entry " + entryIndex);
        float[] v = new float[header.dimension()]; // at most JsonLayout.MAX_DIMENSION, checked with the header
        int n = 0;
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t != JsonToken.VALUE_NUMBER_FLOAT && t != JsonToken.VALUE_NUMBER_INT) {
                throw errors.malformed("entry " + entryIndex + ": vector component " + n + " is "
                        + MetadataJson.describe(t) + ", not a number");
            }
            if (n == v.length) {
                throw errors.malformed("entry " + entryIndex + ": the vector has more than the header's "
                        + v.length + " components");
            }
            float f = p.getFloatValue();
            if (!Float.isFinite(f)) {
                throw errors.malformed("entry " + entryIndex + ": vector component " + n + " (" + p.getText()
                        + ") is beyond the range of a float");
            }
            v[n++] = f;
        }
        if (n != v.length) {
            throw errors.malformed("entry " + entryIndex + ": the vector has " + n + " components, the header says " + v.length);
        }
        return v;
    }

    /** Reads the fields after an array ({@code "vectors"} or {@code "deleted"}) up to the deletions or the end. */
    private void readTrailer() throws IOException {
        while (true) {
            JsonToken t = p.nextToken();
            if (t == JsonToken.END_OBJECT) {
                JsonToken after = p.nextToken();
                if (after != null) {
                    throw errors.malformed("content after the end of the state: " + MetadataJson.describe(after));
                }
                phase = Phase.DONE;
                return;
            }
            errors.expect(t, JsonToken.FIELD_NAME, "the state object");
            String field = p.currentName();
            JsonToken value = p.nextToken();
            switch (field) {
                case CHECKSUM -> checksum = errors.string(value, CHECKSUM);
                case DELETED -> {
                    if (header.kind() != StateHeader.Kind.DELTA) {
                        throw errors.malformed("a full state has \"" + DELETED + "\"");
                    }
                    errors.expect(value, JsonToken.START_ARRAY, "\"" + DELETED + "\"");
                    phase = Phase.DELETIONS;
                    return;
                }
                default -> p.skipChildren(); // e.g. the reference module's trailing "timestamp"
            }
        }
    }

    @Override
    public String nextDeletion() throws IOException {
        while (phase == Phase.ENTRIES) {
            nextEntry();
        }
        return phase == Phase.DELETIONS ? guarded(this::readDeletionOrEnd) : null;
    }

    private String readDeletionOrEnd() throws IOException {
        JsonToken t = p.nextToken();
        if (t == JsonToken.END_ARRAY) {
            readTrailer();
            return null;
        }
        String id = errors.string(t, "deleted id " + deletionIndex);
        deletionIndex++;
        return id;
    }

    @Override
    public String storedChecksum() throws IOException {
        while (phase != Phase.DONE) {
            nextDeletion();
        }
        return checksum;
    }

    @Override
    public void close() throws IOException {
        if (scanner != null) {
            scanner.close();
        }
        p.close();
    }
}
