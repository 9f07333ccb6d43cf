package dev.vecpersist.core;

import dev.vecpersist.api.ChangeApplying;
import dev.vecpersist.api.ChangeTracking;
import dev.vecpersist.api.CorruptedStateException;
import dev.vecpersist.api.EntrySnapshot;
import dev.vecpersist.api.Metric;
import dev.vecpersist.api.PersistableDatabase;
import dev.vecpersist.api.PriorStateTracking;
import dev.vecpersist.api.Progress;
import dev.vecpersist.api.ProgressListener;
import dev.vecpersist.api.SnapshotMetadata;
import dev.vecpersist.api.StateFingerprint;
import dev.vecpersist.api.VectorEntry;
import dev.vecpersist.testkit.TestStates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.vecpersist.core.DbAssertions.contents;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Restores that change only what differs from the known state, and their fallbacks to full restores. */
class IncrementalRestoreTest {

    @TempDir
    Path dir;

    private PersistenceOptions.Builder opts() {
        return PersistenceOptions.builder().baseDir(dir).format("json").compression("gzip").incrementalRestoreRatio(0.1);
    }

    /** The operations a listener was told about: "restore-incremental" only on the incremental path. */
    private static final class Operations implements ProgressListener {
        final Set<String> seen = new LinkedHashSet<>();

        @Override
        public void onProgress(Progress progress) {
            seen.add(progress.operation());
        }
    }

    private static VectorDB db(int n) {
        VectorDB db = new VectorDB(8, Metric.COSINE);
        db.insertBatch(TestStates.mixedMetadataEntries(n, 8, 1));
        return db;
    }

    /** An update, a delete, an insert, an insert deleted again, a delete re-inserted, an entry updated twice. */
    private static void changeAFew(VectorDB db) {
        db.insert(new VectorEntry("id-1", new float[] {1, 1, 1, 1, 1, 1, 1, 1}, Map.of("changed", true)));
        db.delete("id-2");
        db.insert(new VectorEntry("new-1", new float[] {2, 1, 1, 1, 1, 1, 1, 1}));
        db.insert(new VectorEntry("new-2", new float[] {3, 1, 1, 1, 1, 1, 1, 1}));
        db.delete("new-2");
        db.delete("id-3");
        db.insert(new VectorEntry("id-3", new float[] {4, 1, 1, 1, 1, 1, 1, 1}));
        db.insert(new VectorEntry("id-4", new float[] {5, 1, 1, 1, 1, 1, 1, 1}));
        db.insert(new VectorEntry("id-4", new float[] {6, 1, 1, 1, 1, 1, 1, 1}));
    }

    private static void assertSameEntries(PersistableDatabase db, List<VectorEntry> expected) {
        assertThat(contents(db)).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(StateFingerprint.of(db.snapshot())).isEqualTo(StateFingerprint.of(expected));
    }

    private Path snapshotData(SnapshotMetadata s) {
        return dir.resolve("snapshots").resolve(s.id() + ".data");
    }

    private Path snapshotMeta(SnapshotMetadata s) {
        return dir.resolve("snapshots").resolve(s.id() + ".meta.json");
    }

