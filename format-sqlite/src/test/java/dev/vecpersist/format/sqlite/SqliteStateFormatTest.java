package dev.vecpersist.format.sqlite;

import dev.vecpersist.api.Metric;
import dev.vecpersist.api.StateFormat;
import dev.vecpersist.api.StateHeader;
import dev.vecpersist.api.VectorEntry;
import dev.vecpersist.testkit.StateFiles;
import dev.vecpersist.testkit.StateFormatContract;
import dev.vecpersist.testkit.TestStates;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class SqliteStateFormatTest extends StateFormatContract {

    @Override
    protected StateFormat format() {
        return new SqliteStateFormat();
    }

    private Path sample(int count) throws Exception {
        List<VectorEntry> entries = TestStates.entries(count, 4, 1);
        Path f = file("sample-" + count);
        StateFiles.write(format(), f, StateHeader.full(1, 4, Metric.COSINE, count, Instant.ofEpochMilli(1)), entries, List.of());
        return f;
    }

    @Test
    void isAQueryableSqliteDatabase() throws Exception {
        Path f = sample(30);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + f); Statement s = c.createStatement()) {
            try (ResultSet r = s.executeQuery("SELECT count(*) FROM vectors")) {
                r.next();
                assertThat(r.getInt(1)).isEqualTo(30);
            }
            List<String> ids = new ArrayList<>();
            try (ResultSet r = s.executeQuery("SELECT id FROM vectors WHERE json_extract(metadata,'$.category')='A' ORDER BY rowid")) {
                while (r.next()) {
                    ids.add(r.getString(1));
                }
            }
            assertThat(ids).hasSize(10).startsWith("vec-0", "vec-3");
            try (ResultSet r = s.executeQuery("SELECT length(vector), value FROM vectors, meta WHERE key = 'metric' LIMIT 1")) {
                r.next();
                assertThat(r.getInt(1)).isEqualTo(16);
                assertThat(r.getString(2)).isEqualTo("cosine");
            }
        }
    }

    @Test
    void theSqlite3ShellReadsIt() throws Exception {
        boolean shell;
        try {
            shell = new ProcessBuilder("sqlite3", "-version").start().waitFor(10, TimeUnit.SECONDS);
        } catch (java.io.IOException e) {
            shell = false;
        }
        assumeTrue(shell, "the sqlite3 shell is not installed (apt install sqlite3)");
        Path f = sample(12);
        Process p = new ProcessBuilder("sqlite3", f.toString(),
                "SELECT count(*) FROM vectors; SELECT id FROM vectors WHERE json_extract(metadata,'$.category')='B' ORDER BY rowid LIMIT 2;")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(out.split("\n")).containsExactly("12", "vec-1", "vec-4");
    }
}
