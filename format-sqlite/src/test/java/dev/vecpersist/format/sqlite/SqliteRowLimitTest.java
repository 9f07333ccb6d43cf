package dev.vecpersist.format.sqlite;

import dev.vecpersist.api.CorruptedStateException;
import dev.vecpersist.api.Metric;
import dev.vecpersist.api.StateHeader;
import dev.vecpersist.api.ValueLimits;
import dev.vecpersist.api.VectorEntry;
import dev.vecpersist.testkit.StateFiles;
import dev.vecpersist.testkit.TestStates;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Sizes and NULLs of the row columns: an id over the limit (counted in UTF-8 bytes, not
 * characters) is refused with its size, a NULL column is reported as such, and values at the
 * limit or empty are read as they are.
 */
class SqliteRowLimitTest {

    private static final int LIMIT = ValueLimits.MAX_ID_BYTES;

    @TempDir
    Path dir;
    private Path good;

    @BeforeEach
    void writeAGoodState() throws IOException {
        good = dir.resolve("good.sqlite");
        List<VectorEntry> entries = TestStates.mixedMetadataEntries(6, 8, 5);
        SqliteFiles.write(good, SqliteFiles.full(8, entries.size()), entries);
    }

    private Path copy(String name, String... statements) throws Exception {
        Path f = Files.copy(good, dir.resolve(name + ".sqlite"));
        SqliteFiles.sql(f, statements);
        return f;
    }

    private static void assertCorrupt(Path f, String messagePart) {
        assertThatThrownBy(() -> SqliteFiles.read(f)).isInstanceOf(CorruptedStateException.class)
                .hasMessageContaining(f.toString()).hasMessageContaining(messagePart);
    }

    /** Recreates the vectors table without NOT NULL, so that a row can hold NULLs. */
    private static String[] nullable(String update) {
        return new String[] {"ALTER TABLE vectors RENAME TO old", "CREATE TABLE vectors (id TEXT, vector BLOB, metadata TEXT)",
                "INSERT INTO vectors SELECT * FROM old", "DROP TABLE old", update};
    }

    @Test
    void anIdOverTheLimitIsRefusedWithItsSize() throws Exception {
        Path f = copy("long-id", "UPDATE vectors SET id = printf('%.*c', " + (LIMIT + 1) + ", 'x') WHERE rowid = 3");
        assertCorrupt(f, "entry 2: the id has " + (LIMIT + 1) + " bytes, more than the limit of " + LIMIT);
    }

    @Test
    void anIdIsMeasuredInBytesNotCharacters() throws Exception {
        // 21,846 three-byte characters: fewer characters than the limit, more bytes
        int chars = LIMIT / 3 + 1;
        Path f = copy("wide-id", "UPDATE vectors SET id = replace(printf('%.*c', " + chars + ", 'x'), 'x', '日') WHERE rowid = 2");
        assertCorrupt(f, "entry 1: the id has " + chars * 3 + " bytes, more than the limit of " + LIMIT);
    }

    @Test
    void anIdAtTheLimitAndAnEmptyIdAreReadAsTheyAre() throws Exception {
        Path f = copy("limit-id", "UPDATE vectors SET id = printf('%.*c', " + (LIMIT - 2) + ", 'x') || 'é' WHERE rowid = 1",
                "UPDATE vectors SET id = '' WHERE rowid = 2");
        List<VectorEntry> read = SqliteFiles.read(f).entries();
        assertThat(read.get(0).id()).hasSize(LIMIT - 1).endsWith("xé");
        assertThat(read.get(0).id().getBytes(StandardCharsets.UTF_8)).hasSize(LIMIT);
        assertThat(read.get(1).id()).isEmpty();
    }

    @Test
    void nullColumnsAreReported() throws Exception {
        assertCorrupt(copy("null-metadata", nullable("UPDATE vectors SET metadata = NULL WHERE rowid = 4")),
                "entry 3 has NULL or inconsistent columns");
        assertCorrupt(copy("null-id", nullable("UPDATE vectors SET id = NULL WHERE rowid = 1")),
                "entry 0 has NULL or inconsistent columns");
        // a NULL vector has no bytes
        assertCorrupt(copy("null-vector", nullable("UPDATE vectors SET vector = NULL WHERE rowid = 2")),
                "entry 1: the vector has 0 bytes, 32 expected for dimension 8");
        assertCorrupt(copy("empty-vector", "UPDATE vectors SET vector = x'' WHERE rowid = 2"),
                "entry 1: the vector has 0 bytes, 32 expected for dimension 8");
    }

    @Test
    void theVectorIsCheckedBeforeTheId() throws Exception {
        Path f = copy("both", "UPDATE vectors SET id = printf('%.*c', " + (LIMIT + 1) + ", 'x'), vector = x'00' WHERE rowid = 1");
        assertCorrupt(f, "entry 0: the vector has 1 bytes, 32 expected");
    }

    @Test
    void aDeletedIdOverTheLimitIsRefusedWithItsSize() throws Exception {
        Path delta = dir.resolve("delta.sqlite");
        StateHeader header = new StateHeader(SqliteStateFormat.VERSION, StateHeader.Kind.DELTA, 8, Metric.COSINE, 0, 2,
                Instant.ofEpochMilli(1_700_000_000_000L), Map.of(), null);
        StateFiles.write(SqliteFiles.FORMAT, delta, header, List.of(), List.of("a", "b"));
        SqliteFiles.sql(delta, "UPDATE deleted SET id = printf('%.*c', " + (LIMIT + 1) + ", 'y') WHERE rowid = 2");
        assertCorrupt(delta, "deleted id 1 has " + (LIMIT + 1) + " bytes, more than the limit of " + LIMIT);
        SqliteFiles.sql(delta, "UPDATE deleted SET id = '' WHERE rowid = 2");
        assertThat(SqliteFiles.read(delta).deletions()).containsExactly("a", "");
    }
}