    @Test
    void aKnownSnapshotIsRestoredByRevertingWhatChangedWithoutReadingIt() throws IOException {
        VectorDB db = db(200);
        List<VectorEntry> atSnapshot = contents(db);
        SnapshotMetadata s;
        try (DatabasePersistence p = new DatabasePersistence(db, opts().build())) {
            s = p.createSnapshot("before", Map.of("note", "n"));
            assertThat(s.metadata()).isEqualTo(Map.of("note", "n")); // the fingerprint is kept out of the user's view
            assertThat(Files.readString(snapshotMeta(s))).contains(SnapshotFingerprints.KEY, StateFingerprint.of(atSnapshot));
            changeAFew(db);
            // damage the stored data: a full restore would refuse it, the incremental one never reads it
            byte[] bytes = Files.readAllBytes(snapshotData(s));
            bytes[bytes.length / 2] ^= 0x40;
            Files.write(snapshotData(s), bytes);

            Operations ops = new Operations();
            p.restoreSnapshot(s.id(), true, ops);
            assertThat(ops.seen).containsExactly("restore-incremental");
            assertSameEntries(db, atSnapshot);

            changeAFew(db); // and again: the restore marked the snapshot as the state held
            Operations again = new Operations();
            p.restoreSnapshot(s.id(), true, again);
            assertThat(again.seen).containsExactly("restore-incremental");
            assertSameEntries(db, atSnapshot);
            // saving does not move the mark off the snapshot
            p.save();
            changeAFew(db);
            p.saveIncremental();
            Operations afterSaves = new Operations();
            p.restoreSnapshot(s.id(), true, afterSaves);
            assertThat(afterSaves.seen).containsExactly("restore-incremental");
            assertSameEntries(db, atSnapshot);
        }
    }

    @Test
    void incrementalAndFullRestoresGiveTheSameState() {
        VectorDB db = db(150);
        SnapshotMetadata s;
        try (DatabasePersistence p = new DatabasePersistence(db, opts().build())) {
            s = p.createSnapshot("s");
            changeAFew(db);
            p.restoreSnapshot(s.id());
        }
        VectorDB other = new VectorDB(8, Metric.COSINE);
        other.insertBatch(TestStates.entries(3, 8, 9));
        Operations ops = new Operations();
        try (DatabasePersistence p = new DatabasePersistence(other, opts().build())) {
            p.restoreSnapshot(s.id(), true, ops); // no known state in a new manager: in full
        }
        assertThat(ops.seen).containsExactly("restore");
        assertSameEntries(other, contents(db));
    }

    @Test
    void offByDefault() {
        VectorDB db = db(100);
        List<VectorEntry> atSnapshot = contents(db);
        try (DatabasePersistence p = new DatabasePersistence(db, PersistenceOptions.builder().baseDir(dir).format("json")
                .build())) {
            assertThat(p.options().incrementalRestoreRatio()).isZero();
            SnapshotMetadata s = p.createSnapshot("s");
            changeAFew(db);
            Operations ops = new Operations();
            p.restoreSnapshot(s.id(), true, ops);
            assertThat(ops.seen).containsExactly("restore");
            assertThat(contents(db)).containsExactlyElementsOf(atSnapshot);
            p.save();
            changeAFew(db);
            Operations load = new Operations();
            p.load(load);
            assertThat(load.seen).containsExactly("load");
        }
    }

    @Test
    void changesBeyondTheLimitRestoreInFull() {
        VectorDB db = db(200);
        List<VectorEntry> atSnapshot = contents(db);
        try (DatabasePersistence p = new DatabasePersistence(db, opts().incrementalRestoreRatio(0.1).build())) {
            SnapshotMetadata s = p.createSnapshot("s");
            for (int i = 0; i < 21; i++) { // the limit is 10% of 200
                db.delete("id-" + i);
            }
            Operations ops = new Operations();
            p.restoreSnapshot(s.id(), true, ops);
            assertThat(ops.seen).containsExactly("restore");
            assertThat(contents(db)).containsExactlyElementsOf(atSnapshot); // a full restore keeps the order too

            for (int i = 0; i < 20; i++) { // at the limit: still incremental
                db.delete("id-" + i);
            }
            Operations within = new Operations();
            p.restoreSnapshot(s.id(), true, within);
            assertThat(within.seen).containsExactly("restore-incremental");
            assertSameEntries(db, atSnapshot);
        }
    }

