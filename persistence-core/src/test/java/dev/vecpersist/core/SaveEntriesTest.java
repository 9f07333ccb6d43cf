package dev.vecpersist.core;

import dev.vecpersist.api.CompressionCodec;
import dev.vecpersist.api.ContentChecksum;
import dev.vecpersist.api.Metric;
import dev.vecpersist.api.PersistableDatabase;
import dev.vecpersist.api.PersistenceException;
import dev.vecpersist.api.StateFormat;
import dev.vecpersist.api.StateHeader;
import dev.vecpersist.api.StateWriter;
import dev.vecpersist.api.VectorEntry;
import dev.vecpersist.core.io.FileOps;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A save whose entries are checked and checksummed on a second thread ({@link SaveEntries}) writes
 * exactly what the one-thread save writes, fails on the same entry with the same message before
 * anything is committed, and leaves no thread behind.
 */
class SaveEntriesTest {

    private static final int DIMENSION = 8;
    private static final String CHECK_THREAD = "vecpersist-stage-save-check";

    @TempDir
    Path dir;

    @AfterEach
    void noCheckingThreadOutlivesASave() {
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals(CHECK_THREAD) && t.isAlive());
    }

    private static List<VectorEntry> entries(int n) {
        Random random = new Random(17);
        List<VectorEntry> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            float[] v = new float[DIMENSION];
            for (int d = 0; d < DIMENSION; d++) {
                v[d] = random.nextFloat() * 2 - 1;
            }
            out.add(new VectorEntry("e-" + i, v, Map.of("i", (long) i, "tag", "t" + (i % 7), "nested", Map.of("x", i % 2 == 0))));
        }
        return out;
    }

    private static StateHeader header(StateHeader.Kind kind, long entries, long deletions) {
        return new StateHeader(1, kind, DIMENSION, Metric.COSINE, entries, deletions, Instant.ofEpochMilli(1_700_000_000_000L),
                Map.of("user", "meta"), null);
    }

    private StateFileWriter.Written write(long pipelineFrom, String name, String format, String codec,
                                          StateHeader header, StateFileWriter.Body body) throws IOException {
        StateFormat f = Plugins.discover().format(format);
        CompressionCodec c = codec == null ? null : Plugins.discover().codec(codec);
        return new StateFileWriter(FileOps.SYSTEM, null, pipelineFrom).writeFile(dir.resolve(name), f, c,
                c == null ? 0 : c.defaultLevel(), header, body, new ProgressReporter("save", header.entryCount(), null, 100));
    }

    @Test
    void pipelinedSavesWriteTheSameBytesAndChecksumAsOneThread() throws IOException {
        // several batches and a partial last one
        List<VectorEntry> entries = entries(5 * SaveEntries.BATCH + 77);
        List<String> deletions = List.of("gone-1", "gone-2");
        for (String codec : new String[] {null, "gzip"}) {
            StateHeader full = header(StateHeader.Kind.FULL, entries.size(), 0);
            StateFileWriter.Written one = write(Long.MAX_VALUE, "one-" + codec, "json", codec, full,
                    new StateFileWriter.Body(entries, List.of()));
            StateFileWriter.Written two = write(0, "two-" + codec, "json", codec, full,
                    new StateFileWriter.Body(entries, List.of()));
            assertThat(Files.mismatch(one.file(), two.file())).isEqualTo(-1L);
            assertThat(two.checksum()).isEqualTo(one.checksum()).isEqualTo(checksumOf(full, entries, List.of()));
            assertThat(two.bytes()).isEqualTo(one.bytes()).isEqualTo(Files.size(one.file()));

            StateHeader delta = header(StateHeader.Kind.DELTA, entries.size(), deletions.size());
            StateFileWriter.Written oneDelta = write(Long.MAX_VALUE, "one-delta-" + codec, "json", codec, delta,
                    new StateFileWriter.Body(entries, deletions));
            StateFileWriter.Written twoDelta = write(0, "two-delta-" + codec, "json", codec, delta,
                    new StateFileWriter.Body(entries, deletions));
            assertThat(Files.mismatch(oneDelta.file(), twoDelta.file())).isEqualTo(-1L);
            assertThat(twoDelta.checksum()).isEqualTo(oneDelta.checksum()).isEqualTo(checksumOf(delta, entries, deletions));
        }
    }

    private static String checksumOf(StateHeader header, List<VectorEntry> entries, List<String> deletions) {
        ContentChecksum checksum = new ContentChecksum(header);
        entries.forEach(checksum::addEntry);
        deletions.forEach(checksum::addDeletion);
        return checksum.value();
    }

    @Test
    void aNonFiniteComponentFailsThePipelinedSaveWithTheOneThreadMessageAndNothingIsWritten() {
        List<VectorEntry> entries = new ArrayList<>(entries(3 * SaveEntries.BATCH));
        float[] bad = entries.get(700).vector().clone();
        bad[5] = Float.NaN;
        entries.set(700, new VectorEntry("e-700", bad, Map.of()));
        StateHeader header = header(StateHeader.Kind.FULL, entries.size(), 0);
        String[] messages = new String[2];
        long[] pipelineFrom = {Long.MAX_VALUE, 0};
        for (int i = 0; i < 2; i++) {
            Path target = dir.resolve("out-" + i);
            try {
                write(pipelineFrom[i], "out-" + i, "json", null, header, new StateFileWriter.Body(entries, List.of()));
            } catch (PersistenceException e) {
                assertThat(e.file()).isEqualTo(target);
                messages[i] = e.getMessage().replace(target.toString(), "<file>");
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }
        assertThat(messages[0]).isEqualTo("<file>: cannot save entry 700: entry 'e-700' has a non-finite component NaN at index 5");
        assertThat(messages[1]).isEqualTo(messages[0]);
        assertThat(dir).isEmptyDirectory();
    }

    /** The rules' verdict on an entry comes first, as on one thread, even when the writer choked on it before. */
    @Test
    void theRulesVerdictComesFirstWhenTheWriterChokesOnTheSameEntry() {
        List<VectorEntry> entries = new ArrayList<>(entries(2 * SaveEntries.BATCH + 10));
        entries.set(300, new VectorEntry("e-300", new float[] {1, 2, 3, 4, 5, 6, 7, Float.POSITIVE_INFINITY}, Map.of()));
        RecordingWriter writer = new RecordingWriter(e -> !Float.isFinite(e.vector()[DIMENSION - 1]));
        SaveEntries save = new SaveEntries(dir.resolve("x"), DIMENSION, new ContentChecksum(header(StateHeader.Kind.FULL, 0, 0)));
        assertThatThrownBy(() -> save.write(writer, entries, new ProgressReporter("save", entries.size(), null, 100), true))
                .isExactlyInstanceOf(PersistenceException.class)
                .hasMessage(dir.resolve("x") + ": cannot save entry 300: entry 'e-300' has a non-finite component Infinity at index 7")
                .satisfies(e -> {
                    assertThat(e.getSuppressed()).hasSize(1);
                    assertThat(e.getSuppressed()[0]).isExactlyInstanceOf(IllegalArgumentException.class)
                            .hasMessage("the writer refuses e-300");
                });
        assertThat(writer.written).isEqualTo(300);
    }

    /** A writer that takes anything: the verdict surfaces at a later hand-over, and the writing stops there. */
    @Test
    void aVerdictTheWriterDidNotSeeStopsTheSaveAtALaterHandOver() {
        List<VectorEntry> entries = new ArrayList<>(entries(8 * SaveEntries.BATCH));
        entries.set(10, new VectorEntry("bad\uD800", entries.get(10).vector(), Map.of()));
        RecordingWriter writer = new RecordingWriter(e -> false);
        SaveEntries save = new SaveEntries(dir.resolve("x"), DIMENSION, new ContentChecksum(header(StateHeader.Kind.FULL, 0, 0)));
        assertThatThrownBy(() -> save.write(writer, entries, new ProgressReporter("save", entries.size(), null, 100), true))
                .isExactlyInstanceOf(PersistenceException.class)
                .hasMessageStartingWith(dir.resolve("x") + ": cannot save entry 10: ")
                .hasMessageContaining("unpaired surrogate")
                .satisfies(e -> assertThat(e.getSuppressed()).isEmpty());
        // the queue holds a few batches: the writer stops within them, not at the end
        assertThat(writer.written).isLessThan(entries.size());
    }

    @Test
    void aFailingWriterOrIterationFailsThePipelinedSaveAsItIsAndStopsTheThread() {
        List<VectorEntry> entries = entries(2 * SaveEntries.BATCH + 10);
        SaveEntries save = new SaveEntries(dir.resolve("x"), DIMENSION, new ContentChecksum(header(StateHeader.Kind.FULL, 0, 0)));
        RecordingWriter full = new RecordingWriter(e -> e.id().equals("e-400"));
        full.failure = new IOException("No space left on device");
        assertThatThrownBy(() -> save.write(full, entries, new ProgressReporter("save", 0, null, 100), true))
                .isSameAs(full.failure);
        noCheckingThreadOutlivesASave();

        Iterable<VectorEntry> breaking = () -> new Iterator<>() {
            int at;

            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public VectorEntry next() {
                if (at == 2 * SaveEntries.BATCH) {
                    throw new IllegalStateException("the database went away");
                }
                return entries.get(at++);
            }
        };
        assertThatThrownBy(() -> save.write(new RecordingWriter(e -> false), breaking,
                new ProgressReporter("save", 0, null, 100), true))
                .isExactlyInstanceOf(IllegalStateException.class).hasMessage("the database went away");
    }

    /** Through the manager: a database other than VectorDB smuggles a NaN in; the previous file stays. */
    @Test
    void aSmuggledNaNFailsALargeSaveBeforeTheRenameAndThePreviousFileStays() throws IOException {
        List<VectorEntry> rows = new ArrayList<>(entries(4 * SaveEntries.BATCH));
        PersistableDatabase db = new ListDatabase(DIMENSION, rows);
        Path file = dir.resolve("standalone.json");
        try (DatabasePersistence p = new DatabasePersistence(db, PersistenceOptions.builder().baseDir(dir.resolve("base")).build())) {
            p.save(file);
            byte[] before = Files.readAllBytes(file);
            float[] bad = rows.get(1000).vector().clone();
            bad[0] = Float.NaN;
            rows.set(1000, new VectorEntry("e-1000", bad, Map.of()));
            assertThatThrownBy(() -> p.save(file)).isExactlyInstanceOf(PersistenceException.class)
                    .hasMessageContaining("cannot save entry 1000: entry 'e-1000' has a non-finite component NaN at index 0");
            assertThat(Files.readAllBytes(file)).isEqualTo(before);
            try (var files = Files.list(dir)) {
                assertThat(files.map(f -> f.getFileName().toString())).containsExactlyInAnyOrder("standalone.json", "base");
            }
        }
    }

    /** Records how many entries it wrote; refuses the entries {@code refuses} picks. */
    private static final class RecordingWriter implements StateWriter {
        private final java.util.function.Predicate<VectorEntry> refuses;
        IOException failure;
        int written;

        RecordingWriter(java.util.function.Predicate<VectorEntry> refuses) {
            this.refuses = refuses;
        }

        @Override
        public void writeEntry(VectorEntry entry) throws IOException {
            if (refuses.test(entry)) {
                if (failure != null) {
                    throw failure;
                }
                throw new IllegalArgumentException("the writer refuses " + entry.id());
            }
            written++;
        }

        @Override
        public void writeDeletion(String id) {
        }

        @Override
        public void finish(String checksum) {
        }

        @Override
        public void close() {
        }
    }
}
