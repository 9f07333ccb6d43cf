package dev.vecpersist.format.sqlite;

import dev.vecpersist.api.CorruptedStateException;
import dev.vecpersist.api.IncompatibleStateException;
import dev.vecpersist.api.StateHeader;
import dev.vecpersist.api.StateReader;
import dev.vecpersist.api.StateSource;
import dev.vecpersist.api.VectorEntry;
import dev.vecpersist.testkit.ClosingRecorder;
import dev.vecpersist.testkit.StateFiles;
import dev.vecpersist.testkit.TestStates;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

/** Damaged, foreign and hostile databases: CorruptedStateException (or Incompatible), nothing else. */
class SqliteCorruptionTest {

    @TempDir
    Path dir;
    private Path good;
    private List<VectorEntry> entries;
    private StateHeader header;

    @BeforeEach
    void writeAGoodState() throws IOException {
        good = dir.resolve("good.sqlite");
        entries = TestStates.mixedMetadataEntries(30, 8, 3);
        header = SqliteFiles.full(8, entries.size());
        SqliteFiles.write(good, header, entries);
    }

    private Path copy(String name) throws IOException {
        return Files.copy(good, dir.resolve(name + ".sqlite"));
    }

    private static void assertCorrupt(Path f, String messagePart) {
        assertThatThrownBy(() -> StateFiles.read(SqliteFiles.FORMAT, f)).isInstanceOf(CorruptedStateException.class)
                .hasMessageContaining(f.toString()).hasMessageContaining(messagePart);
    }

    @Test
    void aFileThatIsNotSqliteIsCorrupt() throws IOException {
        Path text = Files.writeString(dir.resolve("text.sqlite"), "{\"version\":\"2.0.0\"}".repeat(300));
        assertCorrupt(text, "not a database");
        Path zeros = Files.write(dir.resolve("zeros.sqlite"), new byte[8192]);
        assertThatThrownBy(() -> StateFiles.read(SqliteFiles.FORMAT, zeros)).isInstanceOf(CorruptedStateException.class);
        Path empty = Files.write(dir.resolve("empty.sqlite"), new byte[0]);
        assertThatThrownBy(() -> StateFiles.read(SqliteFiles.FORMAT, empty)).isInstanceOf(CorruptedStateException.class)
                .hasMessageContaining(empty.toString());
    }

    @Test
    void aMissingFileIsNotCorruption() {
        Path missing = dir.resolve("missing.sqlite");
        assertThatThrownBy(() -> SqliteFiles.read(missing)).isInstanceOf(NoSuchFileException.class);
        assertThat(missing).doesNotExist();
    }