    @Test
    void anotherSnapshotOrAReplacedDatabaseRestoresInFull() {
        VectorDB db = db(100);
        List<VectorEntry> atFirst = contents(db);
        try (DatabasePersistence p = new DatabasePersistence(db, opts().build())) {
            SnapshotMetadata first = p.createSnapshot("first");
            changeAFew(db);
            List<VectorEntry> atSecond = contents(db);
            SnapshotMetadata second = p.createSnapshot("second");
            Operations ops = new Operations();
            p.restoreSnapshot(first.id(), true, ops); // the known state is the second: another lineage
            assertThat(ops.seen).containsExactly("restore");
            assertSameEntries(db, atFirst);

            db.replaceAll(TestStates.entries(5, 8, 4), null); // replaced behind the manager's back
            Operations replaced = new Operations();
            p.restoreSnapshot(first.id(), true, replaced);
            assertThat(replaced.seen).containsExactly("restore");
            assertSameEntries(db, atFirst);

            p.restoreSnapshot(second.id());
            assertSameEntries(db, atSecond);
        }
    }

    @Test
    void aSnapshotWithoutAFingerprintRestoresInFullThenIncrementally() throws IOException {
        VectorDB db = db(100);
        List<VectorEntry> atSnapshot = contents(db);
        SnapshotMetadata s;
        try (DatabasePersistence p = new DatabasePersistence(db, opts().build())) {
            s = p.createSnapshot("s");
        }
        String meta = Files.readString(snapshotMeta(s), StandardCharsets.UTF_8);
        Files.writeString(snapshotMeta(s), meta.replace(SnapshotFingerprints.KEY, "olderKey"));
        try (DatabasePersistence p = new DatabasePersistence(db, opts().build())) {
            changeAFew(db);
            Operations ops = new Operations();
            p.restoreSnapshot(s.id(), true, ops); // taken before fingerprints: read in full
            assertThat(ops.seen).containsExactly("restore");
            assertSameEntries(db, atSnapshot);
            changeAFew(db);
            Operations then = new Operations();
            p.restoreSnapshot(s.id(), true, then); // checked against the fingerprint of what the full restore read
            assertThat(then.seen).containsExactly("restore-incremental");
            assertSameEntries(db, atSnapshot);
        }
    }

    @Test
    void aWrongIncrementalResultIsPutBackAndRestoredInFull() {
        ForgetfulDb db = new ForgetfulDb(db(100));
        List<VectorEntry> atSnapshot = contents(db);
        try (DatabasePersistence p = new DatabasePersistence(db, opts().build())) {
            SnapshotMetadata s = p.createSnapshot("s");
            changeAFew(db.inner);
            db.forgetOne = true; // its tracking misses a change: the revert gives another state
            Operations ops = new Operations();
            p.restoreSnapshot(s.id(), true, ops);
            assertThat(ops.seen).containsExactly("restore-incremental", "restore");
            assertSameEntries(db, atSnapshot);
        }
    }

    @Test
    void whenTheFullRestoreDoesNotMatchEitherTheDatabaseIsUnchanged() throws IOException {
        VectorDB db = db(100);
        try (DatabasePersistence p = new DatabasePersistence(db, opts().build())) {
            SnapshotMetadata s = p.createSnapshot("s");
            String meta = Files.readString(snapshotMeta(s), StandardCharsets.UTF_8);
            String recorded = StateFingerprint.of(contents(db));
            Files.writeString(snapshotMeta(s), meta.replace(recorded, StateFingerprint.of(List.of())));
            changeAFew(db);
            List<VectorEntry> before = contents(db);
            assertThatThrownBy(() -> p.restoreSnapshot(s.id())).isInstanceOf(CorruptedStateException.class)
                    .hasMessageContaining("state fingerprint").hasMessageContaining("snapshot/" + s.id());
            assertThat(contents(db)).containsExactlyElementsOf(before);
            // with nothing verified, the snapshot's content is restored as read
            p.restoreSnapshot(s.id(), false, ProgressListener.NONE);
            assertThat(db.size()).isEqualTo(100);
        }
    }

