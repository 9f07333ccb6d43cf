package dev.vecpersist.format.json;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.vecpersist.api.StateHeader;
import dev.vecpersist.api.StateWriter;
import dev.vecpersist.api.VectorEntry;
import dev.vecpersist.json.MetadataJson;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Locale;

import static dev.vecpersist.format.json.JsonLayout.*;

/** Writes one JSON state; see {@link JsonStateFormat} for the layout. Not thread-safe. */
final class JsonStateWriter implements StateWriter {

    /** Jackson hands over 8000 bytes at a time; bigger writes cut the cost of an unbuffered sink by ~10%. */
    private static final int BUFFER = 1 << 18;

    private enum Phase { ENTRIES, DELETIONS, FINISHED }

    private final JsonGenerator g;
    private final OutputStream buffered;
    private final ParallelEntryEncoder entries;
    private final StateHeader header;
    private Phase phase = Phase.ENTRIES;

    JsonStateWriter(OutputStream sink, StateHeader header) throws IOException {
        this.header = header;
        byte[] index = header.indexState(); // a copy: read it once
        if (index != null && index.length > MAX_INDEX_STATE) {
            throw new IllegalArgumentException("an index state of " + index.length
                    + " bytes is larger than the " + MAX_INDEX_STATE + " a JSON state can hold");
        }
        this.buffered = new BufferedOutputStream(sink, BUFFER); // never closed: the caller owns the sink
        this.g = JacksonSetup.FACTORY.createGenerator(buffered, JsonEncoding.UTF8);
        this.entries = new ParallelEntryEncoder(buffered);
        // an abandoned writer must not close the open arrays and make a cut-off state look complete
        g.disable(JsonGenerator.Feature.AUTO_CLOSE_JSON_CONTENT);
        // the header is flushed into the buffer before the entries' text; the sink sees it all in finish()
        g.disable(JsonGenerator.Feature.FLUSH_PASSED_TO_STREAM);
        writeHeader(index);
    }

    private void writeHeader(byte[] index) throws IOException {
        String metric = header.metric().fileName();
        g.writeStartObject();
        g.writeStringField(VERSION_FIELD, VERSION_TEXT);
        g.writeStringField(FORMAT, FORMAT_MARKER);
        g.writeStringField(KIND, header.kind().name().toLowerCase(Locale.ROOT));
        g.writeObjectFieldStart(OPTIONS);
        g.writeNumberField(DIMENSION, header.dimension());
        g.writeStringField(METRIC, metric);
        g.writeEndObject();
        g.writeObjectFieldStart(STATS);
        g.writeNumberField(COUNT, header.entryCount());
        g.writeNumberField(DIMENSION, header.dimension());
        g.writeStringField(METRIC, metric);
        g.writeNumberField(DELETIONS, header.deletionCount());
        g.writeEndObject();
        // before the vectors, unlike the reference module: a reader needs the whole header up front
        g.writeNumberField(TIMESTAMP, header.createdAt().toEpochMilli());
        g.writeFieldName(USER_METADATA);
        MetadataJson.write(g, header.userMetadata());
        if (index != null) {
            g.writeFieldName(INDEX_STATE);
            g.writeBinary(index);
        }
        g.writeArrayFieldStart(VECTORS);
        g.flush(); // the entries' text goes straight to the buffered sink, after the header's
    }

    @Override
    public void writeEntry(VectorEntry entry) throws IOException {
        if (phase != Phase.ENTRIES) {
            throw new IllegalStateException("entries must come before deletions and finish()");
        }
        checkEntry(entry.id(), entry.vector());
        entries.add(entry);
    }

    /** Refuses what would write a file that cannot load (Jackson would write NaN as a string). */
    private void checkEntry(String id, float[] v) {
        checkId(id);
        if (v.length != header.dimension()) {
            throw new IllegalArgumentException("entry '" + id + "' has " + v.length
                    + " components, the header says " + header.dimension());
        }
        for (int i = 0; i < v.length; i++) {
            if (!Float.isFinite(v[i])) {
                throw new IllegalArgumentException("entry '" + id + "' has a non-finite component " + v[i] + " at index " + i);
            }
        }
    }

    private static void checkId(String id) {
        dev.vecpersist.api.ValueLimits.checkString(id, dev.vecpersist.api.ValueLimits.MAX_ID_BYTES,
                "id '" + dev.vecpersist.api.ValueLimits.preview(id) + "'");
    }

    @Override
    public void writeDeletion(String id) throws IOException {
        if (header.kind() != StateHeader.Kind.DELTA) {
            throw new IllegalStateException("only a delta state has deletions");
        }
        if (phase == Phase.FINISHED) {
            throw new IllegalStateException("the state is finished");
        }
        checkId(id);
        if (phase == Phase.ENTRIES) {
            entries.drain();
            g.writeEndArray();
            g.writeArrayFieldStart(DELETED);
            phase = Phase.DELETIONS;
        }
        g.writeString(id);
    }

    @Override
    public void finish(String checksum) throws IOException {
        if (phase == Phase.FINISHED) {
            throw new IllegalStateException("the state is finished");
        }
        if (phase == Phase.ENTRIES) {
            entries.drain();
            g.writeEndArray();
            if (header.kind() == StateHeader.Kind.DELTA) {
                g.writeArrayFieldStart(DELETED);
            }
        }
        if (header.kind() == StateHeader.Kind.DELTA) {
            g.writeEndArray();
        }
        g.writeStringField(CHECKSUM, checksum);
        g.writeEndObject();
        g.flush();
        buffered.flush(); // through the buffer to the sink
        phase = Phase.FINISHED;
    }

    @Override
    public void close() throws IOException {
        // releases Jackson's buffers and the encoder's threads; the sink stays open, and an unfinished state stays unterminated
        entries.close();
        g.close();
        buffered.flush(); // what was written reaches the sink, as Jackson's close would pass it on
    }
}
