package dev.vecpersist.format.sqlite;

import dev.vecpersist.api.StateHeader;
import dev.vecpersist.api.StateWriter;
import dev.vecpersist.api.VectorEntry;
import dev.vecpersist.format.json.MetadataJson;
import org.sqlite.SQLiteConfig;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Writes one state into a new SQLite file, in one transaction with batched prepared statements.
 * Journal and sync are off: the file is a temporary one that the manager fsyncs and renames only
 * once it is complete. Not thread-safe.
 */
final class SqliteStateWriter implements StateWriter {

    private static final int BATCH = 1000;

    private final Connection connection;
    private final PreparedStatement insertEntry;
    private PreparedStatement insertDeletion;
    private final ByteBuffer vectorBytes;
    private int pending;
    private boolean finished;

    SqliteStateWriter(Path file, StateHeader header) throws IOException {
        if (Files.exists(file)) {
            throw new IOException(file + " already exists");
        }
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.OFF);
        config.setSynchronous(SQLiteConfig.SynchronousMode.OFF);
        config.setPageSize(8192);
        config.setLockingMode(SQLiteConfig.LockingMode.EXCLUSIVE);
        try {
            connection = config.createConnection("jdbc:sqlite:" + file);
            try (Statement s = connection.createStatement()) {
                s.execute("PRAGMA application_id = " + SqliteStateFormat.APPLICATION_ID);
                s.execute("PRAGMA user_version = " + SqliteStateFormat.VERSION);
            }
            connection.setAutoCommit(false);
            try (Statement s = connection.createStatement()) {
                s.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
                s.execute("CREATE TABLE vectors (id TEXT PRIMARY KEY, vector BLOB NOT NULL, metadata TEXT NOT NULL)");
                s.execute("CREATE TABLE deleted (id TEXT PRIMARY KEY)");
            }
            try (PreparedStatement meta = connection.prepareStatement("INSERT INTO meta (key, value) VALUES (?, ?)")) {
                for (Map.Entry<String, String> e : headerFields(header).entrySet()) {
                    meta.setString(1, e.getKey());
                    meta.setString(2, e.getValue());
                    meta.addBatch();
                }
                meta.executeBatch();
            }
            insertEntry = connection.prepareStatement("INSERT INTO vectors (id, vector, metadata) VALUES (?, ?, ?)");
        } catch (SQLException e) {
            throw new IOException("cannot create SQLite state " + file + ": " + e.getMessage(), e);
        }
        vectorBytes = ByteBuffer.allocate(header.dimension() * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    }

    static Map<String, String> headerFields(StateHeader h) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("format", "vecpersist-sqlite");
        m.put("version", String.valueOf(SqliteStateFormat.VERSION));
        m.put("kind", h.kind().name().toLowerCase(Locale.ROOT));
        m.put("dimension", String.valueOf(h.dimension()));
        m.put("metric", h.metric().fileName());
        m.put("entryCount", String.valueOf(h.entryCount()));
        m.put("deletionCount", String.valueOf(h.deletionCount()));
        m.put("createdAt", String.valueOf(h.createdAt().toEpochMilli()));
        m.put("userMetadata", MetadataJson.toJson(h.userMetadata()));
        if (h.indexState() != null) {
            m.put("indexState", Base64.getEncoder().encodeToString(h.indexState()));
        }
        return m;
    }

    @Override
    public void writeEntry(VectorEntry entry) throws IOException {
        vectorBytes.clear();
        vectorBytes.asFloatBuffer().put(entry.vector());
        try {
            insertEntry.setString(1, entry.id());
            // a copy: the driver keeps a reference to batched parameters until executeBatch
            insertEntry.setBytes(2, vectorBytes.array().clone());
            insertEntry.setString(3, MetadataJson.toJson(entry.metadata()));
            insertEntry.addBatch();
            if (++pending == BATCH) {
                insertEntry.executeBatch();
                pending = 0;
            }
        } catch (SQLException e) {
            throw new IOException("writing entry '" + entry.id() + "' failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void writeDeletion(String id) throws IOException {
        try {
            if (insertDeletion == null) {
                flushEntries();
                insertDeletion = connection.prepareStatement("INSERT INTO deleted (id) VALUES (?)");
            }
            insertDeletion.setString(1, id);
            insertDeletion.addBatch();
            if (++pending == BATCH) {
                insertDeletion.executeBatch();
                pending = 0;
            }
        } catch (SQLException e) {
            throw new IOException("writing deletion '" + id + "' failed: " + e.getMessage(), e);
        }
    }

    private void flushEntries() throws SQLException {
        if (pending > 0) {
            insertEntry.executeBatch();
            pending = 0;
        }
    }

    @Override
    public void finish(String checksum) throws IOException {
        try {
            if (insertDeletion != null) {
                if (pending > 0) {
                    insertDeletion.executeBatch();
                    pending = 0;
                }
            } else {
                flushEntries();
            }
            try (PreparedStatement meta = connection.prepareStatement("INSERT INTO meta (key, value) VALUES ('checksum', ?)")) {
                meta.setString(1, checksum);
                meta.executeUpdate();
            }
            connection.commit();
            finished = true;
        } catch (SQLException e) {
            throw new IOException("completing the SQLite state failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            if (!finished) {
                connection.rollback();
            }
        } catch (SQLException e) {
            // the caller discards an unfinished file anyway
        } finally {
            try {
                insertEntry.close();
                if (insertDeletion != null) {
                    insertDeletion.close();
                }
                connection.close();
            } catch (SQLException e) {
                throw new IOException("closing the SQLite state failed: " + e.getMessage(), e);
            }
        }
    }
}