    @Test
    void loadingTheCommittedChainRevertsUnsavedChanges() {
        VectorDB db = db(200);
        try (DatabasePersistence p = new DatabasePersistence(db, opts().build())) {
            p.save();
            changeAFew(db);
            p.saveIncremental(); // the known version follows the commit: derived from the tracked changes
            List<VectorEntry> committed = contents(db);
            db.delete("id-50");
            db.insert(new VectorEntry("unsaved", new float[] {7, 1, 1, 1, 1, 1, 1, 1}));
            Operations ops = new Operations();
            p.load(ops);
            assertThat(ops.seen).containsExactly("load-incremental");
            assertSameEntries(db, committed);
            assertThat(p.hasUnsavedChanges()).isFalse();

            db.delete("id-60");
            assertThat(p.saveIncremental()).isPresent(); // change tracking still works after an incremental load
            List<VectorEntry> later = contents(db);
            changeAFew(db);
            Operations again = new Operations();
            p.load(again);
            assertThat(again.seen).containsExactly("load-incremental");
            assertSameEntries(db, later);
        }
        VectorDB fresh = new VectorDB(8, Metric.COSINE);
        Operations full = new Operations();
        try (DatabasePersistence p = new DatabasePersistence(fresh, opts().build())) {
            p.load(full);
        }
        assertThat(full.seen).containsExactly("load");
        assertSameEntries(fresh, contents(db));
    }

    @Test
    void aSnapshotOfTheVersionHeldKeepsBothKnown() {
        VectorDB db = db(200);
        try (DatabasePersistence p = new DatabasePersistence(db, opts().build())) {
            p.save();
            List<VectorEntry> saved = contents(db);
            SnapshotMetadata s = p.createSnapshot("same as saved"); // nothing changed: one more name
            changeAFew(db);
            Operations load = new Operations();
            p.load(load);
            assertThat(load.seen).containsExactly("load-incremental");
            assertSameEntries(db, saved);
            changeAFew(db);
            p.saveIncremental(); // the version moves on; the snapshot is no longer what is held
            List<VectorEntry> later = contents(db);
            changeAFew(db);
            Operations restore = new Operations();
            p.restoreSnapshot(s.id(), true, restore);
            assertThat(restore.seen).containsExactly("restore");
            assertSameEntries(db, saved);
            p.save(); // saving the snapshot's content: the version is one more name for it
            db.delete("id-77");
            p.saveIncremental();
            List<VectorEntry> withDelta = contents(db);
            changeAFew(db);
            Operations reload = new Operations();
            p.load(reload); // revert to the snapshot (= the saved base), then read only the new delta
            assertThat(reload.seen).containsExactly("load-incremental");
            assertSameEntries(db, withDelta);
            assertThat(later).isNotEqualTo(withDelta);
        }
    }

    @Test
    void aDatabaseWithoutPriorStateTrackingIsRestoredInFull() {
        PlainDb db = new PlainDb(db(50));
        List<VectorEntry> atSnapshot = contents(db);
        try (DatabasePersistence p = new DatabasePersistence(db, opts().build())) {
            SnapshotMetadata s = p.createSnapshot("s");
            changeAFew(db.inner);
            Operations ops = new Operations();
            p.restoreSnapshot(s.id(), true, ops);
            assertThat(ops.seen).containsExactly("restore");
            assertSameEntries(db, atSnapshot);
        }
    }

