package dev.vecpersist.it;

import dev.vecpersist.api.ContentChecksum;
import dev.vecpersist.api.CorruptedStateException;
import dev.vecpersist.api.Metric;
import dev.vecpersist.api.PersistenceException;
import dev.vecpersist.api.StateHeader;
import dev.vecpersist.api.StateSink;
import dev.vecpersist.api.StateWriter;
import dev.vecpersist.api.VectorEntry;
import dev.vecpersist.core.DatabasePersistence;
import dev.vecpersist.core.PersistenceOptions;
import dev.vecpersist.core.Plugins;
import dev.vecpersist.core.SearchResult;
import dev.vecpersist.core.VectorDB;
import dev.vecpersist.testkit.TestStates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Loads large enough to run on two threads (the format decodes on the caller's, a second checks,
 * checksums and stages): the content arrives whole and in order, and any problem is still the first
 * in file order, names the file and the entry, and leaves the database as it was.
 */
class PipelinedLoadTest {

    private static final int N = 1500;
    private static final int DIMENSION = 8;

    @TempDir
    Path dir;

    private static VectorDB database(List<VectorEntry> entries) {
        VectorDB db = new VectorDB(DIMENSION, Metric.COSINE);
        db.insertBatch(entries);
        return db;
    }

    private PersistenceOptions options(String format, String codec) {
        PersistenceOptions.Builder b = PersistenceOptions.builder().baseDir(dir.resolve("base")).format(format);
        return codec.equals("none") ? b.build() : b.compression(codec).build();
    }

    private static List<VectorEntry> contents(VectorDB db) {
        List<VectorEntry> out = new ArrayList<>();
        db.snapshot().forEach(out::add);
        return out;
    }

