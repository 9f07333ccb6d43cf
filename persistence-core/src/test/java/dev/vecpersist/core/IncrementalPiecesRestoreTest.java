package dev.vecpersist.core;

import dev.vecpersist.api.CorruptedStateException;
import dev.vecpersist.api.Metric;
import dev.vecpersist.api.Progress;
import dev.vecpersist.api.ProgressListener;
import dev.vecpersist.api.SnapshotMetadata;
import dev.vecpersist.api.SnapshotPiece;
import dev.vecpersist.api.StateFingerprint;
import dev.vecpersist.api.VectorEntry;
import dev.vecpersist.testkit.TestStates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.vecpersist.core.DbAssertions.contents;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Incremental restores of differential snapshots (later pieces only) and of committed versions (later deltas only). */
class IncrementalPiecesRestoreTest {

    @TempDir
    Path dir;

    /** The operations a listener was told about: "...-incremental" only on the incremental path. */
    private static final class Operations implements ProgressListener {
        final Set<String> seen = new LinkedHashSet<>();

        @Override
        public void onProgress(Progress progress) {
            seen.add(progress.operation());
        }
    }

    private PersistenceOptions.Builder differential() {
        return PersistenceOptions.builder().baseDir(dir).format("json").compression("gzip").incrementalRestoreRatio(0.1)
                .snapshotMode(SnapshotMode.DIFFERENTIAL);
    }

    private PersistenceOptions.Builder versioned() {
        return PersistenceOptions.builder().baseDir(dir).format("json").compression("gzip").incrementalRestoreRatio(0.1)
                .history(HistoryPolicy.keepLast(10));
    }

    private static VectorDB db(int n) {
        VectorDB db = new VectorDB(8, Metric.COSINE);
        db.insertBatch(TestStates.mixedMetadataEntries(n, 8, 1));
        return db;
    }

    /** An update, a delete, an insert, a delete re-inserted (4 entries changed), different each round. */
    private static void change(VectorDB db, int round) {
        db.insert(new VectorEntry("id-" + (10 + round), new float[] {1, 1, 1, 1, 1, 1, 1, round}, Map.of("round", (long) round)));
        db.delete("id-" + (30 + round));
        db.insert(new VectorEntry("new-" + round, new float[] {2, 1, 1, 1, 1, 1, 1, 1}));
        db.delete("id-" + (50 + round));
        db.insert(new VectorEntry("id-" + (50 + round), new float[] {4, 1, 1, 1, 1, 1, 1, round}));
    }

    private static void assertSameEntries(VectorDB db, List<VectorEntry> expected) {
        assertThat(contents(db)).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(StateFingerprint.of(db.snapshot())).isEqualTo(StateFingerprint.of(expected));
    }

    private Path piece(SnapshotPiece piece) {
        return dir.resolve("snapshots").resolve("pieces").resolve(piece.id() + ".piece");
    }

    private Path snapshotMeta(SnapshotMetadata s) {
        return dir.resolve("snapshots").resolve(s.id() + ".meta.json");
    }

    private static void damage(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 0x40;
        Files.write(file, bytes);
    }

    @Test
    void aDifferentialSnapshotExtendingTheKnownOneAppliesOnlyItsLaterPieces() throws IOException {
        VectorDB db = db(200);
        List<VectorEntry> atFirst = contents(db);
        try (DatabasePersistence p = new DatabasePersistence(db, differential().build())) {
            SnapshotMetadata first = p.createSnapshot("first", Map.of("note", "n"));
            assertThat(first.metadata()).isEqualTo(Map.of("note", "n")); // the fingerprint is kept out of the user's view
            assertThat(first.pieces()).hasSize(1);
            assertThat(Files.readString(snapshotMeta(first))).contains(SnapshotFingerprints.KEY,
                    StateFingerprint.of(atFirst));
            change(db, 1);
            SnapshotMetadata second = p.createSnapshot("second");
            change(db, 2);
            List<VectorEntry> atThird = contents(db);
            SnapshotMetadata third = p.createSnapshot("third");
            assertThat(third.pieces()).hasSize(3);
            // a delta's fingerprint is derived from the changes since the known state: the same as one pass over it
            assertThat(Files.readString(snapshotMeta(third))).contains(StateFingerprint.of(atThird));
            assertThat(p.listSnapshots()).allSatisfy(s -> assertThat(s.pieces()).isNotEmpty()
                    .as("hidden key").satisfies(x -> assertThat(s.metadata()).doesNotContainKey(SnapshotFingerprints.KEY)));

            Operations older = new Operations();
            p.restoreSnapshot(first.id(), true, older); // a prefix of the known pieces, not an extension: in full
            assertThat(older.seen).doesNotContain("restore-incremental");
            assertSameEntries(db, atFirst);

            change(db, 3);
            damage(piece(third.pieces().get(0))); // the base piece: the incremental restore never reads it
            Operations ops = new Operations();
            p.restoreSnapshot(third.id(), true, ops);
            assertThat(ops.seen).containsExactly("restore-incremental");
            assertSameEntries(db, atThird);

            change(db, 4); // the same pieces: revert only
            Operations same = new Operations();
            p.restoreSnapshot(third.id(), true, same);
            assertThat(same.seen).containsExactly("restore-incremental");
            assertSameEntries(db, atThird);
            assertThat(second.pieces()).isEqualTo(third.pieces().subList(0, 2));
        }
    }