    @Test
    void revertsThenAppliesTheTargetsLaterPiecesInOneBatch() {
        VectorDB db = db(50);
        IncrementalRestore restores = new IncrementalRestore(db, opts().incrementalRestoreRatio(0.5).build(), Auditor.off());
        List<VectorEntry> known = contents(db);
        restores.holds(List.of("chain/base", "chain/d1"), StateFingerprint.of(known), db.currentSequence());
        changeAFew(db);
        // the target: the known state plus a delta that updates vec-1 (changed since), deletes vec-5 (unchanged
        // since) and vec-2 (deleted since), re-inserts vec-3 and inserts new-9
        VectorEntry vec1 = new VectorEntry("id-1", new float[] {8, 8, 8, 8, 8, 8, 8, 8});
        VectorEntry vec3 = new VectorEntry("id-3", new float[] {9, 8, 8, 8, 8, 8, 8, 8});
        VectorEntry new9 = new VectorEntry("new-9", new float[] {7, 8, 8, 8, 8, 8, 8, 8}, Map.of("k", "v"));
        ChainLoader.Changes delta = new ChainLoader.Changes(List.of(vec1, vec3, new9), List.of("id-5", "id-2", "id-3"));
        List<VectorEntry> target = new ArrayList<>();
        for (VectorEntry e : known) {
            if (!Set.of("id-1", "id-2", "id-3", "id-5").contains(e.id())) {
                target.add(e);
            }
        }
        target.addAll(List.of(vec1, vec3, new9));
        List<Integer> readFrom = new ArrayList<>();
        Operations ops = new Operations();
        var sequence = restores.tryRestore(List.of("chain/base", "chain/d1", "chain/d2"), null, (from, progress) -> {
            readFrom.add(from);
            return delta;
        }, ops, "load");
        assertThat(sequence).hasValue(db.currentSequence());
        assertThat(readFrom).containsExactly(2);
        assertThat(ops.seen).containsExactly("load-incremental");
        assertSameEntries(db, target);
        assertThat(restores.known().pieces()).containsExactly("chain/base", "chain/d1", "chain/d2");
        assertThat(restores.known().fingerprint()).isEqualTo(StateFingerprint.of(target));

        // a target that does not extend the known state is left to a full restore, the database untouched
        List<VectorEntry> now = contents(db);
        assertThat(restores.tryRestore(List.of("chain/other"), null, (from, progress) -> {
            throw new AssertionError("nothing to read");
        }, ProgressListener.NONE, "load")).isEmpty();
        assertThat(contents(db)).containsExactlyElementsOf(now);
    }

    /** A VectorDB whose prior-state tracking can be made to miss a change. */
    private static class ForgetfulDb extends PlainDb implements PriorStateTracking {
        volatile boolean forgetOne;

        ForgetfulDb(VectorDB inner) {
            super(inner);
        }

        @Override
        public long markPriorState(long maxTrackedIds) {
            return inner.markPriorState(maxTrackedIds);
        }

        @Override
        public PriorState priorState() {
            PriorState state = inner.priorState();
            if (state == null || !forgetOne) {
                return state;
            }
            return new PriorState(state.markSequence(), state.sequence(), state.changes().subList(1, state.changes().size()));
        }

        @Override
        public void clearPriorState() {
            inner.clearPriorState();
        }
    }

    /** A VectorDB seen without {@link PriorStateTracking}. */
    private static class PlainDb implements PersistableDatabase, ChangeTracking, ChangeApplying {
        final VectorDB inner;

        PlainDb(VectorDB inner) {
            this.inner = inner;
        }

        @Override
        public int dimension() {
            return inner.dimension();
        }

        @Override
        public Metric metric() {
            return inner.metric();
        }

        @Override
        public long size() {
            return inner.size();
        }

        @Override
        public EntrySnapshot snapshot() {
            return inner.snapshot();
        }

        @Override
        public void clear() {
            inner.clear();
        }

        @Override
        public void insertBatch(Collection<VectorEntry> entries) {
            inner.insertBatch(entries);
        }

        @Override
        public long replaceAll(Collection<VectorEntry> entries, byte[] indexState) {
            return inner.replaceAll(entries, indexState);
        }

        @Override
        public long applyChanges(Collection<VectorEntry> upserts, Collection<String> deletions) {
            return inner.applyChanges(upserts, deletions);
        }

        @Override
        public long currentSequence() {
            return inner.currentSequence();
        }

        @Override
        public ChangeSet changesSince(long sinceSequence) {
            return inner.changesSince(sinceSequence);
        }

        @Override
        public void changesSaved(long sequence) {
            inner.changesSaved(sequence);
        }
    }
}
