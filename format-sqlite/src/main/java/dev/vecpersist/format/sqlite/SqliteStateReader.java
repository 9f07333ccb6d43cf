package dev.vecpersist.format.sqlite;

import dev.vecpersist.api.CorruptedStateException;
import dev.vecpersist.api.IncompatibleStateException;
import dev.vecpersist.api.Metric;
import dev.vecpersist.api.StateHeader;
import dev.vecpersist.api.StateReader;
import dev.vecpersist.api.VectorEntry;
import dev.vecpersist.format.json.MetadataJson;
import org.sqlite.SQLiteConfig;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads one SQLite state, streaming rows from a forward-only result set (never all rows at once).
 * Any SQLite error ("file is not a database", "database disk image is malformed") or content that
 * breaks the schema is a {@link CorruptedStateException}. Not thread-safe.
 */
final class SqliteStateReader implements StateReader {

    private static final int MAX_DIMENSION = 1 << 20;

    private final String source;
    private final Connection connection;
    private final Map<String, String> meta = new HashMap<>();
    private final StateHeader header;
    private PreparedStatement query;
    private ResultSet rows;
    private boolean entriesDone;
    private boolean deletionsDone;
    private long index;

    SqliteStateReader(Path file, String source) throws IOException {
        this.source = source;
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        config.setOpenMode(org.sqlite.SQLiteOpenMode.READONLY);
        try {
            connection = config.createConnection("jdbc:sqlite:" + file);
        } catch (SQLException e) {
            throw corrupt("cannot open as SQLite", e);
        }
        try {
            checkLength(file);
            this.header = readHeader();
        } catch (CorruptedStateException | IncompatibleStateException e) {
            closeQuietly();
            throw e;
        } catch (SQLException | RuntimeException e) {
            closeQuietly();
            throw corrupt("unreadable header", e);
        }
    }

    /** SQLite happily reads a file cut after its last used page: compare the length with what it should be. */
    private void checkLength(Path file) throws SQLException {
        long expected;
        try (Statement s = connection.createStatement()) {
            expected = (long) intPragma(s, "page_count") * intPragma(s, "page_size");
        }
        long actual;
        try {
            actual = java.nio.file.Files.size(file);
        } catch (IOException e) {
            throw new SQLException("cannot read the file size: " + e.getMessage(), e);
        }
        if (actual != expected) {
            throw malformed("the file has " + actual + " bytes, its header says " + expected + " (truncated?)");
        }
    }

    private StateHeader readHeader() throws SQLException {
        try (Statement s = connection.createStatement()) {
            int appId = intPragma(s, "application_id");
            if (appId != SqliteStateFormat.APPLICATION_ID) {
                throw malformed("an SQLite database, but not a VecPersist state (application_id " + appId + ")");
            }
            int version = intPragma(s, "user_version");
            if (version > SqliteStateFormat.VERSION) {
                throw new IncompatibleStateException(source + ": SQLite state version " + version
                        + " is newer than this library reads (" + SqliteStateFormat.VERSION + "); upgrade VecPersist");
            }
            try (ResultSet r = s.executeQuery("SELECT key, value FROM meta")) {
                while (r.next()) {
                    meta.put(r.getString(1), r.getString(2));
                }
            }
        }
        StateHeader.Kind kind = switch (field("kind")) {
            case "full" -> StateHeader.Kind.FULL;
            case "delta" -> StateHeader.Kind.DELTA;
            default -> throw malformed("unknown kind '" + meta.get("kind") + "'");
        };
        long dimension = number("dimension");
        if (dimension < 1 || dimension > MAX_DIMENSION) {
            throw malformed("dimension " + dimension + " is out of range 1.." + MAX_DIMENSION);
        }
        Metric metric;
        try {
            metric = Metric.fromFileName(field("metric"));
        } catch (IllegalArgumentException e) {
            throw malformed(e.getMessage());
        }
        Map<String, Object> userMetadata;
        try {
            userMetadata = MetadataJson.fromJson(field("userMetadata"));
        } catch (IOException e) {
            throw malformed("userMetadata: " + e.getMessage());
        }
        byte[] indexState = null;
        if (meta.containsKey("indexState")) {
            try {
                indexState = Base64.getDecoder().decode(meta.get("indexState"));
            } catch (IllegalArgumentException e) {
                throw malformed("indexState is not base64");
            }
        }
        long entries = number("entryCount");
        long deletions = number("deletionCount");
        if (entries < 0 || deletions < 0 || (kind == StateHeader.Kind.FULL && deletions != 0)) {
            throw malformed("invalid counts");
        }
        return new StateHeader((int) number("version"), kind, (int) dimension, metric, entries, deletions,
                Instant.ofEpochMilli(number("createdAt")), userMetadata, indexState);
    }