    @Test
    void aStreamSourceIsRefused() {
        assertThatThrownBy(() -> SqliteFiles.FORMAT.newReader(StateSource.ofStream(new ByteArrayInputStream(new byte[0]), "s")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("files");
    }

    @Test
    void aRefusedStreamSourceIsLeftOpen() throws IOException {
        ClosingRecorder.Input in = new ClosingRecorder.Input(new byte[] {1, 2, 3});
        assertThatThrownBy(() -> SqliteFiles.FORMAT.newReader(new StateSource.FromStream(in, "recorded")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("recorded");
        assertThat(in.closed()).isFalse();
        assertThat(in.read()).as("nothing was read").isEqualTo(1);
    }

    @Test
    void aForeignSqliteDatabaseIsCorrupt() throws Exception {
        Path other = dir.resolve("other.sqlite");
        SqliteFiles.sql(other, "CREATE TABLE t (x)", "INSERT INTO t VALUES (1)");
        assertCorrupt(other, "not a VecPersist state (application_id 0x00000000");
    }

    @Test
    void aNewerLayoutVersionIsIncompatible() throws Exception {
        Path newer = copy("newer");
        SqliteFiles.sql(newer, "PRAGMA user_version = 2");
        assertThatThrownBy(() -> SqliteFiles.read(newer)).isInstanceOf(IncompatibleStateException.class)
                .hasMessageContaining("version 2").hasMessageContaining("(1)").hasMessageContaining(newer.toString());
    }

    @Test
    void schemaAndHeaderRowsAreChecked() throws Exception {
        Path noTable = copy("no-table");
        SqliteFiles.sql(noTable, "DROP TABLE deleted");
        assertCorrupt(noTable, "table 'deleted' is missing");
        Path noColumn = copy("no-column");
        SqliteFiles.sql(noColumn, "ALTER TABLE vectors DROP COLUMN metadata");
        assertCorrupt(noColumn, "table 'vectors' has columns [id, vector], expected [id, vector, metadata]");
        Path version0 = copy("version0");
        SqliteFiles.sql(version0, "PRAGMA user_version = 0");
        assertCorrupt(version0, "user_version is 0");
        Path versionMismatch = copy("version-mismatch");
        SqliteFiles.sql(versionMismatch, "UPDATE meta SET value = '7' WHERE key = 'version'");
        assertCorrupt(versionMismatch, "differs from PRAGMA user_version");
        Path noDimension = copy("no-dimension");
        SqliteFiles.sql(noDimension, "DELETE FROM meta WHERE key = 'dimension'");
        assertCorrupt(noDimension, "meta has no 'dimension'");
        Path hugeDimension = copy("huge-dimension");
        SqliteFiles.sql(hugeDimension, "UPDATE meta SET value = '2000000000' WHERE key = 'dimension'");
        assertCorrupt(hugeDimension, "meta.dimension is 2000000000, outside 1..");
        Path badMetric = copy("bad-metric");
        SqliteFiles.sql(badMetric, "UPDATE meta SET value = 'hamming' WHERE key = 'metric'");
        assertCorrupt(badMetric, "unknown metric 'hamming'");
        Path badCount = copy("bad-count");
        SqliteFiles.sql(badCount, "UPDATE meta SET value = 'many' WHERE key = 'entryCount'");
        assertCorrupt(badCount, "meta.entryCount is 'many', not an integer");
        Path badKind = copy("bad-kind");
        SqliteFiles.sql(badKind, "UPDATE meta SET value = 'half' WHERE key = 'kind'");
        assertCorrupt(badKind, "meta.kind is 'half'");
        Path badFormat = copy("bad-format");
        SqliteFiles.sql(badFormat, "UPDATE meta SET value = 'someone-else' WHERE key = 'format'");
        assertCorrupt(badFormat, "not 'vecpersist-sqlite'");
        Path badUserMetadata = copy("bad-user-metadata");
        SqliteFiles.sql(badUserMetadata, "UPDATE meta SET value = '{\"a\":' WHERE key = 'userMetadata'");
        assertCorrupt(badUserMetadata, "meta.userMetadata");
        Path badIndex = copy("bad-index");
        SqliteFiles.sql(badIndex, "INSERT INTO meta VALUES ('indexState', '***')");
        assertCorrupt(badIndex, "indexState is not base64");
        Path deletionsInFull = copy("deletions-in-full");
        SqliteFiles.sql(deletionsInFull, "UPDATE meta SET value = '3' WHERE key = 'deletionCount'");
        assertCorrupt(deletionsInFull, "a full state announces 3 deletions");
        Path deletedRowsInFull = copy("deleted-rows-in-full");
        SqliteFiles.sql(deletedRowsInFull, "INSERT INTO deleted VALUES ('x')");
        assertCorrupt(deletedRowsInFull, "a full state lists deleted ids");
    }

    @Test
    void unknownMetaRowsAreIgnored() throws Exception {
        Path extra = copy("extra");
        SqliteFiles.sql(extra, "INSERT INTO meta VALUES ('addedInAMinorRelease', 'x')");
        assertThat(StateFiles.read(SqliteFiles.FORMAT, extra).entries()).containsExactlyElementsOf(entries);
    }

    @Test
    void rowsAreCheckedBeforeTheyAreUsed() throws Exception {
        Path shortBlob = copy("short-blob");
        SqliteFiles.sql(shortBlob, "UPDATE vectors SET vector = x'00000000' WHERE rowid = 3");
        assertCorrupt(shortBlob, "entry 2: the vector has 4 bytes, 32 expected for dimension 8");
        Path textVector = copy("text-vector");
        SqliteFiles.sql(textVector, "UPDATE vectors SET vector = 'abc' WHERE rowid = 1");
        assertCorrupt(textVector, "entry 0: the vector has 3 bytes");
        Path nan = copy("nan");
        SqliteFiles.sql(nan, "UPDATE vectors SET vector = x'0000c07f' || substr(vector, 5) WHERE rowid = 2");
        assertCorrupt(nan, "entry 1 ('id-1'): vector component 0 is NaN");
        Path badJson = copy("bad-json");
        SqliteFiles.sql(badJson, "UPDATE vectors SET metadata = '{\"a\":1,\"a\":2}' WHERE rowid = 5");
        assertCorrupt(badJson, "entry 4 ('id-4'): metadata: Duplicate field 'a'");
        Path notObject = copy("not-object");
        SqliteFiles.sql(notObject, "UPDATE vectors SET metadata = '[1]' WHERE rowid = 5");
        assertCorrupt(notObject, "metadata must be a JSON object");
        Path bigInt = copy("big-int");
        SqliteFiles.sql(bigInt, "UPDATE vectors SET metadata = '{\"n\":123456789012345678901234567890}' WHERE rowid = 1");
        assertCorrupt(bigInt, "does not fit in a long");
        // a table recreated without NOT NULL lets NULLs in
        Path nullId = copy("null-id");
        SqliteFiles.sql(nullId, "ALTER TABLE vectors RENAME TO old",
                "CREATE TABLE vectors (id TEXT, vector BLOB, metadata TEXT)",
                "INSERT INTO vectors SELECT * FROM old", "DROP TABLE old", "UPDATE vectors SET id = NULL WHERE rowid = 2");
        assertCorrupt(nullId, "entry 1 has NULL or inconsistent columns");
    }

    @Test
    void aChangedValueThatStillParsesFailsTheChecksum() throws Exception {
        Path changed = copy("changed");
        SqliteFiles.sql(changed, "UPDATE vectors SET metadata = json_set(metadata, '$.index', 99) WHERE rowid = 1");
        assertThat(SqliteFiles.read(changed).entries().get(0).metadata().get("index")).isEqualTo(99L);
        assertCorrupt(changed, "checksum mismatch");
    }

    @Test
    void everyTruncationIsCorrupt() throws IOException {
        byte[] bytes = Files.readAllBytes(good);
        int page = 4096;
        List<Integer> lengths = new java.util.ArrayList<>(List.of(1, 15, 16, 99, 100, 101, 4095, 4096, 4097));
        for (int p = 2; p * page < bytes.length; p++) {
            lengths.add(p * page);
            lengths.add(p * page - 1);
        }
        lengths.add(bytes.length - 1);
        for (int length : lengths) {
            Path cut = Files.write(dir.resolve("cut-" + length + ".sqlite"), Arrays.copyOf(bytes, length));
            assertThatThrownBy(() -> StateFiles.read(SqliteFiles.FORMAT, cut)).as("cut to %d of %d bytes", length, bytes.length)
                    .isInstanceOf(CorruptedStateException.class).hasMessageContaining(cut.toString());
        }
    }

    @Test
    void anExtendedFileIsCorrupt() throws IOException {
        Path longer = copy("longer");
        Files.write(longer, new byte[4096], java.nio.file.StandardOpenOption.APPEND);
        assertCorrupt(longer, "its pages make");
    }

    @Test
    void flippedBytesInTheHeaderAndPagesLoadIdenticallyOrAreCorrupt() throws IOException {
        byte[] bytes = Files.readAllBytes(good);
        Random random = new Random(23);
        Path bad = dir.resolve("flipped.sqlite");
        int trials = Integer.getInteger("vecpersist.fuzz.trials", 400);
        for (int trial = 0; trial < trials; trial++) {
            // half of the damage in the 100-byte database header, half anywhere
            int offset = trial % 2 == 0 ? random.nextInt(100) : random.nextInt(bytes.length);
            byte[] changed = bytes.clone();
            changed[offset] ^= (byte) (1 + random.nextInt(255));
            Files.write(bad, changed);
            try {
                StateFiles.ReadState back = StateFiles.read(SqliteFiles.FORMAT, bad);
                assertThat(back.entries()).as("byte %d changed, load succeeded", offset).containsExactlyElementsOf(entries);
                assertThat(back.header()).isEqualTo(header);
            } catch (CorruptedStateException expected) {
                assertThat(expected.getMessage()).contains(bad.toString());
            } catch (IncompatibleStateException expected) {
                assertThat(offset).as("only user_version (bytes 60-63) makes a newer version").isBetween(60, 63);
            } catch (Exception other) {
                fail("byte " + offset + " changed: expected CorruptedStateException, got " + other, other);
            }
        }
    }

    @Test
    void theReaderStreamsAndDoesNotReadAhead() throws Exception {
        // the last of 20,000 rows is damaged: the first ones arrive without error
        Path large = dir.resolve("large.sqlite");
        List<VectorEntry> many = TestStates.entries(20_000, 16, 6);
        SqliteFiles.write(large, SqliteFiles.full(16, many.size()), many);
        SqliteFiles.sql(large, "UPDATE vectors SET vector = x'01' WHERE rowid = (SELECT max(rowid) FROM vectors)");
        try (StateReader reader = SqliteFiles.FORMAT.newReader(StateSource.ofFile(large, "large.sqlite"))) {
            assertThat(reader.nextEntry()).isEqualTo(many.get(0));
            for (int i = 1; i < 19_999; i++) {
                assertThat(reader.nextEntry()).isEqualTo(many.get(i));
            }
            assertThatThrownBy(reader::nextEntry).isInstanceOf(CorruptedStateException.class)
                    .hasMessageContaining("large.sqlite").hasMessageContaining("entry 19999");
        }
    }

    @Test
    void theCorruptionMessageNamesTheDisplayName() throws IOException {
        Path text = Files.write(dir.resolve("x.sqlite"), "SQLite format 3\0 but not really".getBytes(StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> SqliteFiles.FORMAT.newReader(StateSource.ofFile(text, "users-state.sqlite.gz")))
                .isInstanceOf(CorruptedStateException.class).hasMessageContaining("users-state.sqlite.gz");
    }
}
