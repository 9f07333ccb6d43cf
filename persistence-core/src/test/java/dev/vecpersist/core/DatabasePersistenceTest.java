package dev.vecpersist.core;

import dev.vecpersist.api.CorruptedStateException;
import dev.vecpersist.api.IncompatibleStateException;
import dev.vecpersist.api.Metric;
import dev.vecpersist.api.PersistenceException;
import dev.vecpersist.api.Progress;
import dev.vecpersist.api.UnsupportedFormatException;
import dev.vecpersist.api.VectorEntry;
import dev.vecpersist.testkit.Fixtures;
import dev.vecpersist.testkit.TestStates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.vecpersist.core.DbAssertions.assertSameContent;
import static dev.vecpersist.core.DbAssertions.contents;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DatabasePersistenceTest {

    @TempDir
    Path dir;

    private PersistenceOptions.Builder opts(String compression) {
        return PersistenceOptions.builder().baseDir(dir.resolve("base")).format("json").compression(compression);
    }

    private static VectorDB filled(List<VectorEntry> entries, int dimension) {
        VectorDB db = new VectorDB(dimension, Metric.COSINE);
        db.insertBatch(entries);
        return db;
    }

    @ParameterizedTest
    @ValueSource(strings = {"none", "gzip"})
    void roundTripsEmptyOneAndLargeDatabases(String compression) {
        for (List<VectorEntry> entries : List.of(List.<VectorEntry>of(), TestStates.mixedMetadataEntries(1, 384, 1),
                TestStates.mixedMetadataEntries(10_000, 384, 2))) {
            VectorDB db = filled(entries, 384);
            Path file;
            try (DatabasePersistence p = new DatabasePersistence(db, opts(compression).build())) {
                file = p.save();
            }
            VectorDB fresh = new VectorDB(384, Metric.COSINE);
            try (DatabasePersistence p = new DatabasePersistence(fresh, opts(compression).build())) {
                p.load(file);
            }
            assertSameContent(fresh, contents(db));
            VectorDB viaManifest = new VectorDB(384, Metric.COSINE);
            try (DatabasePersistence p = new DatabasePersistence(viaManifest, opts(compression).build())) {
                p.load();
            }
            assertSameContent(viaManifest, contents(db));
        }
    }

    @Test
    void detectsFormatAndCodecFromContentNotFromTheName() throws IOException {
        VectorDB db = filled(TestStates.entries(50, 8, 1), 8);
        Path misleading = dir.resolve("looks-like.sqlite.br");
        try (DatabasePersistence p = new DatabasePersistence(db, opts("gzip").build())) {
            p.save(misleading);
        }
        assertThat(Files.readAllBytes(misleading)[0]).isEqualTo((byte) 0x1f);
        VectorDB fresh = new VectorDB(8, Metric.COSINE);
        // a manager configured for uncompressed JSON loads the gzip file all the same
        try (DatabasePersistence p = new DatabasePersistence(fresh, opts("none").build())) {
            p.load(misleading);
        }
        assertSameContent(fresh, contents(db));
    }

    @Test
    void flippedByteIsCorruptionAndLeavesTheDatabaseAsItWas() throws IOException {
        VectorDB db = filled(TestStates.entries(100, 8, 3), 8);
        Path file;
        try (DatabasePersistence p = new DatabasePersistence(db, opts("none").build())) {
            file = p.save(dir.resolve("state.json"));
        }
        String text = Files.readString(file);
        int at = text.indexOf("0.", text.indexOf("\"vectors\"")) + 3;
        char c = text.charAt(at);
        Files.writeString(file, text.substring(0, at) + (c == '5' ? '6' : '5') + text.substring(at + 1));

        VectorDB target = filled(TestStates.entries(3, 8, 99), 8);
        List<VectorEntry> before = contents(target);
        try (DatabasePersistence p = new DatabasePersistence(target, opts("none").build())) {
            assertThatThrownBy(() -> p.load(file)).isInstanceOf(CorruptedStateException.class)
                    .hasMessageContaining(file.toString()).hasMessageContaining("checksum mismatch");
        }
        assertSameContent(target, before);
    }

    @ParameterizedTest
    @ValueSource(strings = {"none", "gzip"})
    void truncationIsCorruptionAndLeavesTheDatabaseAsItWas(String compression) throws IOException {
        VectorDB db = filled(TestStates.entries(200, 16, 4), 16);
        Path file;
        try (DatabasePersistence p = new DatabasePersistence(db, opts(compression).build())) {
            file = p.save(dir.resolve("state"));
        }
        byte[] bytes = Files.readAllBytes(file);
        VectorDB target = filled(TestStates.entries(5, 16, 5), 16);
        List<VectorEntry> before = contents(target);
        for (int length : new int[] {1, 10, bytes.length / 3, bytes.length / 2, bytes.length - 2, bytes.length - 1}) {
            Path cut = dir.resolve("cut-" + length);
            Files.write(cut, java.util.Arrays.copyOf(bytes, length));
            try (DatabasePersistence p = new DatabasePersistence(target, opts(compression).build())) {
                assertThatThrownBy(() -> p.load(cut)).as("cut at %d of %d", length, bytes.length)
                        .isInstanceOf(CorruptedStateException.class).hasMessageContaining(cut.toString());
            }
            assertSameContent(target, before);
        }
    }

    @Test
    void wrongDimensionOrMetricIsIncompatibleBeforeAnythingChanges() {
        VectorDB db = filled(TestStates.entries(10, 4, 1), 4);
        Path file;
        try (DatabasePersistence p = new DatabasePersistence(db, opts("none").build())) {
            file = p.save(dir.resolve("dim4.json"));
        }
        VectorDB other = new VectorDB(8, Metric.COSINE);
        other.insertBatch(TestStates.entries(2, 8, 2));
        try (DatabasePersistence p = new DatabasePersistence(other, opts("none").build())) {
            assertThatThrownBy(() -> p.load(file)).isInstanceOf(IncompatibleStateException.class)
                    .hasMessageContaining("dimension 4").hasMessageContaining("dimension 8");
        }
        assertThat(other.size()).isEqualTo(2);
        VectorDB euclid = new VectorDB(4, Metric.EUCLIDEAN);
        try (DatabasePersistence p = new DatabasePersistence(euclid, opts("none").build())) {
            assertThatThrownBy(() -> p.load(file)).isInstanceOf(IncompatibleStateException.class)
                    .hasMessageContaining("metric cosine");
        }
    }

    @Test
    void missingCodecNamesTheAvailableOnesAndTheArtifact() {
        VectorDB db = new VectorDB(2, Metric.COSINE);
        assertThatThrownBy(() -> new DatabasePersistence(db, opts("brotli").build()))
                .isInstanceOf(UnsupportedFormatException.class)
                .hasMessage("no CompressionCodec named 'brotli' (available: gzip, none); add dev.vecpersist:codec-brotli");
        assertThatThrownBy(() -> new DatabasePersistence(db, opts("none").format("sqlite").build()))
                .isInstanceOf(UnsupportedFormatException.class)
                .hasMessageContaining("no StateFormat named 'sqlite'").hasMessageContaining("dev.vecpersist:format-sqlite");
    }

    @Test
    void loadingAFileOfAnAbsentCodecNamesTheArtifact() throws IOException {
        Path lz4 = dir.resolve("state.lz4");
        // an LZ4 frame header: the magic is enough to know what the file needs
        Files.write(lz4, new byte[] {0x04, 0x22, 0x4d, 0x18, 0x64, 0x40, (byte) 0xa7, 0, 0, 0, 0});
        try (DatabasePersistence p = new DatabasePersistence(new VectorDB(2, Metric.COSINE), opts("none").build())) {
            assertThatThrownBy(() -> p.load(lz4)).isInstanceOf(UnsupportedFormatException.class)
                    .hasMessageContaining("lz4").hasMessageContaining("dev.vecpersist:codec-lz4")
                    .hasMessageContaining(lz4.toString());
        }
    }

    @Test
    void randomBytesAreCorruption() throws IOException {
        Path junk = dir.resolve("junk.json");
        byte[] random = new byte[1000];
        new java.util.Random(1).nextBytes(random);
        random[0] = 0x55;
        Files.write(junk, random);
        try (DatabasePersistence p = new DatabasePersistence(new VectorDB(2, Metric.COSINE), opts("none").build())) {
            // this module's tests have no brotli codec: such a file could be brotli, so the message says both
            assertThatThrownBy(() -> p.load(junk)).isInstanceOf(UnsupportedFormatException.class)
                    .hasMessageContaining("not a recognisable state file").hasMessageContaining("It is corrupt")
                    .hasMessageContaining("dev.vecpersist:codec-brotli");
            Path empty = dir.resolve("empty.json");
            Files.write(empty, new byte[0]);
            assertThatThrownBy(() -> p.load(empty)).isInstanceOf(CorruptedStateException.class)
                    .hasMessageContaining("the file is empty");
            assertThatThrownBy(() -> p.load(dir.resolve("absent.json"))).isInstanceOf(PersistenceException.class)
                    .hasMessageContaining("no such file");
        }
    }

    @ParameterizedTest
    @EnumSource(value = FaultyFileOps.Step.class, names = {"CREATE", "SYNC", "MOVE"})
    void aSaveThatFailsAtAnyStepLeavesThePreviousSaveLoadable(FaultyFileOps.Step step) throws IOException {
        FaultyFileOps faulty = new FaultyFileOps();
        VectorDB db = filled(TestStates.entries(300, 8, 6), 8);
        List<VectorEntry> firstState = contents(db);
        try (DatabasePersistence p = new DatabasePersistence(db, opts("gzip").fileOps(faulty).build())) {
            p.save();
            db.insertBatch(TestStates.entries(500, 8, 7));
            faulty.failStep(step, 1);
            assertThatThrownBy(p::save).isInstanceOf(PersistenceException.class).hasMessageContaining("injected");
            faulty.heal();
        }
        assertNoTempFiles(dir.resolve("base"));
        VectorDB fresh = new VectorDB(8, Metric.COSINE);
        try (DatabasePersistence p = new DatabasePersistence(fresh, opts("gzip").build())) {
            p.load();
        }
        assertSameContent(fresh, firstState);
    }

    @Test
    void aFullDiskMidwayLeavesThePreviousFileAndNoPartialFile() throws IOException {
        FaultyFileOps faulty = new FaultyFileOps();
        VectorDB db = filled(TestStates.entries(2000, 32, 8), 32);
        Path file = dir.resolve("out").resolve("state.json");
        Files.createDirectories(file.getParent());
        try (DatabasePersistence p = new DatabasePersistence(db, opts("none").fileOps(faulty).build())) {
            p.save(file);
            byte[] previous = Files.readAllBytes(file);
            db.clear();
            db.insertBatch(TestStates.entries(3000, 32, 9));
            faulty.diskFullAfter(previous.length / 2);
            assertThatThrownBy(() -> p.save(file)).isInstanceOf(PersistenceException.class)
                    .hasMessageContaining("No space left").hasMessageContaining(file.toString());
            assertThat(Files.readAllBytes(file)).isEqualTo(previous);
        }
        assertNoTempFiles(file.getParent());
    }

    @Test
    void progressNeverDecreasesReportsEveryBatchAndEndsAt100() {
        VectorDB db = filled(TestStates.entries(2500, 8, 10), 8);
        List<Progress> saves = new ArrayList<>();
        List<Progress> loads = new ArrayList<>();
        Path file;
        try (DatabasePersistence p = new DatabasePersistence(db, opts("none").batchSize(100).build())) {
            file = p.save(saves::add);
            p.load(file, loads::add);
        }
        for (List<Progress> reports : List.of(saves, loads)) {
            assertThat(reports.size()).isGreaterThanOrEqualTo(2500 / 100);
            for (int i = 1; i < reports.size(); i++) {
                assertThat(reports.get(i).percentage()).isGreaterThanOrEqualTo(reports.get(i - 1).percentage());
                assertThat(reports.get(i).current() - reports.get(i - 1).current()).isLessThanOrEqualTo(100);
            }
            assertThat(reports.get(reports.size() - 1).percentage()).isEqualTo(100.0);
            assertThat(reports.stream().filter(r -> r.percentage() == 100.0)).hasSize(1);
            assertThat(reports).as("all entries done is reported once, at 100 percent")
                    .noneMatch(r -> r.total() > 0 && r.current() == r.total() && r.percentage() < 100.0);
            assertThat(reports.get(reports.size() - 1).total()).isEqualTo(2500);
        }
    }

    @Test
    void aThrowingProgressListenerAbortsTheSaveCleanly() throws IOException {
        VectorDB db = filled(TestStates.entries(1000, 8, 11), 8);
        try (DatabasePersistence p = new DatabasePersistence(db, opts("none").batchSize(10).build())) {
            Path first = p.save();
            assertThatThrownBy(() -> p.save(pr -> {
                if (pr.current() > 500) {
                    throw new IllegalStateException("user cancelled");
                }
            })).isInstanceOf(PersistenceException.class).hasMessageContaining("user cancelled");
            assertThat(p.committedFiles()).containsExactly(first);
        }
        assertNoTempFiles(dir.resolve("base"));
    }

    @Test
    void loadsTheReferenceModulesFiles() {
        Path fixtures = Fixtures.referenceModule();
        for (String name : List.of("small.json", "small.bin", "small.json.gzip")) {
            VectorDB db = new VectorDB(16, Metric.COSINE);
            try (DatabasePersistence p = new DatabasePersistence(db, opts("none").build())) {
                p.load(fixtures.resolve(name));
            }
            assertThat(db.size()).as(name).isEqualTo(20);
            VectorEntry first = db.get("0").orElseThrow();
            assertThat(first.vector()[0]).isEqualTo((float) -0.5224383473396301);
            assertThat(first.vector()[1]).isEqualTo((float) 0.82698655128479);
            assertThat(first.metadata()).containsEntry("index", 0L).containsEntry("category", "A")
                    .containsEntry("timestamp", 1_700_000_000_000L).containsEntry("tags", List.of("x", "y"));
            assertThat(first.metadata().get("nested")).isEqualTo(Map.of("ok", true, "score", 0L));
            assertThat(db.get("1").orElseThrow().metadata().get("nested"))
                    .isEqualTo(Map.of("ok", false, "score", 0.14285714285714285));
        }
    }

    @Test
    void aSecondManagerOnTheSameDirectoryIsRefused() {
        try (DatabasePersistence p = new DatabasePersistence(new VectorDB(2, Metric.DOT), opts("none").build())) {
            assertThatThrownBy(() -> new DatabasePersistence(new VectorDB(2, Metric.DOT), opts("none").build()))
                    .isInstanceOf(PersistenceException.class).hasMessageContaining("in use");
        }
        new DatabasePersistence(new VectorDB(2, Metric.DOT), opts("none").build()).close();
    }

    @Test
    void leftoverTempFilesAreRemovedAndIgnored() throws IOException {
        VectorDB db = filled(TestStates.entries(10, 4, 12), 4);
        Path base = dir.resolve("base");
        try (DatabasePersistence p = new DatabasePersistence(db, opts("none").build())) {
            p.save();
        }
        Path leftover = base.resolve(".state-0000000002.json.tmp-crashed");
        Files.writeString(leftover, "{\"half\":");
        Path orphan = base.resolve("state-0000000002.json");
        Files.writeString(orphan, "{\"written but never committed\":");
        VectorDB fresh = new VectorDB(4, Metric.COSINE);
        try (DatabasePersistence p = new DatabasePersistence(fresh, opts("none").build())) {
            p.load();
        }
        assertSameContent(fresh, contents(db));
        assertThat(leftover).doesNotExist();
        assertThat(orphan).doesNotExist();
    }

    static void assertNoTempFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(f -> f.getFileName().toString())).noneMatch(n -> n.contains(".tmp-"));
        }
    }
}
