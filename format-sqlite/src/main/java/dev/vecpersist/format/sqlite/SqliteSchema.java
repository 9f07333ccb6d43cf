package dev.vecpersist.format.sqlite;

import dev.vecpersist.api.StateHeader;
import dev.vecpersist.api.ValueLimits;

import java.util.List;

/** The database layout: pragmas, tables and the statements that fill them ({@link SqliteRows} reads them). */
final class SqliteSchema {

    /** The layout version, stored as {@code PRAGMA user_version} and as {@code meta.version}. */
    static final int VERSION = 1;
    /** {@code PRAGMA application_id}: "VPER" in ASCII, so {@code file(1)} and readers can tell our databases apart. */
    static final int APPLICATION_ID = 0x56504552;
    /** {@code meta.format}. */
    static final String FORMAT_MARKER = "vecpersist-sqlite";
    /** Largest dimension accepted on read. */
    static final int MAX_DIMENSION = ValueLimits.MAX_DIMENSION;
    /** Largest id accepted on read, checked before the value is fetched. */
    static final long MAX_ID_BYTES = ValueLimits.MAX_ID_BYTES;
    /** Largest metadata JSON text accepted on read: what metadata within the limits can take. */
    static final long MAX_METADATA_BYTES = ValueLimits.MAX_METADATA_JSON_BYTES;
    /** Largest text or blob a state holds (a vector, a metadata document or the index state), checked before it is fetched. */
    static final long MAX_TEXT_BYTES = Math.max(256L << 20, Math.max(MAX_METADATA_BYTES, (long) MAX_DIMENSION * Float.BYTES));

    /** Rows per {@code executeBatch}. */
    static final int BATCH = 1000;
    /** States with fewer rows than this get small pages, so that a small delta makes a small file. */
    static final long SMALL_STATE_ROWS = 1000;
    /**
     * 64 KiB pages: measured best or equal for dimensions 384, 768 and 1536 (100K rows: 166, 330 and
     * 658 MB, 1-25% smaller than 4-32 KiB pages, whose leftover space per page fits no further row),
     * and the fastest to write and scan.
     */
    static final int LARGE_PAGE = 65536;
    static final int SMALL_PAGE = 4096;
    /**
     * Page cache of the writer, in KiB: the id index of a large state is updated in random order and
     * thrashes SQLite's 2 MB default (1M random ids: 19 s with 2 MB, 5 s with 64 MB).
     */
    static final int WRITER_CACHE_KIB = 64 * 1024;

    static final List<String> CREATE_TABLES = List.of(
            "CREATE TABLE meta (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL)",
            // vector: dimension x float32, little-endian; metadata: a JSON object
            "CREATE TABLE vectors (id TEXT PRIMARY KEY NOT NULL, vector BLOB NOT NULL, metadata TEXT NOT NULL)",
            "CREATE TABLE deleted (id TEXT PRIMARY KEY NOT NULL)");

    static final String INSERT_META = "INSERT INTO meta (key, value) VALUES (?, ?)";
    static final String INSERT_VECTOR = "INSERT INTO vectors (id, vector, metadata) VALUES (?, ?, ?)";
    static final String INSERT_DELETED = "INSERT INTO deleted (id) VALUES (?)";

    private SqliteSchema() {
    }

    /**
     * Sets SQLite's own limit on one string or blob (SQLITE_LIMIT_LENGTH) to the largest value a
     * state within {@link ValueLimits} holds: the metadata JSON text, or a vector of the largest dimension.
     *
     * @return null (for use in a guarded step)
     */
    static Void limitValueSizes(java.sql.Connection c) throws java.sql.SQLException {
        long longest = Math.max(MAX_METADATA_BYTES, (long) MAX_DIMENSION * Float.BYTES);
        c.unwrap(org.sqlite.SQLiteConnection.class).setLimit(org.sqlite.SQLiteLimits.SQLITE_LIMIT_LENGTH,
                (int) Math.min(Integer.MAX_VALUE, longest + 1024));
        return null;
    }

    static int pageSize(StateHeader header) {
        return header.entryCount() + header.deletionCount() < SMALL_STATE_ROWS ? SMALL_PAGE : LARGE_PAGE;
    }
}
