package dev.vecpersist.format.sqlite;

import dev.vecpersist.api.CorruptedStateException;
import dev.vecpersist.api.VectorEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteConfig;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 15, item 7: SQLite files altered to hang or exhaust the reader (views in place of tables,
 * triggers, huge values) are refused before any row is read, with {@link CorruptedStateException}.
 * The timeouts only stop a hang (the failure on earlier code); nothing here measures time.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SqliteHostileSchemaTest {

    private static final String ENDLESS = "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) ";

    @TempDir
    Path dir;

    private Path state(String name) throws Exception {
        Path f = dir.resolve(name + ".sqlite");
        List<VectorEntry> entries = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            entries.add(new VectorEntry("e" + i, new float[] {i, 1}, Map.of()));
        }
        SqliteFiles.write(f, SqliteFiles.full(2, entries.size()), entries);
        return f;
    }

    private static void assertRefused(Path f, String message) {
        assertThatThrownBy(() -> SqliteFiles.read(f)).isInstanceOf(CorruptedStateException.class)
                .hasMessageContaining(f.toString()).hasMessageContaining(message);
    }

    @Test
    void metaReplacedByAnEndlessRecursiveView() throws Exception {
        Path f = state("recursive-meta");
        SqliteFiles.sql(f, "DROP TABLE meta",
                "CREATE VIEW meta(key, value) AS " + ENDLESS + "SELECT 'k' || n, 'v' FROM r");
        assertRefused(f, "view 'meta'");
    }

    @Test
    void vectorsReplacedByAnEndlessView() throws Exception {
        Path f = state("endless-vectors");
        SqliteFiles.sql(f, "DROP TABLE vectors", "CREATE VIEW vectors(id, vector, metadata) AS " + ENDLESS
                + "SELECT 'id' || n, zeroblob(8), '{}' FROM r");
        assertRefused(f, "view 'vectors'");
    }

    @Test
    void vectorsReplacedByAViewOfThirtyMillionRows() throws Exception {
        Path f = state("thirty-million");
        SqliteFiles.sql(f, "DROP TABLE vectors", "CREATE VIEW vectors(id, vector, metadata) AS " + ENDLESS
                + "SELECT 'id' || n, zeroblob(8), '{}' FROM r WHERE n <= 30000000");
        assertRefused(f, "view 'vectors'");
    }

    @Test
    void triggersExtraTablesIndexesAndColumnsAreRefused() throws Exception {
        Path trigger = state("trigger");
        SqliteFiles.sql(trigger, "CREATE TRIGGER t AFTER INSERT ON deleted BEGIN SELECT 1; END");
        assertRefused(trigger, "trigger 't'");
        Path extra = state("extra");
        SqliteFiles.sql(extra, "CREATE TABLE extra (x)");
        assertRefused(extra, "table 'extra'");
        Path index = state("index");
        SqliteFiles.sql(index, "CREATE INDEX i ON vectors(metadata)");
        assertRefused(index, "index 'i'");
        Path column = state("column");
        SqliteFiles.sql(column, "ALTER TABLE vectors ADD COLUMN extra TEXT");
        assertRefused(column, "columns [id, vector, metadata, extra]");
    }

    @Test
    void aHugeMetaValueIsRefusedBeforeItIsFetched() throws Exception {
        Path f = state("huge-meta");
        SqliteFiles.sql(f, "UPDATE meta SET value = '{\"a\":\"' || printf('%.*c', 17000000, 'x') || '\"}' "
                + "WHERE key = 'userMetadata'");
        assertRefused(f, "meta.userMetadata has 17000008 bytes");
    }

    @Test
    void moreRowsThanTheHeaderAnnouncesAreCorrupt() throws Exception {
        Path f = state("extra-rows");
        SqliteFiles.sql(f, "INSERT INTO vectors VALUES ('x', zeroblob(8), '{}')");
        assertRefused(f, "more rows than the 3 the header announces");
    }

    @Test
    void theStepBudgetInterruptsARunawayStatement() throws Exception {
        try (Connection c = new SQLiteConfig().createConnection("jdbc:sqlite::memory:")) {
            StepBudget budget = StepBudget.install(c);
            budget.reset();
            try (Statement s = c.createStatement()) {
                assertThatThrownBy(() -> {
                    try (ResultSet r = s.executeQuery(ENDLESS + "SELECT count(*) FROM r")) {
                        r.next();
                    }
                }).isInstanceOf(SQLException.class).hasMessageContaining("interrupt");
            }
            assertThat(budget.exhausted()).isTrue();
        }
    }
}