    private static int intPragma(Statement s, String name) throws SQLException {
        try (ResultSet r = s.executeQuery("PRAGMA " + name)) {
            return r.next() ? r.getInt(1) : 0;
        }
    }

    @Override
    public StateHeader header() {
        return header;
    }

    @Override
    public VectorEntry nextEntry() throws IOException {
        if (entriesDone) {
            return null;
        }
        try {
            if (rows == null) {
                open("SELECT id, vector, metadata FROM vectors ORDER BY rowid");
            }
            if (!rows.next()) {
                entriesDone = true;
                closeQuery();
                return null;
            }
            String id = rows.getString(1);
            byte[] blob = rows.getBytes(2);
            String metadataJson = rows.getString(3);
            int expected = header.dimension() * Float.BYTES;
            if (id == null || blob == null || metadataJson == null) {
                throw malformed("row " + index + " has NULL columns");
            }
            if (blob.length != expected) {
                throw malformed("row " + index + " ('" + id + "'): vector has " + blob.length + " bytes, expected " + expected);
            }
            float[] vector = new float[header.dimension()];
            ByteBuffer.wrap(blob).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(vector);
            Map<String, Object> metadata;
            try {
                metadata = MetadataJson.fromJson(metadataJson);
            } catch (IOException e) {
                throw malformed("row " + index + " ('" + id + "'): metadata: " + e.getMessage());
            }
            index++;
            return new VectorEntry(id, vector, metadata);
        } catch (CorruptedStateException e) {
            throw e;
        } catch (SQLException | RuntimeException e) {
            throw corrupt("reading row " + index, e);
        }
    }

    @Override
    public String nextDeletion() throws IOException {
        while (!entriesDone) {
            nextEntry();
        }
        if (deletionsDone) {
            return null;
        }
        try {
            if (rows == null) {
                open("SELECT id FROM deleted ORDER BY rowid");
            }
            if (!rows.next()) {
                deletionsDone = true;
                closeQuery();
                return null;
            }
            String id = rows.getString(1);
            if (id == null) {
                throw malformed("a deleted id is NULL");
            }
            return id;
        } catch (CorruptedStateException e) {
            throw e;
        } catch (SQLException | RuntimeException e) {
            throw corrupt("reading deletions", e);
        }
    }

    @Override
    public String storedChecksum() throws IOException {
        while (nextDeletion() != null) {
            // drain
        }
        return meta.get("checksum");
    }

    @Override
    public void close() throws IOException {
        try {
            closeQuery();
            connection.close();
        } catch (SQLException e) {
            throw new IOException("closing " + source + " failed: " + e.getMessage(), e);
        }
    }

    private void open(String sql) throws SQLException {
        query = connection.prepareStatement(sql, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
        rows = query.executeQuery();
    }

    private void closeQuery() throws SQLException {
        if (rows != null) {
            rows.close();
            query.close();
            rows = null;
            query = null;
        }
    }

    private void closeQuietly() {
        try {
            close();
        } catch (IOException e) {
            // reporting the original failure matters more
        }
    }

    private String field(String key) {
        String v = meta.get(key);
        if (v == null) {
            throw malformed("meta has no '" + key + "'");
        }
        return v;
    }

    private long number(String key) {
        try {
            return Long.parseLong(field(key));
        } catch (NumberFormatException e) {
            throw malformed("meta '" + key + "' is not an integer: " + meta.get(key));
        }
    }

    private CorruptedStateException malformed(String what) {
        return new CorruptedStateException(source + ": malformed SQLite state: " + what);
    }

    private CorruptedStateException corrupt(String what, Exception e) {
        return new CorruptedStateException(source + ": corrupt SQLite state (" + what + "): " + e.getMessage(), e);
    }
}
