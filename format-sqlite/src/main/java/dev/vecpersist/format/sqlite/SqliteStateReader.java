package dev.vecpersist.format.sqlite;

import dev.vecpersist.api.CorruptedStateException;
import dev.vecpersist.api.IncompatibleStateException;
import dev.vecpersist.api.StateHeader;
import dev.vecpersist.api.StateReader;
import dev.vecpersist.api.VectorEntry;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads one SQLite state. The file is opened read-only and checked (length, application id,
 * version, tables, header rows) when the reader is created; rows then stream from a forward-only
 * cursor, one per {@link #nextEntry()}, never collected, checked and decoded by {@link SqliteRows}
 * (sizes before values are fetched). Any SQLite error about the content ("file is not a database",
 * "database disk image is malformed") or content that breaks the layout is a
 * {@link CorruptedStateException} naming the file; failures to read the storage are
 * {@link IOException}s. Not thread-safe.
 */
final class SqliteStateReader implements StateReader {

    /** One step of reading, which may fail. */
    private interface Step<T> {
        T run() throws SQLException, IOException;
    }

    private final String source;
    private final Connection connection;
    private final StateHeader header;
    private final String checksum;
    private final PreparedStatement selectVectors;
    private final PreparedStatement selectDeleted;
    private final SqliteRows decoder;
    private StepBudget budget;
    private ResultSet rows;
    private boolean entriesDone;
    private boolean deletionsDone;
    private long entryIndex;
    private long deletionIndex;

    SqliteStateReader(Path file, String source) throws IOException {
        this.source = source;
        if (!Files.exists(file)) {
            throw new NoSuchFileException(file.toString());
        }
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        Connection c = null;
        try {
            c = guarded("opening the database", () -> config.createConnection("jdbc:sqlite:" + file.toAbsolutePath()));
            Connection opened = c;
            budget = guarded("opening the database", () -> {
                SqliteSchemaCheck.harden(opened);
                return StepBudget.install(opened);
            });
            checkLength(opened, file);
            int version = checkIdentity(opened);
            guarded("checking the schema", () -> {
                SqliteSchemaCheck.check(opened, source);
                return null;
            });
            Map<String, String> meta = guarded("reading the meta table", () -> readMeta(opened));
            this.header = MetaTable.decode(meta, version, source);
            this.checksum = meta.get(MetaTable.CHECKSUM);
            this.decoder = new SqliteRows(source, header.dimension());
            // preparing checks that the tables and columns exist, without reading a row
            this.selectVectors = guarded("the vectors table", () -> opened.prepareStatement(decoder.selectVectors(),
                    ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY));
            this.selectDeleted = guarded("the deleted table", () -> opened.prepareStatement(SqliteRows.SELECT_DELETED,
                    ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY));
            this.connection = c;
        } catch (IOException | RuntimeException e) {
            closeQuietly(c);
            throw e;
        }
    }

    /** SQLite reads a file cut after its last used page without complaint: its length must match the header's. */
    private void checkLength(Connection c, Path file) throws IOException {
        long expected = guarded("reading the database header", () -> {
            try (Statement s = c.createStatement()) {
                return (long) intPragma(s, "page_count") * intPragma(s, "page_size");
            }
        });
        long actual = Files.size(file);
        if (actual != expected) {
            throw malformed("the file has " + actual + " bytes, its pages make " + expected + " (truncated or extended?)");
        }
    }

    /** Checks the application id and returns the layout version. */
    private int checkIdentity(Connection c) throws IOException {
        int[] ids = guarded("reading the database header", () -> {
            try (Statement s = c.createStatement()) {
                return new int[] {intPragma(s, "application_id"), intPragma(s, "user_version")};
            }
        });
        if (ids[0] != SqliteSchema.APPLICATION_ID) {
            throw malformed(String.format(java.util.Locale.ROOT, "an SQLite database, but not a VecPersist state (application_id 0x%08x, expected 0x%08x)",
                    ids[0], SqliteSchema.APPLICATION_ID));
        }
        int version = ids[1];
        if (version > SqliteSchema.VERSION) {
            throw new IncompatibleStateException(source + ": SQLite state layout version " + version
                    + " is newer than the newest this library reads (" + SqliteSchema.VERSION + "); upgrade VecPersist to load it");
        }
        if (version < 1) {
            throw malformed("PRAGMA user_version is " + version + ", not a layout version");
        }
        return version;
    }

    private Map<String, String> readMeta(Connection c) throws SQLException {
        Map<String, String> meta = new HashMap<>();
        // only the known keys: a hostile table cannot make us hold more than these
        String marks = String.join(",", MetaTable.KEYS.stream().map(k -> "?").toList());
        // the size first: a hostile value must not be fetched (SQLite's length limit stops what slips through)
        try (PreparedStatement s = c.prepareStatement("SELECT key, octet_length(value), value FROM meta WHERE key IN ("
                + marks + ")")) {
            for (int i = 0; i < MetaTable.KEYS.size(); i++) {
                s.setString(i + 1, MetaTable.KEYS.get(i));
            }
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    String key = r.getString(1);
                    long bytes = r.getLong(2);
                    long cap = MetaTable.INDEX_STATE.equals(key) ? SqliteSchema.MAX_TEXT_BYTES : SqliteSchemaCheck.MAX_META_BYTES;
                    if (bytes > cap) {
                        throw malformed("meta." + key + " has " + bytes + " bytes, more than " + cap);
                    }
                    meta.put(key, r.getString(3));
                }
            }
        }
        return meta;
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
        return guarded("reading entry ", entryIndex, () -> {
            if (rows == null) {
                rows = selectVectors.executeQuery();
            }
            if (!rows.next()) {
                entriesDone = true;
                closeRows();
                return null;
            }
            if (entryIndex >= header.entryCount()) {
                throw malformed("the vectors table holds more rows than the " + header.entryCount() + " the header announces");
            }
            VectorEntry entry = decoder.entry(rows, entryIndex);
            entryIndex++;
            return entry;
        });
    }

    @Override
    public String nextDeletion() throws IOException {
        while (!entriesDone) {
            nextEntry();
        }
        if (deletionsDone) {
            return null;
        }
        return guarded("reading deleted id ", deletionIndex, () -> {
            if (rows == null) {
                rows = selectDeleted.executeQuery();
            }
            if (!rows.next()) {
                deletionsDone = true;
                closeRows();
                return null;
            }
            if (header.kind() != StateHeader.Kind.DELTA) {
                throw malformed("a full state lists deleted ids");
            }
            if (deletionIndex >= header.deletionCount()) {
                throw malformed("the deleted table holds more rows than the " + header.deletionCount()
                        + " the header announces");
            }
            String id = decoder.deletedId(rows, deletionIndex);
            deletionIndex++;
            return id;
        });
    }

    /** The checksum from the meta table, read when the reader was opened; drains the rows first, as the contract says. */
    @Override
    public String storedChecksum() throws IOException {
        while (nextDeletion() != null) {
            // drain
        }
        return checksum;
    }

    @Override
    public void close() throws IOException {
        try {
            closeRows();
            selectVectors.close();
            selectDeleted.close();
            connection.close();
        } catch (SQLException e) {
            throw new IOException(source + ": closing the database failed: " + e.getMessage(), e);
        }
    }

    private void closeRows() throws SQLException {
        if (rows != null) {
            rows.close();
            rows = null;
        }
    }

    /**
     * Runs a step. SQLite's failures of the storage (I/O errors, out of memory, cannot open) stay
     * I/O failures; everything else it says about a file (not a database, malformed, no such table)
     * is corruption.
     */
    private <T> T guarded(String what, Step<T> step) throws IOException {
        return guarded(what, -1, step);
    }

    /**
     * Runs a step of one row; its message ({@code what} and the row's index) is built only on failure.
     *
     * @param index the row's index, appended to {@code what} when not negative
     */
    private <T> T guarded(String what, long index, Step<T> step) throws IOException {
        if (budget != null) {
            budget.reset();
        }
        try {
            return step.run();
        } catch (SQLException e) {
            String doing = index < 0 ? what : what + index;
            if (budget != null && budget.exhausted()) {
                throw new CorruptedStateException(source + ": corrupt SQLite state (" + doing + "): a statement ran "
                        + "far longer than any state needs and was interrupted", e);
            }
            if (e instanceof SQLiteException s && isStorageFailure(s.getResultCode())) {
                throw new IOException(source + ": " + doing + ": " + e.getMessage(), e);
            }
            throw new CorruptedStateException(source + ": corrupt SQLite state (" + doing + "): " + e.getMessage(), e);
        }
    }

    private static boolean isStorageFailure(SQLiteErrorCode code) {
        if (code == null || code == SQLiteErrorCode.SQLITE_IOERR_SHORT_READ) {
            return false; // a short read is a truncated file
        }
        int primary = code.code & 0xff;
        return primary == SQLiteErrorCode.SQLITE_IOERR.code || primary == SQLiteErrorCode.SQLITE_NOMEM.code
                || primary == SQLiteErrorCode.SQLITE_CANTOPEN.code || primary == SQLiteErrorCode.SQLITE_FULL.code;
    }

    private CorruptedStateException malformed(String what) {
        return new CorruptedStateException(source + ": malformed SQLite state: " + what);
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                // the original failure matters more
            }
        }
    }
}
