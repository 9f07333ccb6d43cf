package dev.vecpersist.core;

import dev.vecpersist.api.Metric;
import dev.vecpersist.api.PersistenceException;
import dev.vecpersist.api.VectorEntry;
import dev.vecpersist.testkit.TestStates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import static dev.vecpersist.core.DbAssertions.assertSameContent;
import static dev.vecpersist.core.DbAssertions.contents;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IncrementalSaveTest {

    @TempDir
    Path dir;

    private PersistenceOptions.Builder opts() {
        return PersistenceOptions.builder().baseDir(dir).format("json").compression("none");
    }

    private List<VectorEntry> loadFresh(int dimension) {
        return loadFresh(dimension, Metric.DOT);
    }

    private List<VectorEntry> loadFresh(int dimension, Metric metric) {
        VectorDB fresh = new VectorDB(dimension, metric);
        try (DatabasePersistence p = new DatabasePersistence(fresh, opts().build())) {
            p.load();
        }
        return contents(fresh);
    }

    @Test
    void writesOnlyWhatChangedAndReplaysIt() throws IOException {
        VectorDB db = new VectorDB(8, Metric.COSINE);
        db.insertBatch(TestStates.entries(1000, 8, 1));
        try (DatabasePersistence p = new DatabasePersistence(db, opts().maxDeltaRatio(10).build())) {
            Path base = p.saveIncremental().orElseThrow();   // the first is full
            assertThat(base.getFileName().toString()).doesNotContain("delta");
            assertThat(p.saveIncremental()).isEmpty();         // nothing changed

            db.insert(new VectorEntry("vec-5", new float[] {1, 1, 1, 1, 1, 1, 1, 1}, Map.of("updated", true)));
            db.delete("vec-7");
            db.insert(new VectorEntry("new-1", new float[8], Map.of()));
            Path delta = p.saveIncremental().orElseThrow();
            assertThat(delta.getFileName().toString()).contains("delta");
            assertThat(Files.size(delta)).isLessThan(Files.size(base) / 50);
            assertThat(p.committedFiles()).containsExactly(base, delta);
            assertThat(Files.readString(delta)).contains("vec-5").contains("vec-7").contains("new-1").doesNotContain("vec-6\"");
        }
        assertThat(loadFresh(8, Metric.COSINE)).containsExactlyElementsOf(contents(db));
    }

    @Test
    void randomSequencesOfChangesAndSavesLoadExactlyTheLastSave() {
        Random random = new Random(42);
        VectorDB db = new VectorDB(4, Metric.DOT);
        List<VectorEntry> lastSaved = List.of();
        try (DatabasePersistence p = new DatabasePersistence(db, opts().maxDeltas(4).build())) {
            for (int step = 0; step < 400; step++) {
                int action = random.nextInt(10);
                String id = "id-" + random.nextInt(60);
                if (action < 5) {
                    db.insert(new VectorEntry(id, TestStates.randomVector(random, 4), Map.of("step", (long) step)));
                } else if (action < 7) {
                    db.delete(id);
                } else if (action < 9) {
                    p.saveIncremental();
                    lastSaved = contents(db);
                } else if (action == 9 && random.nextInt(4) == 0) {
                    p.save();
                    lastSaved = contents(db);
                }
            }
            p.saveIncremental();
            lastSaved = contents(db);
        }
        // same entries in the same order: a re-inserted id is at the end after the replay too
        assertThat(loadFresh(4)).containsExactlyElementsOf(lastSaved);
    }

    @Test
    void compactionWritesANewBaseAndRemovesSupersededFilesAfterTheManifest() {
        VectorDB db = new VectorDB(2, Metric.DOT);
        db.insertBatch(TestStates.entries(100, 2, 2));
        try (DatabasePersistence p = new DatabasePersistence(db, opts().maxDeltas(2).maxDeltaRatio(100).build())) {
            Path base = p.saveIncremental().orElseThrow();
            db.insert(new VectorEntry("a", new float[] {1, 2}));
            Path d1 = p.saveIncremental().orElseThrow();
            db.insert(new VectorEntry("b", new float[] {1, 2}));
            Path d2 = p.saveIncremental().orElseThrow();
            assertThat(p.committedFiles()).containsExactly(base, d1, d2);
            db.insert(new VectorEntry("c", new float[] {1, 2}));
            Path newBase = p.saveIncremental().orElseThrow();
            assertThat(newBase.getFileName().toString()).doesNotContain("delta");
            assertThat(p.committedFiles()).containsExactly(newBase);
            assertThat(base).doesNotExist();
            assertThat(d1).doesNotExist();
            assertThat(d2).doesNotExist();
        }
        assertThat(loadFresh(2)).containsExactlyElementsOf(contents(db));
    }

    @ParameterizedTest
    @EnumSource(value = FaultyFileOps.Step.class, names = {"CREATE", "SYNC", "MOVE"})
    void aFailureAtEachStepOfAnIncrementalSaveKeepsTheLastCommittedState(FaultyFileOps.Step step) {
        for (int nth = 1; nth <= 2; nth++) {
            Path sub = dir.resolve(step + "-" + nth);
            FaultyFileOps faulty = new FaultyFileOps();
            VectorDB db = new VectorDB(2, Metric.DOT);
            db.insertBatch(TestStates.entries(50, 2, 3));
            List<VectorEntry> committed;
            PersistenceOptions o = opts().baseDir(sub).fileOps(faulty).build();
            try (DatabasePersistence p = new DatabasePersistence(db, o)) {
                p.saveIncremental();
                db.insert(new VectorEntry("x", new float[] {1, 1}));
                p.saveIncremental();
                committed = contents(db);
                db.delete("vec-1");
                db.insert(new VectorEntry("y", new float[] {2, 2}));
                // the n-th call of this step within the next save fails: the delta file or the manifest
                faulty.failStep(step, nth);
                assertThatThrownBy(p::saveIncremental).isInstanceOf(PersistenceException.class);
                faulty.heal();
            }
            VectorDB fresh = new VectorDB(2, Metric.DOT);
            try (DatabasePersistence p = new DatabasePersistence(fresh, opts().baseDir(sub).build())) {
                p.load();
            }
            assertThat(contents(fresh)).as("%s #%d", step, nth).containsExactlyElementsOf(committed);
        }
    }

    @Test
    void afterAFailedIncrementalSaveTheNextOneStillHasEveryChange() {
        FaultyFileOps faulty = new FaultyFileOps();
        VectorDB db = new VectorDB(2, Metric.DOT);
        db.insertBatch(TestStates.entries(20, 2, 4));
        try (DatabasePersistence p = new DatabasePersistence(db, opts().fileOps(faulty).build())) {
            p.saveIncremental();
            db.delete("vec-3");
            db.insert(new VectorEntry("z", new float[] {3, 3}));
            faulty.failStep(FaultyFileOps.Step.MOVE, 1);
            assertThatThrownBy(p::saveIncremental).isInstanceOf(PersistenceException.class);
            faulty.heal();
            assertThat(p.saveIncremental()).isPresent();
        }
        assertThat(loadFresh(2)).containsExactlyElementsOf(contents(db));
    }

    @Test
    void aDatabaseWithoutChangeTrackingFallsBackToFullSaves() {
        VectorDB inner = new VectorDB(2, Metric.DOT);
        inner.insertBatch(TestStates.entries(10, 2, 5));
        PlainDatabase plain = new PlainDatabase(inner);
        try (DatabasePersistence p = new DatabasePersistence(plain, opts().build())) {
            Optional<Path> first = p.saveIncremental();
            Optional<Path> second = p.saveIncremental();
            assertThat(second.orElseThrow().getFileName().toString()).doesNotContain("delta");
            assertThat(second.get()).isNotEqualTo(first.orElseThrow());
        }
        assertThat(loadFresh(2)).containsExactlyElementsOf(contents(inner));
    }

    @Test
    void loadingTheManifestPathGivesTheSameState() {
        VectorDB db = new VectorDB(2, Metric.DOT);
        db.insertBatch(TestStates.entries(10, 2, 6));
        Path manifest;
        try (DatabasePersistence p = new DatabasePersistence(db, opts().build())) {
            p.saveIncremental();
            db.delete("vec-0");
            p.saveIncremental();
            manifest = p.manifestFile();
        }
        VectorDB fresh = new VectorDB(2, Metric.DOT);
        try (DatabasePersistence p = new DatabasePersistence(fresh, opts().baseDir(dir.resolve("elsewhere")).build())) {
            p.load(manifest);
        }
        assertThat(contents(fresh)).containsExactlyElementsOf(contents(db));
    }

    /** A user database that offers only the required interface (no change tracking). */
    static final class PlainDatabase implements dev.vecpersist.api.PersistableDatabase {
        private final VectorDB inner;

        PlainDatabase(VectorDB inner) {
            this.inner = inner;
        }

        @Override public int dimension() { return inner.dimension(); }
        @Override public Metric metric() { return inner.metric(); }
        @Override public long size() { return inner.size(); }
        @Override public dev.vecpersist.api.EntrySnapshot snapshot() {
            dev.vecpersist.api.EntrySnapshot s = inner.snapshot();
            return new dev.vecpersist.api.EntrySnapshot() {
                @Override public long count() { return s.count(); }
                @Override public java.util.Iterator<VectorEntry> iterator() { return s.iterator(); }
            };
        }
        @Override public void clear() { inner.clear(); }
        @Override public void insertBatch(java.util.Collection<VectorEntry> entries) { inner.insertBatch(entries); }
    }
}
