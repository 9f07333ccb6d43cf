package dev.vecpersist.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.vecpersist.api.SnapshotMetadata;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * {@link SnapshotMetadata} as a JSON document, in the reference module's layout ({@code id, name,
 * timestamp (epoch ms), vectorCount, dimension, format, compressed, fileSize, checksum, metadata})
 * plus {@code compression} and, for stores that order snapshots themselves, {@code sequence}. The
 * filesystem store writes it beside each snapshot, and any other snapshot store may use it for its
 * metadata objects, so that snapshots copied between stores read the same.
 */
public final class SnapshotMetadataJson {

    /**
     * A metadata document with the creation sequence its store assigned.
     *
     * @param metadata the metadata
     * @param sequence the store's creation sequence (increasing), or -1 in documents written without one
     */
    public record Stored(SnapshotMetadata metadata, long sequence) {
    }

    private SnapshotMetadataJson() {
    }

    /**
     * Writes the metadata as a JSON object; does not close the stream.
     *
     * @param m   the metadata
     * @param out the stream to write to
     * @throws IOException when the stream fails
     */
    public static void write(SnapshotMetadata m, OutputStream out) throws IOException {
        write(m, -1, out);
    }

    /**
     * Writes the metadata and a creation sequence as a JSON object; does not close the stream.
     *
     * @param m        the metadata
     * @param sequence the store's creation sequence, or -1 to write none
     * @param out      the stream to write to
     * @throws IOException when the stream fails
     */
    public static void write(SnapshotMetadata m, long sequence, OutputStream out) throws IOException {
        try (JsonGenerator g = JsonSetup.FACTORY.createGenerator(out)) {
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            g.writeStringField("id", m.id());
            g.writeStringField("name", m.name());
            g.writeNumberField("timestamp", m.timestamp().toEpochMilli());
            g.writeNumberField("vectorCount", m.vectorCount());
            g.writeNumberField("dimension", m.dimension());
            g.writeStringField("format", m.format());
            g.writeStringField("compression", m.compression());
            g.writeBooleanField("compressed", !"none".equals(m.compression()));
            g.writeNumberField("fileSize", m.fileSize());
            g.writeStringField("checksum", m.checksum());
            if (sequence >= 0) {
                g.writeNumberField("sequence", sequence);
            }
            g.writeFieldName("metadata");
            MetadataJson.write(g, m.metadata());
            g.writeEndObject();
        }
    }

    /**
     * Reads metadata written by {@link #write} or by the reference module.
     *
     * @param in the document; read to its end and closed
     * @return the metadata
     * @throws IOException when the document is malformed
     */
    public static SnapshotMetadata read(InputStream in) throws IOException {
        return readStored(in).metadata();
    }

    /**
     * Reads metadata and its creation sequence (-1 when the document has none, as older ones).
     *
     * @param in the document; read to its end and closed
     * @return the metadata and sequence
     * @throws IOException when the document is malformed
     */
    public static Stored readStored(InputStream in) throws IOException {
        Map<String, Object> doc = new HashMap<>();
        Map<String, Object> user = Map.of();
        try (InputStream source = in; JsonParser p = JsonSetup.FACTORY.createParser(source)) {
            JsonToken t = p.nextToken();
            if (t != JsonToken.START_OBJECT) {
                throw new JsonParseException(p, "snapshot metadata must be a JSON object, found " + MetadataJson.describe(t));
            }
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if (field.equals("metadata")) {
                    // the user's metadata has the model's levels of its own, counted from its top
                    user = value == JsonToken.VALUE_NULL ? Map.of() : MetadataJson.read(p);
                } else {
                    doc.put(field, MetadataJson.readValue(p));
                }
            }
            if (t != JsonToken.END_OBJECT) {
                throw new JsonParseException(p, "unexpected " + MetadataJson.describe(t) + " in snapshot metadata");
            }
            JsonToken after = p.nextToken();
            if (after != null) {
                throw new JsonParseException(p, "unexpected " + MetadataJson.describe(after) + " after the snapshot metadata");
            }
        } catch (RuntimeException e) {
            throw new IOException("malformed snapshot metadata: " + e.getMessage(), e);
        }
        try {
            String compression = (String) doc.get("compression");
            if (compression == null) {
                compression = Boolean.TRUE.equals(doc.get("compressed")) ? "unknown" : "none";
            }
            long sequence = doc.containsKey("sequence") ? num(doc, "sequence") : -1;
            if (doc.containsKey("sequence") && sequence < 0) {
                throw new IllegalArgumentException("'sequence' is negative");
            }
            return new Stored(new SnapshotMetadata((String) doc.get("id"), (String) doc.get("name"),
                    Instant.ofEpochMilli(num(doc, "timestamp")), num(doc, "vectorCount"), (int) num(doc, "dimension"),
                    (String) doc.get("format"), compression, num(doc, "fileSize"), (String) doc.get("checksum"),
                    user),
                    sequence);
        } catch (ClassCastException | NullPointerException | IllegalArgumentException e) {
            // IllegalArgumentException: also the user metadata outside the value model's limits
            throw new IOException("malformed snapshot metadata: " + e.getMessage(), e);
        }
    }

    private static long num(Map<String, Object> doc, String key) {
        Object v = doc.get(key);
        if (!(v instanceof Long l)) {
            throw new IllegalArgumentException("'" + key + "' is missing or not an integer");
        }
        return l;
    }
}
