package dev.vecpersist.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.vecpersist.api.SnapshotMetadata;
import dev.vecpersist.api.SnapshotPiece;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@link SnapshotMetadata} as a JSON document, in the reference module's layout ({@code id, name,
 * timestamp (epoch ms), vectorCount, dimension, format, compressed, fileSize, checksum, metadata})
 * plus {@code compression} and, for stores that order snapshots themselves, {@code sequence}. The
 * filesystem store writes it beside each snapshot, and any other snapshot store may use it for its
 * metadata objects, so that snapshots copied between stores read the same.
 *
 * <p>A differential snapshot's document carries {@code "version": 2} and {@code "pieces"}, an array
 * of {@code {id, kind, entries, deletions, size, sha256, contentChecksum}} in replay order; a full
 * snapshot's document is written exactly as before (no version field, which reads as version 1).
 * A document of a version above {@value #VERSION} is refused.
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

    /** The newest document version this class reads and writes (2: pieces). */
    public static final int VERSION = 2;

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
            if (m.isDifferential()) {
                g.writeNumberField("version", VERSION);
                writePieces(g, m.pieces());
            }
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
        List<SnapshotPiece> pieces = List.of();
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
                } else if (field.equals("pieces")) {
                    pieces = readPieces(p);
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
            long version = doc.containsKey("version") ? num(doc, "version") : 1;
            if (version < 1 || version > VERSION) {
                throw new IllegalArgumentException("version " + version + " is not supported (this reader knows 1 to "
                        + VERSION + "; a newer VecPersist wrote it?)");
            }
            long sequence = doc.containsKey("sequence") ? num(doc, "sequence") : -1;
            if (doc.containsKey("sequence") && sequence < 0) {
                throw new IllegalArgumentException("'sequence' is negative");
            }
            return new Stored(new SnapshotMetadata((String) doc.get("id"), (String) doc.get("name"),
                    Instant.ofEpochMilli(num(doc, "timestamp")), num(doc, "vectorCount"), (int) num(doc, "dimension"),
                    (String) doc.get("format"), compression, num(doc, "fileSize"), (String) doc.get("checksum"),
                    user, pieces),
                    sequence);
        } catch (ClassCastException | NullPointerException | IllegalArgumentException e) {
            // IllegalArgumentException: also the user metadata outside the value model's limits
            throw new IOException("malformed snapshot metadata: " + e.getMessage(), e);
        }
    }

    private static void writePieces(JsonGenerator g, List<SnapshotPiece> pieces) throws IOException {
        g.writeArrayFieldStart("pieces");
        for (SnapshotPiece piece : pieces) {
            g.writeStartObject();
            g.writeStringField("id", piece.id());
            g.writeStringField("kind", piece.kind().name().toLowerCase(Locale.ROOT));
            g.writeNumberField("entries", piece.entries());
            g.writeNumberField("deletions", piece.deletions());
            g.writeNumberField("size", piece.size());
            g.writeStringField("sha256", piece.sha256());
            g.writeStringField("contentChecksum", piece.contentChecksum());
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    /** Reads the pieces array; the parser is at its START_ARRAY. */
    private static List<SnapshotPiece> readPieces(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw new JsonParseException(p, "'pieces' must be an array, found " + MetadataJson.describe(p.currentToken()));
        }
        List<SnapshotPiece> pieces = new ArrayList<>();
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.START_OBJECT) {
            Map<String, Object> fields = new HashMap<>();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                fields.put(field, MetadataJson.readValue(p));
            }
            pieces.add(new SnapshotPiece((String) fields.get("id"),
                    SnapshotPiece.Kind.valueOf(String.valueOf(fields.get("kind")).toUpperCase(Locale.ROOT)),
                    num(fields, "entries"), num(fields, "deletions"), num(fields, "size"),
                    (String) fields.get("sha256"), (String) fields.get("contentChecksum")));
        }
        if (t != JsonToken.END_ARRAY) {
            throw new JsonParseException(p, "unexpected " + MetadataJson.describe(t) + " in the snapshot's pieces");
        }
        return pieces;
    }

    private static long num(Map<String, Object> doc, String key) {
        Object v = doc.get(key);
        if (!(v instanceof Long l)) {
            throw new IllegalArgumentException("'" + key + "' is missing or not an integer");
        }
        return l;
    }
}
