package dev.vecpersist.format.sqlite;

import dev.vecpersist.api.CorruptedStateException;
import org.sqlite.SQLiteConnection;
import org.sqlite.SQLiteLimits;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Makes a connection to an untrusted SQLite file safe to read, and checks its schema before any
 * row is read: a hostile file can replace a table by a view (endless recursive CTEs, billions of
 * generated rows) or add triggers. Only the three tables the writer creates, with their columns,
 * and their automatic primary-key indexes are accepted.
 */
final class SqliteSchemaCheck {

    /** The writer's tables and their columns, in order. */
    private static final Map<String, List<String>> TABLES = new TreeMap<>(Map.of(
            "meta", List.of("key", "value"),
            "vectors", List.of("id", "vector", "metadata"),
            "deleted", List.of("id")));
    /** Largest meta value other than the index state (the header's fields and its user metadata). */
    static final long MAX_META_BYTES = 16L << 20;
    /** Largest string or blob SQLite will build: the largest text a state holds, plus room for a key. */
    static final int MAX_LENGTH = (int) Math.min(Integer.MAX_VALUE, SqliteSchema.MAX_TEXT_BYTES + 1024);

    private SqliteSchemaCheck() {
    }

    /** Read-only in every way SQLite offers, no schema-defined functions, bounded string and SQL sizes. */
    static void harden(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA query_only = 1");
            s.execute("PRAGMA trusted_schema = OFF");
        }
        SQLiteConnection sqlite = c.unwrap(SQLiteConnection.class);
        sqlite.setLimit(SQLiteLimits.SQLITE_LIMIT_LENGTH, MAX_LENGTH);
        sqlite.setLimit(SQLiteLimits.SQLITE_LIMIT_SQL_LENGTH, 1 << 20);
        sqlite.setLimit(SQLiteLimits.SQLITE_LIMIT_ATTACHED, 0);
        sqlite.setLimit(SQLiteLimits.SQLITE_LIMIT_TRIGGER_DEPTH, 1);
    }

    /**
     * Requires exactly the writer's schema.
     *
     * @param source names the file in messages
     * @throws CorruptedStateException on a view, trigger, other table or index, or other columns
     */
    static void check(Connection c, String source) throws SQLException {
        List<String> unexpected = new ArrayList<>();
        Set<String> tables = new java.util.HashSet<>();
        try (Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT type, name, tbl_name FROM sqlite_master")) {
            while (r.next()) {
                String type = r.getString(1);
                String name = r.getString(2);
                String table = r.getString(3);
                if ("table".equals(type) && TABLES.containsKey(name)) {
                    tables.add(name);
                } else if (!("index".equals(type) && name != null && name.startsWith("sqlite_autoindex_")
                        && TABLES.containsKey(table))) {
                    unexpected.add(type + " '" + name + "'");
                }
                if (unexpected.size() > 10) {
                    break;
                }
            }
        }
        if (!unexpected.isEmpty()) {
            throw malformed(source, "the schema holds " + String.join(", ", unexpected)
                    + "; a state holds only the tables meta, vectors and deleted (no views, triggers or other objects)");
        }
        for (Map.Entry<String, List<String>> t : TABLES.entrySet()) {
            if (!tables.contains(t.getKey())) {
                throw malformed(source, "table '" + t.getKey() + "' is missing");
            }
            List<String> columns = new ArrayList<>();
            try (Statement s = c.createStatement();
                 ResultSet r = s.executeQuery("PRAGMA table_info(" + t.getKey() + ")")) {
                while (r.next() && columns.size() <= 16) {
                    columns.add(r.getString("name"));
                }
            }
            if (!columns.equals(t.getValue())) {
                throw malformed(source, "table '" + t.getKey() + "' has columns " + columns + ", expected " + t.getValue());
            }
        }
    }

    private static CorruptedStateException malformed(String source, String what) {
        return new CorruptedStateException(source + ": malformed SQLite state: " + what);
    }
}