    @Test
    void incrementalAndFullRestoresOfADifferentialSnapshotAgree() {
        VectorDB db = db(150);
        SnapshotMetadata second;
        try (DatabasePersistence p = new DatabasePersistence(db, differential().build())) {
            SnapshotMetadata first = p.createSnapshot("first");
            change(db, 1);
            second = p.createSnapshot("second");
            p.restoreSnapshot(first.id());
            change(db, 2);
            Operations ops = new Operations();
            p.restoreSnapshot(second.id(), true, ops);
            assertThat(ops.seen).containsExactly("restore-incremental");
        }
        VectorDB other = new VectorDB(8, Metric.COSINE);
        other.insertBatch(TestStates.entries(3, 8, 9));
        Operations ops = new Operations();
        try (DatabasePersistence p = new DatabasePersistence(other, differential().build())) {
            p.restoreSnapshot(second.id(), true, ops); // nothing known in a new manager: in full
        }
        assertThat(ops.seen).doesNotContain("restore-incremental");
        assertSameEntries(other, contents(db));
    }

    @Test
    void anotherLineageOrChangesBeyondTheLimitRestoreADifferentialSnapshotInFull() {
        VectorDB db = db(200);
        try (DatabasePersistence p = new DatabasePersistence(db, differential().maxDeltas(1).build())) {
            SnapshotMetadata first = p.createSnapshot("first");
            change(db, 1);
            List<VectorEntry> atSecond = contents(db);
            SnapshotMetadata second = p.createSnapshot("second");
            change(db, 2);
            SnapshotMetadata third = p.createSnapshot("third"); // beyond one delta: a new base piece
            assertThat(third.pieces().get(0)).isNotEqualTo(first.pieces().get(0));
            Operations other = new Operations();
            p.restoreSnapshot(second.id(), true, other);
            assertThat(other.seen).doesNotContain("restore-incremental");
            assertSameEntries(db, atSecond);

            for (int i = 100; i < 121; i++) { // the limit is 10% of 200
                db.delete("id-" + i);
            }
            Operations beyond = new Operations();
            p.restoreSnapshot(second.id(), true, beyond);
            assertThat(beyond.seen).doesNotContain("restore-incremental");
            assertSameEntries(db, atSecond);
        }
    }

    @Test
    void aDamagedLaterPieceOrAWrongFingerprintLeavesTheDatabaseUnchanged() throws IOException {
        VectorDB db = db(100);
        try (DatabasePersistence p = new DatabasePersistence(db, differential().build())) {
            SnapshotMetadata first = p.createSnapshot("first");
            change(db, 1);
            SnapshotMetadata second = p.createSnapshot("second");
            List<VectorEntry> atSecond = contents(db);
            p.restoreSnapshot(first.id());
            change(db, 2);
            List<VectorEntry> before = contents(db);
            Path delta = piece(second.pieces().get(1));
            byte[] good = Files.readAllBytes(delta);
            damage(delta);
            assertThatThrownBy(() -> p.restoreSnapshot(second.id())).isInstanceOf(CorruptedStateException.class)
                    .hasMessageContaining(second.pieces().get(1).id());
            assertThat(contents(db)).containsExactlyElementsOf(before);

            Files.write(delta, good);
            String meta = Files.readString(snapshotMeta(second), StandardCharsets.UTF_8);
            Files.writeString(snapshotMeta(second), meta.replace(StateFingerprint.of(atSecond),
                    StateFingerprint.of(List.of())));
            Operations ops = new Operations(); // the incremental result does not match: put back, then in full
            assertThatThrownBy(() -> p.restoreSnapshot(second.id(), true, ops))
                    .isInstanceOf(CorruptedStateException.class).hasMessageContaining("state fingerprint");
            assertThat(ops.seen).contains("restore-incremental");
            assertThat(contents(db)).containsExactlyElementsOf(before);
        }
    }

    @Test
    void offByDefaultADeltaSnapshotCostsNoPassOverEveryEntry() throws IOException {
        VectorDB db = db(100);
        try (DatabasePersistence p = new DatabasePersistence(db, differential().incrementalRestoreRatio(0).build())) {
            SnapshotMetadata first = p.createSnapshot("first");
            change(db, 1);
            List<VectorEntry> atSecond = contents(db);
            SnapshotMetadata second = p.createSnapshot("second");
            assertThat(Files.readString(snapshotMeta(first))).contains(SnapshotFingerprints.KEY); // a base: hashed as written
            assertThat(Files.readString(snapshotMeta(second))).doesNotContain(SnapshotFingerprints.KEY);
            p.restoreSnapshot(first.id());
            change(db, 2);
            Operations ops = new Operations();
            p.restoreSnapshot(second.id(), true, ops);
            assertThat(ops.seen).doesNotContain("restore-incremental");
            assertSameEntries(db, atSecond);
        }
    }

