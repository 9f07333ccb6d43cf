package dev.vecpersist.format.sqlite;

import com.fasterxml.jackson.core.JsonParseException;
import dev.vecpersist.api.CorruptedStateException;
import dev.vecpersist.api.VectorEntry;
import dev.vecpersist.json.MetadataJsonReader;

import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;

/**
 * The queries that stream the rows of a state, and the checks and decoding of each row.
 *
 * <p>Sizes are checked before a value is fetched, without a column read per size in the common
 * case: the query itself hands back the id as NULL when the vector's size is not the dimension's
 * or the id or the metadata is over its limit (SQLite measures them without loading them), and
 * only then, or for a NULL id, are the sizes read, checked (vector, id, metadata) and reported. Text
 * columns are fetched as UTF-8 bytes and decoded here (the same decoding as the driver's
 * {@code getString}, without the direct buffer it builds per value): each column read is a JNI
 * call, and the three size columns read per row and {@code getString} took 10-20% of the reader's
 * thread CPU time. Not thread-safe.
 */
final class SqliteRows {

    private static final int ID = 1;
    private static final int VECTOR = 2;
    private static final int METADATA = 3;
    private static final int ID_BYTES = 4;
    private static final int VECTOR_BYTES = 5;
    private static final int METADATA_BYTES = 6;

    private static final int DELETED_ID = 1;
    private static final int DELETED_ID_BYTES = 2;

    /** Deleted ids, the id NULL when it is over the limit (or NULL), then its size. */
    static final String SELECT_DELETED = "SELECT CASE WHEN octet_length(id) > " + SqliteSchema.MAX_ID_BYTES
            + " THEN NULL ELSE id END, octet_length(id) FROM deleted ORDER BY rowid";

    private final String source;
    private final int dimension;
    private final int vectorBytes;
    private final VectorBlob vectors;
    /** One metadata reader for all rows: plain flat objects skip Jackson, keys are shared across rows. */
    private final MetadataJsonReader metadataReader = new MetadataJsonReader();

    /**
     * @param source    names the file in messages
     * @param dimension the header's dimension
     */
    SqliteRows(String source, int dimension) {
        this.source = source;
        this.dimension = dimension;
        this.vectorBytes = dimension * Float.BYTES;
        this.vectors = new VectorBlob(dimension);
    }

    /**
     * {@return the entries' query for this dimension} The id comes back NULL when a size is wrong
     * (a NULL vector has none: {@code IS NOT}); the sizes follow the values.
     */
    String selectVectors() {
        return "SELECT CASE WHEN octet_length(vector) IS NOT " + vectorBytes
                + " OR octet_length(id) > " + SqliteSchema.MAX_ID_BYTES
                + " OR octet_length(metadata) > " + SqliteSchema.MAX_METADATA_BYTES
                + " THEN NULL ELSE id END, vector, metadata,"
                + " octet_length(id), octet_length(vector), octet_length(metadata) FROM vectors ORDER BY rowid";
    }

    /**
     * Checks and decodes the current row of {@link #selectVectors()}.
     *
     * @param rows  positioned on the row
     * @param index the entry's index, for messages
     * @throws CorruptedStateException when a size is wrong, a column NULL, a component not finite
     *         or the metadata not a valid document
     */
    VectorEntry entry(ResultSet rows, long index) throws SQLException {
        byte[] idBytes = rows.getBytes(ID);
        if (idBytes == null) {
            checkSizes(rows, index);
            throw malformed("entry " + index + " has NULL or inconsistent columns");
        }
        String id = new String(idBytes, StandardCharsets.UTF_8);
        byte[] blob = rows.getBytes(VECTOR);
        byte[] metadataJson = rows.getBytes(METADATA);
        if (blob == null || blob.length != vectorBytes || metadataJson == null) {
            throw malformed("entry " + index + " has NULL or inconsistent columns");
        }
        float[] vector = new float[dimension];
        int nonFinite = vectors.decode(blob, vector);
        if (nonFinite >= 0) {
            throw malformed("entry " + index + " ('" + id + "'): vector component " + nonFinite + " is "
                    + vectors.component(nonFinite));
        }
        Map<String, Object> metadata;
        try {
            // parsed from the column's bytes: a plain flat object needs no string of its text
            metadata = metadataReader.fromJson(metadataJson);
        } catch (JsonParseException e) {
            throw malformed("entry " + index + " ('" + id + "'): metadata: " + e.getOriginalMessage());
        }
        return new VectorEntry(id, vector, metadata);
    }

    /** The checks the query folded into a NULL id, one by one, for the message. */
    private void checkSizes(ResultSet rows, long index) throws SQLException {
        long vectorSize = rows.getLong(VECTOR_BYTES); // 0 for a NULL vector
        if (vectorSize != vectorBytes) {
            throw malformed("entry " + index + ": the vector has " + vectorSize + " bytes, "
                    + vectorBytes + " expected for dimension " + dimension);
        }
        checkTextSize("entry " + index + ": the id", rows.getLong(ID_BYTES), SqliteSchema.MAX_ID_BYTES);
        checkTextSize("entry " + index + ": the metadata", rows.getLong(METADATA_BYTES), SqliteSchema.MAX_METADATA_BYTES);
    }

    /**
     * Checks and decodes the current row of {@link #SELECT_DELETED}.
     *
     * @param rows  positioned on the row
     * @param index the deleted id's index, for messages
     * @throws CorruptedStateException when the id is over the limit or NULL
     */
    String deletedId(ResultSet rows, long index) throws SQLException {
        byte[] id = rows.getBytes(DELETED_ID);
        if (id == null) {
            checkTextSize("deleted id " + index, rows.getLong(DELETED_ID_BYTES), SqliteSchema.MAX_ID_BYTES);
            throw malformed("deleted id " + index + " is NULL");
        }
        return new String(id, StandardCharsets.UTF_8);
    }

    private void checkTextSize(String what, long bytes, long max) {
        if (bytes > max) {
            throw malformed(what + " has " + bytes + " bytes, more than the limit of " + max);
        }
    }

    private CorruptedStateException malformed(String what) {
        return new CorruptedStateException(source + ": malformed SQLite state: " + what);
    }
}
