package dev.vecpersist.format.sqlite;

import dev.vecpersist.api.Metric;
import dev.vecpersist.api.StateHeader;
import dev.vecpersist.api.VectorEntry;
import dev.vecpersist.testkit.StateFiles;
import dev.vecpersist.testkit.TestStates;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** A written state is an ordinary SQLite database that plain SQL and the sqlite3 shell can query. */
class SqliteQueryTest {

    @TempDir
    Path dir;
    private Path file;
    private List<VectorEntry> entries;
    private String checksum;

    @BeforeEach
    void writeState() throws IOException {
        file = dir.resolve("query.sqlite");
        entries = TestStates.entries(30, 4, 1); // metadata {index, category A/B/C, timestamp}
        StateHeader header = new StateHeader(SqliteStateFormat.VERSION, StateHeader.Kind.FULL, 4, Metric.COSINE,
                entries.size(), 0, Instant.ofEpochMilli(1_700_000_000_123L), Map.of("owner", "tests"), new byte[] {1, 2});
        checksum = StateFiles.write(SqliteFiles.FORMAT, file, header, entries, List.of());
    }

    private List<String> column(String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement();
             ResultSet r = s.executeQuery(sql)) {
            while (r.next()) {
                values.add(r.getString(1));
            }
        }
        return values;
    }

    @Test
    void countsAndFiltersOnMetadataWithJsonExtract() throws SQLException {
        assertThat(column("SELECT count(*) FROM vectors")).containsExactly("30");
        assertThat(column("SELECT id FROM vectors WHERE json_extract(metadata,'$.category')='A' ORDER BY rowid"))
                .hasSize(10).startsWith("vec-0", "vec-3", "vec-6");
        assertThat(column("SELECT json_extract(metadata,'$.index') FROM vectors WHERE id = 'vec-17'")).containsExactly("17");
        assertThat(column("SELECT id FROM vectors WHERE json_extract(metadata,'$.timestamp') > 1700000000027 ORDER BY rowid"))
                .containsExactly("vec-28", "vec-29");
    }

    @Test
    void rowsKeepTheOrderEntriesWereWrittenIn() throws SQLException {
        List<String> expected = entries.stream().map(VectorEntry::id).toList();
        assertThat(column("SELECT id FROM vectors ORDER BY rowid")).containsExactlyElementsOf(expected);
    }

    @Test
    void vectorsAreLittleEndianFloat32Blobs() throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT vector, typeof(vector), length(vector) FROM vectors WHERE id = 'vec-5'")) {
            assertThat(r.next()).isTrue();
            float[] v = new float[4];
            ByteBuffer.wrap(r.getBytes(1)).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
            assertThat(v).containsExactly(entries.get(5).vector());
            assertThat(r.getString(2)).isEqualTo("blob");
            assertThat(r.getInt(3)).isEqualTo(16);
        }
    }

    @Test
    void theHeaderIsInTheMetaTableAndThePragmas() throws SQLException {
        Map<String, String> meta = new LinkedHashMap<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
            try (ResultSet r = s.executeQuery("SELECT key, value FROM meta ORDER BY rowid")) {
                while (r.next()) {
                    meta.put(r.getString(1), r.getString(2));
                }
            }
            try (ResultSet r = s.executeQuery("PRAGMA application_id")) {
                r.next();
                assertThat(r.getInt(1)).isEqualTo(0x56504552);
            }
            try (ResultSet r = s.executeQuery("PRAGMA user_version")) {
                r.next();
                assertThat(r.getInt(1)).isEqualTo(SqliteStateFormat.VERSION);
            }
            try (ResultSet r = s.executeQuery("PRAGMA integrity_check")) {
                r.next();
                assertThat(r.getString(1)).isEqualTo("ok");
            }
            try (ResultSet r = s.executeQuery("PRAGMA journal_mode")) {
                r.next();
                assertThat(r.getString(1)).as("an ordinary database once written").isEqualTo("delete");
            }
        }
        assertThat(meta).containsExactly(
                Map.entry("format", "vecpersist-sqlite"), Map.entry("version", "1"), Map.entry("kind", "full"),
                Map.entry("dimension", "4"), Map.entry("metric", "cosine"), Map.entry("entryCount", "30"),
                Map.entry("deletionCount", "0"), Map.entry("createdAt", "1700000000123"),
                Map.entry("userMetadata", "{\"owner\":\"tests\"}"), Map.entry("indexState", "AQI="),
                Map.entry("checksum", checksum));
    }

    @Test
    void theSqlite3ShellReadsIt() throws Exception {
        assumeTrue(shellAvailable(), "the sqlite3 shell is not installed (apt-get install sqlite3)");
        Process p = new ProcessBuilder("sqlite3", "-readonly", file.toString(),
                "SELECT count(*) FROM vectors;"
                        + " SELECT id FROM vectors WHERE json_extract(metadata,'$.category')='B' ORDER BY rowid LIMIT 2;"
                        + " SELECT value FROM meta WHERE key = 'checksum';"
                        + " PRAGMA integrity_check;")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out.split("\n")).containsExactly("30", "vec-1", "vec-4", checksum, "ok");
    }

    private static boolean shellAvailable() {
        try {
            Process p = new ProcessBuilder("sqlite3", "-version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
