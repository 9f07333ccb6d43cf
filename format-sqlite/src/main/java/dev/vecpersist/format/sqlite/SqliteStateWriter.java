package dev.vecpersist.format.sqlite;

import dev.vecpersist.api.StateHeader;
import dev.vecpersist.api.StateWriter;
import dev.vecpersist.api.VectorEntry;
import dev.vecpersist.json.MetadataJson;
import dev.vecpersist.api.ValueLimits;
import org.sqlite.SQLiteConfig;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

/**
 * Writes one state into a new SQLite file: one connection, one transaction, prepared statements
 * executed in batches of {@value SqliteSchema#BATCH}. Journal and sync are off: the file is a
 * fresh one that the manager fsyncs and renames into place only once {@link #finish} committed,
 * and discards otherwise. Not thread-safe.
 */
final class SqliteStateWriter implements StateWriter {

    private enum Phase { ENTRIES, DELETIONS, FINISHED }

    private final Path file;
    private final StateHeader header;
    private final Connection connection;
    private final PreparedStatement insertVector;
    private PreparedStatement insertDeleted;
    private Phase phase = Phase.ENTRIES;
    private int pending;

    SqliteStateWriter(Path file, StateHeader header) throws IOException {
        this.file = file;
        this.header = header;
        if (Files.exists(file)) {
            throw new FileAlreadyExistsException(file.toString(), null, "an SQLite state is written to a new file");
        }
        Map<String, String> metaRows = MetaTable.encode(header); // may refuse the user metadata: before opening anything
        Connection c = null;
        try {
            c = config(header).createConnection("jdbc:sqlite:" + file.toAbsolutePath());
            SqliteSchema.limitValueSizes(c);
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA application_id = " + SqliteSchema.APPLICATION_ID);
                s.execute("PRAGMA user_version = " + SqliteSchema.VERSION);
            }
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                for (String ddl : SqliteSchema.CREATE_TABLES) {
                    s.execute(ddl);
                }
            }
            try (PreparedStatement meta = c.prepareStatement(SqliteSchema.INSERT_META)) {
                for (Map.Entry<String, String> row : metaRows.entrySet()) {
                    meta.setString(1, row.getKey());
                    meta.setString(2, row.getValue());
                    meta.addBatch();
                }
                meta.executeBatch();
            }
            this.insertVector = c.prepareStatement(SqliteSchema.INSERT_VECTOR);
            this.connection = c;
        } catch (SQLException e) {
            closeQuietly(c);
            throw failure("cannot create the database", e);
        } catch (RuntimeException e) {
            closeQuietly(c);
            throw e;
        }
    }

    private static SQLiteConfig config(StateHeader header) {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.OFF);
        config.setSynchronous(SQLiteConfig.SynchronousMode.OFF);
        config.setLockingMode(SQLiteConfig.LockingMode.EXCLUSIVE);
        config.setPageSize(SqliteSchema.pageSize(header));
        config.setCacheSize(-SqliteSchema.WRITER_CACHE_KIB);
        return config;
    }

    @Override
    public void writeEntry(VectorEntry entry) throws IOException {
        if (phase != Phase.ENTRIES) {
            throw new IllegalStateException("entries must come before deletions and finish()");
        }
        ValueLimits.checkString(entry.id(), ValueLimits.MAX_ID_BYTES, "id '" + ValueLimits.preview(entry.id()) + "'");
        byte[] vector = littleEndian(entry);
        String metadata = MetadataJson.toJson(entry.metadata());
        ValueLimits.checkString(metadata, (int) SqliteSchema.MAX_METADATA_BYTES,
                "the metadata JSON of entry '" + ValueLimits.preview(entry.id()) + "'");
        try {
            insertVector.setString(1, entry.id());
            insertVector.setBytes(2, vector); // a fresh array: the driver keeps it until executeBatch
            insertVector.setString(3, metadata);
            insertVector.addBatch();
            if (++pending == SqliteSchema.BATCH) {
                flush(insertVector);
            }
        } catch (SQLException e) {
            throw failure("writing entries up to '" + entry.id() + "' failed", e);
        }
    }

    /** The vector as little-endian float32, refusing what the reader would refuse. */
    private byte[] littleEndian(VectorEntry entry) {
        float[] v = entry.vector();
        if (v.length != header.dimension()) {
            throw new IllegalArgumentException("entry '" + entry.id() + "' has " + v.length
                    + " components, the header says " + header.dimension());
        }
        ByteBuffer bytes = ByteBuffer.allocate(v.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < v.length; i++) {
            if (!Float.isFinite(v[i])) {
                throw new IllegalArgumentException("entry '" + entry.id() + "' has a non-finite component "
                        + v[i] + " at index " + i);
            }
            bytes.putFloat(v[i]);
        }
        return bytes.array();
    }

    @Override
    public void writeDeletion(String id) throws IOException {
        if (header.kind() != StateHeader.Kind.DELTA) {
            throw new IllegalStateException("only a delta state has deletions");
        }
        if (phase == Phase.FINISHED) {
            throw new IllegalStateException("the state is finished");
        }
        try {
            if (phase == Phase.ENTRIES) {
                flush(insertVector);
                insertDeleted = connection.prepareStatement(SqliteSchema.INSERT_DELETED);
                phase = Phase.DELETIONS;
            }
            ValueLimits.checkString(id, ValueLimits.MAX_ID_BYTES, "deleted id '" + ValueLimits.preview(id) + "'");
            insertDeleted.setString(1, id);
            insertDeleted.addBatch();
            if (++pending == SqliteSchema.BATCH) {
                flush(insertDeleted);
            }
        } catch (SQLException e) {
            throw failure("writing deletions up to '" + id + "' failed", e);
        }
    }

    private void flush(PreparedStatement statement) throws SQLException {
        if (pending > 0) {
            statement.executeBatch();
            pending = 0;
        }
    }

    @Override
    public void finish(String checksum) throws IOException {
        if (phase == Phase.FINISHED) {
            throw new IllegalStateException("the state is finished");
        }
        try {
            flush(phase == Phase.ENTRIES ? insertVector : insertDeleted);
            try (PreparedStatement meta = connection.prepareStatement(SqliteSchema.INSERT_META)) {
                meta.setString(1, MetaTable.CHECKSUM);
                meta.setString(2, checksum);
                meta.executeUpdate();
            }
            connection.commit();
            phase = Phase.FINISHED;
        } catch (SQLException e) {
            throw failure("completing the database failed", e);
        }
    }

    /** Closes the database; without {@link #finish} the transaction is abandoned and the caller deletes the file. */
    @Override
    public void close() throws IOException {
        SQLException failure = null;
        if (phase != Phase.FINISHED) {
            try {
                connection.rollback();
            } catch (SQLException e) {
                // with the journal off a rollback is best effort; the file is discarded anyway
            }
        }
        for (AutoCloseable c : new AutoCloseable[] {insertVector, insertDeleted, connection}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                if (failure == null) {
                    failure = e instanceof SQLException s ? s : new SQLException(e);
                }
            }
        }
        if (failure != null && phase == Phase.FINISHED) {
            throw failure("closing the database failed", failure);
        }
    }

    private IOException failure(String what, SQLException e) {
        return new IOException(file + ": " + what + ": " + e.getMessage(), e);
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                // the creation failure is what matters
            }
        }
    }
}