    @Test
    void aLaterVersionOfTheSameBaseLoadsOnlyTheDeltasBetween() throws IOException {
        VectorDB db = db(200);
        try (DatabasePersistence p = new DatabasePersistence(db, versioned().build())) {
            p.save();
            List<VectorEntry> v1 = contents(db);
            change(db, 1);
            p.saveIncremental();
            List<VectorEntry> v2 = contents(db);
            change(db, 2);
            p.saveIncremental();
            List<VectorEntry> v3 = contents(db);
            List<VersionInfo> versions = p.listVersions();
            assertThat(versions).hasSize(3);
            long n1 = versions.get(0).number();
            long n2 = versions.get(1).number();
            long n3 = versions.get(2).number();

            Operations older = new Operations();
            p.loadVersion(n1, older); // older than the version held: in full
            assertThat(older.seen).containsExactly("load");
            assertSameEntries(db, v1);

            change(db, 3);
            Operations next = new Operations();
            p.loadVersion(n2, next);
            assertThat(next.seen).containsExactly("load-incremental");
            assertSameEntries(db, v2);

            change(db, 4);
            Manifest m = Manifest.read(p.options().fileOps(), dir.resolve(Manifest.FILE_NAME), null, false);
            byte[] goodBase = Files.readAllBytes(dir.resolve(m.base().file()));
            damage(dir.resolve(m.base().file())); // the base: an incremental load never reads it
            Operations later = new Operations();
            p.loadVersion(p.versionAsOf(versions.get(2).time()).number(), later); // as loadAsOf does
            assertThat(later.seen).containsExactly("load-incremental");
            assertSameEntries(db, v3);

            Operations same = new Operations();
            change(db, 5);
            p.loadVersion(n3, same); // the version held: revert only
            assertThat(same.seen).containsExactly("load-incremental");
            assertSameEntries(db, v3);

            Files.write(dir.resolve(m.base().file()), goodBase);
            for (int i = 100; i < 121; i++) { // beyond the limit (10% of 200): in full
                db.delete("id-" + i);
            }
            Operations beyond = new Operations();
            p.loadVersion(n3, beyond);
            assertThat(beyond.seen).containsExactly("load");
            assertSameEntries(db, v3);
        }
    }

    @Test
    void aRestoredVersionIsKnownAsTheVersionItCommits() {
        VectorDB db = db(100);
        try (DatabasePersistence p = new DatabasePersistence(db, versioned().build())) {
            p.save();
            List<VectorEntry> v1 = contents(db);
            change(db, 1);
            p.saveIncremental();
            VersionInfo restored = p.restoreVersion(p.listVersions().get(0).number());
            assertSameEntries(db, v1);
            change(db, 2);
            Operations ops = new Operations();
            p.load(ops); // the latest commit is the restored version: revert only
            assertThat(ops.seen).containsExactly("load-incremental");
            assertSameEntries(db, v1);
            assertThat(p.listVersions().get(p.listVersions().size() - 1).number()).isEqualTo(restored.number());
        }
    }

    @Test
    void incrementalAndFullLoadsOfAVersionAgreeAndANewBaseLoadsInFull() {
        VectorDB db = db(150);
        List<VectorEntry> v2;
        long n2;
        try (DatabasePersistence p = new DatabasePersistence(db, versioned().build())) {
            p.save();
            change(db, 1);
            p.saveIncremental();
            v2 = contents(db);
            n2 = p.listVersions().get(1).number();
            p.loadVersion(p.listVersions().get(0).number());
            change(db, 2);
            p.loadVersion(n2);
            assertSameEntries(db, v2);
            change(db, 3);
            p.save(); // a new base: versions of the old one are another lineage
            change(db, 4);
            Operations other = new Operations();
            p.loadVersion(n2, other);
            assertThat(other.seen).containsExactly("load");
            assertSameEntries(db, v2);
        }
        VectorDB fresh = new VectorDB(8, Metric.COSINE);
        try (DatabasePersistence p = new DatabasePersistence(fresh, versioned().build())) {
            Operations ops = new Operations();
            p.loadVersion(n2, ops);
            assertThat(ops.seen).containsExactly("load");
        }
        assertSameEntries(fresh, v2);
    }

    @Test
    void aDamagedDeltaLeavesTheDatabaseUnchangedOnAVersionLoad() throws IOException {
        VectorDB db = db(100);
        try (DatabasePersistence p = new DatabasePersistence(db, versioned().build())) {
            p.save();
            change(db, 1);
            p.saveIncremental();
            List<VersionInfo> versions = p.listVersions();
            p.loadVersion(versions.get(0).number());
            change(db, 2);
            List<VectorEntry> before = contents(db);
            Manifest m = Manifest.read(p.options().fileOps(), dir.resolve(Manifest.FILE_NAME), null, false);
            damage(dir.resolve(m.deltas().get(0).file()));
            assertThatThrownBy(() -> p.loadVersion(versions.get(1).number())).isInstanceOf(CorruptedStateException.class);
            assertThat(contents(db)).containsExactlyElementsOf(before);
        }
    }
}
