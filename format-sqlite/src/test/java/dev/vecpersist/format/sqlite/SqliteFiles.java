package dev.vecpersist.format.sqlite;

import dev.vecpersist.api.Metric;
import dev.vecpersist.api.StateHeader;
import dev.vecpersist.api.StateReader;
import dev.vecpersist.api.StateSource;
import dev.vecpersist.api.VectorEntry;
import dev.vecpersist.testkit.StateFiles;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Test helpers: write a state, read one without checksum verification, run SQL on a file. */
final class SqliteFiles {

    static final SqliteStateFormat FORMAT = new SqliteStateFormat();

    private SqliteFiles() {
    }

    static StateHeader full(int dimension, long count) {
        return StateHeader.full(SqliteStateFormat.VERSION, dimension, Metric.COSINE, count, Instant.ofEpochMilli(1_700_000_000_000L));
    }

    static String write(Path f, StateHeader header, List<VectorEntry> entries) throws IOException {
        return StateFiles.write(FORMAT, f, header, entries, List.of());
    }

    /** Everything a reader gives, without checksum verification. */
    record RawRead(StateHeader header, List<VectorEntry> entries, List<String> deletions, String checksum) {
    }

    static RawRead read(Path f) throws IOException {
        try (StateReader reader = FORMAT.newReader(StateSource.ofFile(f, f.toString()))) {
            List<VectorEntry> entries = new ArrayList<>();
            for (VectorEntry e = reader.nextEntry(); e != null; e = reader.nextEntry()) {
                entries.add(e);
            }
            List<String> deletions = new ArrayList<>();
            for (String id = reader.nextDeletion(); id != null; id = reader.nextDeletion()) {
                deletions.add(id);
            }
            return new RawRead(reader.header(), entries, deletions, reader.storedChecksum());
        }
    }

    /** Runs statements on the database with an ordinary read-write connection. */
    static void sql(Path f, String... statements) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + f); Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        }
    }
}
