package dev.vecpersist.format.json;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import dev.vecpersist.api.StateHeader;
import dev.vecpersist.api.StateWriter;
import dev.vecpersist.api.VectorEntry;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Locale;

/** Writes one JSON state; see {@link JsonStateFormat} for the layout. Not thread-safe. */
final class JsonStateWriter implements StateWriter {

    private final JsonGenerator g;
    private final StateHeader header;
    private boolean inDeletions;

    JsonStateWriter(OutputStream out, StateHeader header) throws IOException {
        this.header = header;
        this.g = MetadataJson.FACTORY.createGenerator(out, JsonEncoding.UTF8);
        g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        g.disable(JsonGenerator.Feature.FLUSH_PASSED_TO_STREAM);
        // an abandoned writer must not close open arrays and make a cut-off file look complete
        g.disable(JsonGenerator.Feature.AUTO_CLOSE_JSON_CONTENT);
        g.enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER.mappedFeature());
        String metric = header.metric().fileName();
        g.writeStartObject();
        g.writeStringField("version", JsonStateFormat.VERSION + ".0.0");
        g.writeStringField("format", "vecpersist-json");
        g.writeStringField("kind", header.kind().name().toLowerCase(Locale.ROOT));
        g.writeObjectFieldStart("options");
        g.writeNumberField("dimension", header.dimension());
        g.writeStringField("metric", metric);
        g.writeEndObject();
        g.writeObjectFieldStart("stats");
        g.writeNumberField("count", header.entryCount());
        g.writeNumberField("dimension", header.dimension());
        g.writeStringField("metric", metric);
        g.writeNumberField("deletions", header.deletionCount());
        g.writeEndObject();
        g.writeNumberField("timestamp", header.createdAt().toEpochMilli());
        g.writeFieldName("userMetadata");
        MetadataJson.write(g, header.userMetadata());
        if (header.indexState() != null) {
            g.writeFieldName("indexState");
            g.writeBinary(header.indexState());
        }
        g.writeArrayFieldStart("vectors");
    }

    @Override
    public void writeEntry(VectorEntry entry) throws IOException {
        if (inDeletions) {
            throw new IllegalStateException("entries must come before deletions");
        }
        g.writeStartObject();
        g.writeStringField("id", entry.id());
        g.writeFieldName("vector");
        float[] v = entry.vector();
        g.writeStartArray(v, v.length);
        for (float f : v) {
            g.writeNumber(f);
        }
        g.writeEndArray();
        g.writeFieldName("metadata");
        MetadataJson.write(g, entry.metadata());
        g.writeEndObject();
    }

    @Override
    public void writeDeletion(String id) throws IOException {
        if (header.kind() != StateHeader.Kind.DELTA) {
            throw new IllegalStateException("only a delta state has deletions");
        }
        if (!inDeletions) {
            g.writeEndArray();
            g.writeArrayFieldStart("deleted");
            inDeletions = true;
        }
        g.writeString(id);
    }

    @Override
    public void finish(String checksum) throws IOException {
        g.writeEndArray();
        if (header.kind() == StateHeader.Kind.DELTA && !inDeletions) {
            g.writeArrayFieldStart("deleted");
            g.writeEndArray();
        }
        g.writeStringField("checksum", checksum);
        g.writeEndObject();
        g.flush();
    }

    @Override
    public void close() throws IOException {
        g.close();
    }
}
