package dev.vecpersist.core;

import dev.vecpersist.api.CorruptedStateException;
import dev.vecpersist.api.Metric;
import dev.vecpersist.api.PersistenceException;
import dev.vecpersist.api.VectorEntry;
import dev.vecpersist.testkit.Fingerprints;
import dev.vecpersist.testkit.MutableClock;
import dev.vecpersist.testkit.TestStates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PointInTimeRecoveryTest {

    private static final Instant T0 = Instant.parse("2026-12-01T08:00:00Z");

    @TempDir
    Path dir;
    private final MutableClock clock = new MutableClock(T0);
    private final Random random = new Random(20);
    /** What the database held when each version was committed, by version number. */
    private final Map<Long, String> committed = new HashMap<>();

    private PersistenceOptions.Builder opts(HistoryPolicy history) {
        return PersistenceOptions.builder().baseDir(dir).format("json").compression("none").clock(clock)
                .history(history).maxDeltas(3).maxDeltaRatio(100);
    }

    private static VectorDB db() {
        VectorDB db = new VectorDB(4, Metric.COSINE);
        db.insertBatch(TestStates.entries(30, 4, 1));
        return db;
    }

    /** Changes a few entries, saves incrementally a minute later, and records what the new version holds. */
    private VersionInfo change(DatabasePersistence p, VectorDB db) {
        clock.advance(Duration.ofMinutes(1));
        db.insert(new VectorEntry("e-" + random.nextInt(1000), TestStates.randomVector(random, 4), Map.of()));
        db.delete("vec-" + random.nextInt(30));
        p.saveIncremental();
        return record(p, db);
    }

    private VersionInfo record(DatabasePersistence p, VectorDB db) {
        List<VersionInfo> versions = p.listVersions();
        VersionInfo latest = versions.get(versions.size() - 1);
        committed.put(latest.number(), Fingerprints.of(db));
        return latest;
    }

    private List<String> stateFiles() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(f -> f.getFileName().toString()).filter(n -> Manifest.STATE_FILE.matcher(n).matches())
                    .sorted().toList();
        }
    }

    @Test
    void everyCommitIsAVersionAndEachRetainedOneLoadsExactly() {
        VectorDB db = db();
        try (DatabasePersistence p = new DatabasePersistence(db, opts(HistoryPolicy.keepLast(50)).build())) {
            p.save();
            record(p, db);
            for (int i = 0; i < 9; i++) {
                change(p, db);
            }
            List<VersionInfo> versions = p.listVersions();
            assertThat(versions).extracting(VersionInfo::number).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
            assertThat(versions).extracting(VersionInfo::kind).containsExactly(VersionInfo.Kind.FULL,
                    VersionInfo.Kind.DELTA, VersionInfo.Kind.DELTA, VersionInfo.Kind.DELTA, VersionInfo.Kind.COMPACTION,
                    VersionInfo.Kind.DELTA, VersionInfo.Kind.DELTA, VersionInfo.Kind.DELTA, VersionInfo.Kind.COMPACTION,
                    VersionInfo.Kind.DELTA);
            assertThat(versions.get(3).time()).isEqualTo(T0.plus(Duration.ofMinutes(3)));
            assertThat(versions.get(0).entries()).isEqualTo(30);
            assertThat(versions.get(1).entries()).isEqualTo(1);
            assertThat(versions.get(1).deletions()).isEqualTo(1);
            assertThat(versions).allSatisfy(v -> assertThat(v.bytes()).isPositive());
            for (VersionInfo v : versions) {
                p.loadVersion(v.number());
                assertThat(Fingerprints.of(db)).as("version %d", v.number()).isEqualTo(committed.get(v.number()));
            }
        }
        // and from another manager, after reopening: leftover cleanup kept every retained version's files
        VectorDB other = new VectorDB(4, Metric.COSINE);
        try (DatabasePersistence q = new DatabasePersistence(other, opts(HistoryPolicy.keepLast(50)).build())) {
            for (long n = 1; n <= 10; n++) {
                q.loadVersion(n);
                assertThat(Fingerprints.of(other)).isEqualTo(committed.get(n));
            }
        }
    }

    @Test
    void theDefaultKeepsOnlyTheLatestVersionAndItsFilesAsBefore() throws IOException {
        VectorDB db = db();
        try (DatabasePersistence p = new DatabasePersistence(db, opts(HistoryPolicy.latestOnly()).build())) {
            p.save();
            for (int i = 0; i < 5; i++) {
                change(p, db);
            }
            assertThat(p.listVersions()).singleElement().satisfies(v -> {
                assertThat(v.number()).isEqualTo(6);
                assertThat(v.commit()).isEqualTo(new CommitVersion(2, 1));
            });
            // exactly the chain in force: the base of the compaction and its one delta
            assertThat(stateFiles()).containsExactly("state-0000000002-delta-000001.json", "state-0000000002.json");
            assertThatThrownBy(() -> p.loadVersion(5)).isInstanceOf(VersionNotFoundException.class)
                    .hasMessageContaining("version 5 is not retained").hasMessageContaining("version 6");
        }
    }

    @Test
    void compactionKeepsOldBasesUntilTheirVersionsExpire() throws IOException {
        VectorDB db = db();
        try (DatabasePersistence p = new DatabasePersistence(db, opts(HistoryPolicy.keepLast(4)).build())) {
            p.save();                       // 1: generation 1
            change(p, db);                  // 2: 1+1
            change(p, db);                  // 3: 1+2
            change(p, db);                  // 4: 1+3
            change(p, db);                  // 5: compaction, generation 2; keeps 2..5, all of generation 1 still needed
            assertThat(stateFiles()).contains("state-0000000001.json", "state-0000000001-delta-000003.json",
                    "state-0000000002.json");
            change(p, db);                  // 6: 2+1, keeps 3..6: versions 3 and 4 need generation 1
            change(p, db);                  // 7: keeps 4..7: version 4 (1+3) still needs all of generation 1
            assertThat(stateFiles()).contains("state-0000000001.json", "state-0000000001-delta-000001.json");
            change(p, db);                  // 8: keeps 5..8: generation 1 is no longer named by any version
            assertThat(stateFiles()).noneMatch(n -> n.startsWith("state-0000000001"))
                    .contains("state-0000000002.json", "state-0000000002-delta-000003.json");
            assertThat(p.listVersions()).extracting(VersionInfo::number).containsExactly(5L, 6L, 7L, 8L);
            p.loadVersion(5);
            assertThat(Fingerprints.of(db)).isEqualTo(committed.get(5L));
        }
    }

    @Test
    void keepForDropsVersionsOlderThanTheAgeAtTheNextCommit() throws IOException {
        VectorDB db = db();
        try (DatabasePersistence p = new DatabasePersistence(db, opts(HistoryPolicy.keepFor(Duration.ofMinutes(5))).build())) {
            p.save();
            record(p, db);
            for (int i = 0; i < 8; i++) {
                change(p, db);               // versions 2..9 at T0+1..8 min
            }
            // at T0+8min the cutoff is T0+3min: versions 4 (T0+3min, at the cutoff) to 9 stay
            assertThat(p.listVersions()).extracting(VersionInfo::number).containsExactly(4L, 5L, 6L, 7L, 8L, 9L);
            clock.advance(Duration.ofHours(1));
            change(p, db);                   // 10: everything before it is too old now
            assertThat(p.listVersions()).extracting(VersionInfo::number).containsExactly(10L);
            assertThat(stateFiles()).hasSize(p.committedFiles().size());
        }
    }

    @Test
    void loadAsOfLoadsTheNewestVersionCommittedAtOrBeforeTheTime() {
        VectorDB db = db();
        try (DatabasePersistence p = new DatabasePersistence(db, opts(HistoryPolicy.keepLast(10)).build())) {
            p.save();
            record(p, db);                   // 1 at T0
            change(p, db);                   // 2 at T0+1min
            change(p, db);                   // 3 at T0+2min
            p.loadAsOf(T0.plus(Duration.ofMinutes(1)));   // exactly at version 2's time
            assertThat(Fingerprints.of(db)).isEqualTo(committed.get(2L));
            p.loadAsOf(T0.plus(Duration.ofMinutes(2)).minusNanos(1)); // just before version 3
            assertThat(Fingerprints.of(db)).isEqualTo(committed.get(2L));
            p.loadAsOf(T0);
            assertThat(Fingerprints.of(db)).isEqualTo(committed.get(1L));
            p.loadAsOf(T0.plus(Duration.ofDays(365)));
            assertThat(Fingerprints.of(db)).isEqualTo(committed.get(3L));
            assertThat(p.versionAsOf(T0.plusSeconds(90)).number()).isEqualTo(2);
            String before = Fingerprints.of(db);
            assertThatThrownBy(() -> p.loadAsOf(T0.minusNanos(1))).isInstanceOf(VersionNotFoundException.class)
                    .hasMessageContaining("no retained version was committed at or before " + T0.minusNanos(1))
                    .satisfies(e -> assertThat(((VersionNotFoundException) e).requestedTime()).isEqualTo(T0.minusNanos(1)));
            assertThat(Fingerprints.of(db)).isEqualTo(before);
        }
    }

    @Test
    void afterLoadingAnOlderVersionTheNextIncrementalSaveIsAFullNewVersion() throws IOException {
        VectorDB db = db();
        try (DatabasePersistence p = new DatabasePersistence(db, opts(HistoryPolicy.keepLast(10)).build())) {
            p.save();
            record(p, db);
            change(p, db);
            change(p, db);                   // 3: 1+2
            p.loadVersion(2);
            assertThat(p.hasUnsavedChanges()).isTrue();
            db.insert(new VectorEntry("after-2", new float[] {1, 2, 3, 4}, Map.of()));
            Path written = p.saveIncremental().orElseThrow();
            assertThat(written.getFileName().toString()).isEqualTo("state-0000000002.json"); // a new base, no delta
            VersionInfo v4 = record(p, db);
            assertThat(v4.number()).isEqualTo(4);
            assertThat(v4.kind()).isEqualTo(VersionInfo.Kind.FULL);
            assertThat(p.listVersions()).extracting(VersionInfo::number).containsExactly(1L, 2L, 3L, 4L);
            // loading the latest version makes deltas possible again
            p.loadVersion(4);
            db.delete("after-2");
            assertThat(p.saveIncremental().orElseThrow().getFileName().toString()).contains("delta");
            record(p, db);
        }
        VectorDB other = new VectorDB(4, Metric.COSINE);
        try (DatabasePersistence q = new DatabasePersistence(other, opts(HistoryPolicy.keepLast(10)).build())) {
            for (long n = 1; n <= 5; n++) {
                q.loadVersion(n);
                assertThat(Fingerprints.of(other)).as("version %d", n).isEqualTo(committed.get(n));
            }
        }
    }

    @Test
    void restoreVersionCommitsTheOldStateAsTheLatest() {
        VectorDB db = db();
        try (DatabasePersistence p = new DatabasePersistence(db, opts(HistoryPolicy.keepLast(10)).build())) {
            p.save();
            record(p, db);
            change(p, db);
            change(p, db);
            VersionInfo restored = p.restoreVersion(1);
            assertThat(restored.number()).isEqualTo(4);
            assertThat(restored.kind()).isEqualTo(VersionInfo.Kind.RESTORE);
            assertThat(p.listVersions()).hasSize(4);
        }
        VectorDB other = new VectorDB(4, Metric.COSINE);
        try (DatabasePersistence q = new DatabasePersistence(other, opts(HistoryPolicy.keepLast(10)).build())) {
            q.load();
            assertThat(Fingerprints.of(other)).isEqualTo(committed.get(1L));
        }
    }

    @Test
    void aDamagedOrMissingFileOfAnOldVersionIsATypedErrorNamingItAndTheDatabaseIsUnchanged() throws IOException {
        VectorDB db = db();
        try (DatabasePersistence p = new DatabasePersistence(db, opts(HistoryPolicy.keepLast(10)).build())) {
            p.save();
            record(p, db);
            for (int i = 0; i < 5; i++) {
                change(p, db);               // 5 is a compaction: generation 1 belongs to old versions only
            }
            String current = Fingerprints.of(db);
            Path delta = dir.resolve("state-0000000001-delta-000002.json");
            Files.writeString(delta, Files.readString(delta).replaceFirst("\"vec-", "\"VEC-"));
            assertThatThrownBy(() -> p.loadVersion(3)).isInstanceOf(CorruptedStateException.class)
                    .satisfies(e -> assertThat(((PersistenceException) e).file()).isEqualTo(delta));
            assertThat(Fingerprints.of(db)).isEqualTo(current);
            p.loadVersion(2);                // a version that does not need the damaged file still loads
            assertThat(Fingerprints.of(db)).isEqualTo(committed.get(2L));

            Files.delete(dir.resolve("state-0000000001.json"));
            String held = Fingerprints.of(db);
            assertThatThrownBy(() -> p.loadVersion(1)).isInstanceOf(PersistenceException.class)
                    .hasMessageContaining("state-0000000001.json");
            assertThat(Fingerprints.of(db)).isEqualTo(held);
            p.loadVersion(6);
            assertThat(Fingerprints.of(db)).isEqualTo(committed.get(6L));
        }
    }

    @Test
    void aManifestOfFormat2ReadsAsOneVersionAndTheNextCommitWritesFormat3() throws IOException {
        VectorDB db = db();
        try (DatabasePersistence p = new DatabasePersistence(db, opts(HistoryPolicy.latestOnly()).build())) {
            p.save();
        }
        // what the previous release wrote for this chain: format 2, no history
        Manifest m = Manifest.read(dev.vecpersist.core.io.FileOps.SYSTEM, dir.resolve(Manifest.FILE_NAME));
        String v2 = "{\n  \"manifestVersion\" : 2,\n  \"generation\" : 1,\n  \"base\" : " + refJson(m.base())
                + ",\n  \"deltas\" : [ ],\n  \"checksum\" : \"" + ManifestChecksum.canonical(1, List.of(m.base())) + "\"\n}\n";
        Files.writeString(dir.resolve(Manifest.FILE_NAME), v2);
        Instant written = Files.getLastModifiedTime(dir.resolve(Manifest.FILE_NAME)).toInstant();
        VectorDB other = new VectorDB(4, Metric.COSINE);
        try (DatabasePersistence q = new DatabasePersistence(other, opts(HistoryPolicy.keepLast(5)).build())) {
            assertThat(q.listVersions()).singleElement().satisfies(v -> {
                assertThat(v.number()).isEqualTo(1);
                assertThat(v.time()).isEqualTo(written);
                assertThat(v.kind()).isEqualTo(VersionInfo.Kind.FULL);
            });
            q.load();
            assertThat(Fingerprints.of(other)).isEqualTo(Fingerprints.of(db));
            other.delete("vec-1");
            q.saveIncremental();
            assertThat(q.listVersions()).extracting(VersionInfo::number).containsExactly(1L, 2L);
            q.loadVersion(1);
            assertThat(Fingerprints.of(other)).isEqualTo(Fingerprints.of(db));
        }
        assertThat(Files.readString(dir.resolve(Manifest.FILE_NAME))).contains("\"manifestVersion\" : 3");
    }

    private static String refJson(Manifest.FileRef r) {
        return "{\"file\" : \"" + r.file() + "\", \"format\" : \"" + r.format() + "\", \"compression\" : \""
                + r.compression() + "\", \"checksum\" : \"" + r.checksum() + "\", \"entries\" : " + r.entries()
                + ", \"deletions\" : " + r.deletions() + ", \"bytes\" : " + r.bytes() + "}";
    }

    @Test
    void anEditedHistoryFailsTheManifestChecksum() throws IOException {
        VectorDB db = db();
        try (DatabasePersistence p = new DatabasePersistence(db, opts(HistoryPolicy.keepLast(5)).build())) {
            p.save();
            change(p, db);
        }
        Path file = dir.resolve(Manifest.FILE_NAME);
        Files.writeString(file, Files.readString(file).replace("\"kind\" : \"FULL\"", "\"kind\" : \"RESTORE\""));
        try (DatabasePersistence p = new DatabasePersistence(new VectorDB(4, Metric.COSINE), opts(HistoryPolicy.keepLast(5)).build())) {
            assertThatThrownBy(p::listVersions).isInstanceOf(CorruptedStateException.class)
                    .hasMessageContaining("manifest checksum mismatch");
        }
    }
}
