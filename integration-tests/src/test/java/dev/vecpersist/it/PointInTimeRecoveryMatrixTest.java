package dev.vecpersist.it;

import dev.vecpersist.api.CorruptedStateException;
import dev.vecpersist.api.Metric;
import dev.vecpersist.api.PersistenceException;
import dev.vecpersist.api.VectorEntry;
import dev.vecpersist.core.DatabasePersistence;
import dev.vecpersist.core.DirectoryVerifier;
import dev.vecpersist.core.HistoryPolicy;
import dev.vecpersist.core.PersistenceOptions;
import dev.vecpersist.core.VectorDB;
import dev.vecpersist.core.VersionInfo;
import dev.vecpersist.testkit.MutableClock;
import dev.vecpersist.testkit.TestStates;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static dev.vecpersist.it.AllFormatsAndCodecsTest.contents;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Point-in-time recovery over every format x codec: a history of full saves, deltas and compactions;
 * every retained version loads exactly what was committed, by number and by time; a restore commits
 * an old state as the latest; a damaged file of an old version fails its load and only that load.
 */
class PointInTimeRecoveryMatrixTest {

    private static final int DIM = 8;
    private static final Instant T0 = Instant.parse("2026-12-01T08:00:00Z");

    @TempDir
    Path dir;

    private PersistenceOptions options(String format, String codec, MutableClock clock) {
        return PersistenceOptions.builder().baseDir(dir).format(format).compression(codec).clock(clock)
                .history(HistoryPolicy.keepLast(6)).maxDeltas(2).maxDeltaRatio(100).build();
    }

    @ParameterizedTest(name = "{0} + {1}")
    @MethodSource("dev.vecpersist.it.Matrix#formatsAndCodecs")
    void everyRetainedVersionLoadsExactlyWhatWasCommitted(String format, String codec) throws IOException {
        MutableClock clock = new MutableClock(T0);
        Map<Long, List<VectorEntry>> committed = new HashMap<>();
        VectorDB db = new VectorDB(DIM, Metric.COSINE);
        db.insertBatch(TestStates.mixedMetadataEntries(60, DIM, 4));
        Random random = new Random(9);
        try (DatabasePersistence p = new DatabasePersistence(db, options(format, codec, clock))) {
            p.save();
            committed.put(1L, contents(db));
            for (long n = 2; n <= 9; n++) {     // deltas, and a compaction every third commit
                clock.advance(Duration.ofMinutes(10));
                db.insert(new VectorEntry("n" + n, TestStates.randomVector(random, DIM), Map.of("n", n)));
                db.insert(new VectorEntry("vec-" + (n * 3), TestStates.randomVector(random, DIM), Map.of("updated", true)));
                db.delete("vec-" + n);
                p.saveIncremental();
                committed.put(n, contents(db));
            }
            List<VersionInfo> versions = p.listVersions();
            assertThat(versions).extracting(VersionInfo::number).containsExactly(4L, 5L, 6L, 7L, 8L, 9L);
            assertThat(versions).extracting(VersionInfo::kind).contains(VersionInfo.Kind.COMPACTION, VersionInfo.Kind.DELTA);
        }
        assertThat(new DirectoryVerifier().verify(dir)).allSatisfy(f ->
                assertThat(f.status()).as(f.path() + ": " + f.detail()).isEqualTo(DirectoryVerifier.Status.OK));

        VectorDB back = new VectorDB(DIM, Metric.COSINE);
        try (DatabasePersistence p = new DatabasePersistence(back, options(format, codec, clock))) {
            for (long n = 4; n <= 9; n++) {
                p.loadVersion(n);
                assertThat(contents(back)).as("version %d", n).containsExactlyElementsOf(committed.get(n));
            }
            p.loadAsOf(T0.plus(Duration.ofMinutes(45)));   // version 5 was committed at T0+40min
            assertThat(contents(back)).containsExactlyElementsOf(committed.get(5L));

            VersionInfo restored = p.restoreVersion(4);
            assertThat(restored.number()).isEqualTo(10);
            assertThat(restored.kind()).isEqualTo(VersionInfo.Kind.RESTORE);
        }
        VectorDB latest = new VectorDB(DIM, Metric.COSINE);
        try (DatabasePersistence p = new DatabasePersistence(latest, options(format, codec, clock))) {
            p.load();
            assertThat(contents(latest)).containsExactlyElementsOf(committed.get(4L));
            assertThat(p.listVersions()).extracting(VersionInfo::number).containsExactly(5L, 6L, 7L, 8L, 9L, 10L);

            // version 5's delta replaced by another intact delta (version 6's): its load fails on the checksum
            // the manifest recorded, naming the file, and the database keeps what it held
            List<VersionInfo> versions = p.listVersions();
            Path delta5 = deltaFile(versions.stream().filter(v -> v.number() == 5).findFirst().orElseThrow());
            Path delta6 = deltaFile(versions.stream().filter(v -> v.number() == 6).findFirst().orElseThrow());
            Files.copy(delta6, delta5, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            assertThatThrownBy(() -> p.loadVersion(5)).isInstanceOf(CorruptedStateException.class)
                    .satisfies(e -> assertThat(((PersistenceException) e).file()).isEqualTo(delta5));
            assertThat(contents(latest)).containsExactlyElementsOf(committed.get(4L));
            p.loadVersion(9);
            assertThat(contents(latest)).containsExactlyElementsOf(committed.get(9L));
        }
    }

    private Path deltaFile(VersionInfo v) {
        try (var files = Files.list(dir)) {
            String prefix = String.format("state-%010d-delta-%06d.", v.commit().generation(), v.commit().deltas());
            return files.filter(f -> f.getFileName().toString().startsWith(prefix)).findFirst().orElseThrow();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
