package dev.vecpersist.format.sqlite;

import dev.vecpersist.api.CorruptedStateException;
import dev.vecpersist.api.Metric;
import dev.vecpersist.api.StateHeader;
import dev.vecpersist.api.StateSink;
import dev.vecpersist.api.StateWriter;
import dev.vecpersist.api.VectorEntry;
import dev.vecpersist.testkit.ClosingRecorder;
import dev.vecpersist.testkit.TestStates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** How the writer treats its file and refuses what could not load. */
class SqliteStateWriterTest {

    private static final StateHeader FULL = SqliteFiles.full(3, 1);
    private static final StateHeader DELTA = new StateHeader(SqliteStateFormat.VERSION, StateHeader.Kind.DELTA, 3,
            Metric.COSINE, 1, 1, Instant.ofEpochMilli(1), Map.of(), null);
    private static final VectorEntry ENTRY = new VectorEntry("a", new float[] {1, 2, 3});

    @TempDir
    Path dir;

    private StateWriter writer(Path f, StateHeader header) throws IOException {
        return SqliteFiles.FORMAT.newWriter(StateSink.ofFile(f), header);
    }

    @Test
    void anAbandonedWriteLeavesNoLoadableStateAndNoSideFiles() throws IOException {
        Path f = dir.resolve("abandoned.sqlite");
        try (StateWriter w = writer(f, SqliteFiles.full(8, 3_000))) {
            for (VectorEntry e : TestStates.entries(2_500, 8, 1)) {
                w.writeEntry(e);
            }
        }
        assertThatThrownBy(() -> SqliteFiles.read(f)).isInstanceOf(CorruptedStateException.class);
        try (var listing = Files.list(dir)) {
            assertThat(listing.map(p -> p.getFileName().toString())).containsExactly("abandoned.sqlite");
        }
        Files.delete(f); // what the manager does; nothing holds the file open
    }

    @Test
    void theFileMustBeNew() throws IOException {
        Path f = Files.writeString(dir.resolve("exists.sqlite"), "precious");
        assertThatThrownBy(() -> writer(f, FULL)).isInstanceOf(FileAlreadyExistsException.class);
        assertThat(Files.readString(f)).isEqualTo("precious");
    }

    @Test
    void aStreamSinkIsRefused() {
        assertThatThrownBy(() -> SqliteFiles.FORMAT.newWriter(StateSink.ofStream(new ByteArrayOutputStream(), "s"), FULL))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("files");
    }

    @Test
    void aRefusedStreamSinkIsLeftUntouchedAndOpen() {
        ClosingRecorder.Output out = new ClosingRecorder.Output();
        assertThatThrownBy(() -> SqliteFiles.FORMAT.newWriter(new StateSink.ToStream(out, "recorded"), FULL))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("recorded");
        assertThat(out.closed()).isFalse();
        assertThat(out.bytes()).isEmpty();
    }

    @Test
    void refusesVectorsThatCouldNotLoad() throws IOException {
        try (StateWriter w = writer(dir.resolve("v.sqlite"), FULL)) {
            assertThatThrownBy(() -> w.writeEntry(new VectorEntry("short", new float[] {1, 2})))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'short' has 2 components");
            assertThatThrownBy(() -> w.writeEntry(new VectorEntry("long", new float[] {1, 2, 3, 4})))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'long' has 4 components");
            assertThatThrownBy(() -> w.writeEntry(new VectorEntry("nan", new float[] {1, Float.NaN, 3})))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("non-finite component NaN at index 1");
            assertThatThrownBy(() -> w.writeEntry(new VectorEntry("m", new float[] {1, 2, 3}, Map.of("x", Double.NaN))))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'x'");
        }
    }

    @Test
    void invalidUserMetadataIsRefusedBeforeTheFileIsCreated() {
        // the header refuses it when built (StateHeader checks the value model), so no writer ever starts
        Path f = dir.resolve("meta.sqlite");
        assertThatThrownBy(() -> writer(f, new StateHeader(SqliteStateFormat.VERSION, StateHeader.Kind.FULL, 3, Metric.COSINE,
                0, 0, Instant.EPOCH, Map.of("when", new Object()), null)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'when'");
        assertThat(f).doesNotExist();
    }

    @Test
    void duplicateIdsFailTheWrite() throws IOException {
        try (StateWriter w = writer(dir.resolve("dup.sqlite"), SqliteFiles.full(3, 2))) {
            w.writeEntry(ENTRY);
            w.writeEntry(ENTRY);
            assertThatThrownBy(() -> w.finish("crc32c:00000000")).isInstanceOf(IOException.class)
                    .hasMessageContaining("UNIQUE constraint failed: vectors.id");
        }
    }

    @Test
    void enforcesTheOrderOfEntriesDeletionsAndFinish() throws IOException {
        try (StateWriter w = writer(dir.resolve("full.sqlite"), FULL)) {
            assertThatThrownBy(() -> w.writeDeletion("x")).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("only a delta");
        }
        try (StateWriter w = writer(dir.resolve("delta.sqlite"), DELTA)) {
            w.writeEntry(ENTRY);
            w.writeDeletion("x");
            assertThatThrownBy(() -> w.writeEntry(ENTRY)).isInstanceOf(IllegalStateException.class);
            w.finish("crc32c:00000000");
            assertThatThrownBy(() -> w.finish("crc32c:00000000")).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> w.writeDeletion("y")).isInstanceOf(IllegalStateException.class);
        }
        SqliteFiles.RawRead read = SqliteFiles.read(dir.resolve("delta.sqlite"));
        assertThat(read.entries()).containsExactly(ENTRY);
        assertThat(read.deletions()).containsExactly("x");
        assertThat(read.checksum()).isEqualTo("crc32c:00000000");
    }

    @Test
    void theFileIsCompleteOnceFinishReturns() throws IOException {
        Path f = dir.resolve("finished.sqlite");
        try (StateWriter w = writer(f, FULL)) {
            w.writeEntry(ENTRY);
            w.finish("crc32c:12345678");
            // not closed yet: the exclusive lock is held, but the data is committed
        }
        assertThat(SqliteFiles.read(f).checksum()).isEqualTo("crc32c:12345678");
    }
}