    private static void assertSame(List<VectorEntry> actual, List<VectorEntry> expected) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            assertThat(actual.get(i).id()).isEqualTo(expected.get(i).id());
            assertThat(actual.get(i).vector()).containsExactly(expected.get(i).vector());
            assertThat(actual.get(i).metadata()).isEqualTo(expected.get(i).metadata());
        }
    }

    @ParameterizedTest
    @CsvSource({"msgpack,none", "msgpack,lz4", "msgpack,gzip", "sqlite,none", "json,none"})
    void aLargeStateRoundTripsWholeAndInOrderAndIsSearchable(String format, String codec) {
        List<VectorEntry> entries = TestStates.mixedMetadataEntries(N, DIMENSION, 1);
        VectorDB original = database(entries);
        Path file;
        try (DatabasePersistence p = new DatabasePersistence(original, options(format, codec))) {
            file = p.save(dir.resolve("state." + format + (codec.equals("none") ? "" : "." + codec)));
        }
        VectorDB loaded = new VectorDB(DIMENSION, Metric.COSINE);
        loaded.insertBatch(TestStates.entries(5, DIMENSION, 9)); // replaced, not merged
        try (DatabasePersistence p = new DatabasePersistence(loaded, options(format, codec))) {
            p.load(file);
        }
        assertSame(contents(loaded), contents(original));
        // staged with its norms: the same scores as the database it was saved from
        float[] query = entries.get(N - 1).vector();
        List<SearchResult> expected = original.search(query, 5);
        List<SearchResult> actual = loaded.search(query, 5);
        assertThat(actual).extracting(SearchResult::id).isEqualTo(expected.stream().map(SearchResult::id).toList());
        assertThat(actual).extracting(SearchResult::score).isEqualTo(expected.stream().map(SearchResult::score).toList());
    }

    /** A MessagePack state written through the format alone (no rules checked): the core's checks see it first on load. */
    private Path msgpackState(List<VectorEntry> entries, String checksum) throws IOException {
        StateHeader header = new StateHeader(2, StateHeader.Kind.FULL, DIMENSION, Metric.COSINE, entries.size(), 0,
                Instant.ofEpochMilli(1_700_000_000_000L), Map.of(), null);
        if (checksum == null) {
            ContentChecksum sum = new ContentChecksum(header);
            entries.forEach(sum::addEntry);
            checksum = sum.value();
        }
        Path file = dir.resolve("crafted.msgpack");
        try (OutputStream out = Files.newOutputStream(file);
             StateWriter w = Plugins.discover().format("msgpack").newWriter(StateSink.ofStream(out, file.toString()), header)) {
            for (VectorEntry e : entries) {
                w.writeEntry(e);
            }
            w.finish(checksum);
        }
        return file;
    }

    private static List<VectorEntry> withEmptyId(List<VectorEntry> entries, int at) {
        List<VectorEntry> out = new ArrayList<>(entries);
        out.set(at, new VectorEntry("", entries.get(at).vector(), entries.get(at).metadata()));
        return out;
    }

    /** Cuts the file in the middle of the entry with this id. */
    private static void cutInside(Path file, String id) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        byte[] needle = id.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i + needle.length <= bytes.length; i++) {
            if (Arrays.equals(bytes, i, i + needle.length, needle, 0, needle.length)) {
                Files.write(file, Arrays.copyOf(bytes, i + 3));
                return;
            }
        }
        throw new AssertionError(id + " not in " + file);
    }

    private void assertLoadFailsAndChangesNothing(Path file, String... messageParts) {
        VectorDB target = database(TestStates.entries(3, DIMENSION, 7));
        List<VectorEntry> before = contents(target);
        try (DatabasePersistence p = new DatabasePersistence(target, options("msgpack", "none"))) {
            var thrown = assertThatThrownBy(() -> p.load(file)).isInstanceOf(CorruptedStateException.class)
                    .hasMessageContaining(file.toString());
            for (String part : messageParts) {
                thrown.hasMessageContaining(part);
            }
        }
        assertSame(contents(target), before);
        assertNoStageThreadLeft();
    }

    private static void assertNoStageThreadLeft() {
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().startsWith("vecpersist-stage"));
    }

    @Test
    void anEntryBreakingTheRulesDeepInTheFileIsCorruptionNamingItAndChangesNothing() throws IOException {
        Path file = msgpackState(withEmptyId(TestStates.entries(N, DIMENSION, 2), 1234), null);
        assertLoadFailsAndChangesNothing(file, "entry 1234: id is empty");
    }

    @Test
    void anEarlierBrokenRuleIsReportedBeforeALaterDecodingFailure() throws IOException {
        Path file = msgpackState(withEmptyId(TestStates.entries(N, DIMENSION, 3), 700), null);
        cutInside(file, "vec-1400");
        assertLoadFailsAndChangesNothing(file, "entry 700: id is empty");
    }

    @Test
    void aDecodingFailureAfterGoodEntriesIsReportedAsItIs() throws IOException {
        Path file = msgpackState(TestStates.entries(N, DIMENSION, 4), null);
        cutInside(file, "vec-1400");
        VectorDB target = database(TestStates.entries(3, DIMENSION, 7));
        List<VectorEntry> before = contents(target);
        try (DatabasePersistence p = new DatabasePersistence(target, options("msgpack", "none"))) {
            assertThatThrownBy(() -> p.load(file)).isInstanceOf(CorruptedStateException.class)
                    .hasMessageContaining(file.toString()).hasMessageNotContaining("id is empty");
        }
        assertSame(contents(target), before);
        assertNoStageThreadLeft();
    }

    @Test
    void aChecksumThatDoesNotMatchTheContentIsStillCaught() throws IOException {
        Path file = msgpackState(TestStates.entries(N, DIMENSION, 5), "crc32c:00000000");
        assertLoadFailsAndChangesNothing(file, "checksum mismatch");
    }

    /** Interrupts the loading thread at its first progress report after the start. */
    private static final class InterruptingListener implements dev.vecpersist.api.ProgressListener {
        @Override
        public void onProgress(dev.vecpersist.api.Progress progress) {
            if (progress.current() > 0 && progress.percentage() < 100) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Test
    void anInterruptedLoadEndsAsBeforeKeepsTheInterruptAndLeavesNoThreadBehind() {
        // a load was never aborted by an interrupt (the file reads do not check it): it still is not,
        // the waits between the two threads keep the interrupt for the caller, and the second thread is gone
        List<VectorEntry> entries = TestStates.entries(N, DIMENSION, 6);
        Path file;
        try (DatabasePersistence p = new DatabasePersistence(database(entries), options("msgpack", "none"))) {
            file = p.save(dir.resolve("interrupted.msgpack"));
        }
        VectorDB target = new VectorDB(DIMENSION, Metric.COSINE);
        boolean interrupted;
        try (DatabasePersistence p = new DatabasePersistence(target,
                PersistenceOptions.builder().baseDir(dir.resolve("base")).batchSize(100).build())) {
            p.load(file, new InterruptingListener());
        } finally {
            interrupted = Thread.interrupted();
        }
        assertThat(interrupted).isTrue();
        assertSame(contents(target), contents(database(entries)));
        assertNoStageThreadLeft();
    }

    @Test
    void anInterruptedLoadOfADamagedFileReportsTheDamageChangesNothingAndLeavesNoThreadBehind() throws IOException {
        Path file = msgpackState(withEmptyId(TestStates.entries(N, DIMENSION, 8), 1300), null);
        VectorDB target = database(TestStates.entries(3, DIMENSION, 7));
        List<VectorEntry> before = contents(target);
        boolean interrupted;
        try (DatabasePersistence p = new DatabasePersistence(target,
                PersistenceOptions.builder().baseDir(dir.resolve("base")).batchSize(100).build())) {
            assertThatThrownBy(() -> p.load(file, new InterruptingListener())).isInstanceOf(CorruptedStateException.class)
                    .hasMessageContaining(file.toString()).hasMessageContaining("entry 1300: id is empty");
        } finally {
            interrupted = Thread.interrupted();
        }
        assertThat(interrupted).isTrue();
        assertSame(contents(target), before);
        assertNoStageThreadLeft();
    }
}
