package dev.vecpersist.core;

import dev.vecpersist.api.Metric;
import dev.vecpersist.api.VectorEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static dev.vecpersist.core.DbAssertions.contents;
import static org.assertj.core.api.Assertions.assertThat;

class AutoSaveTest {

    @TempDir
    Path dir;

    private static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 20 s");
            }
            Thread.sleep(10);
        }
    }

    private PersistenceOptions.Builder opts() {
        return PersistenceOptions.builder().baseDir(dir).autoSaveInterval(Duration.ofMillis(50));
    }

    @Test
    void savesChangesOnTicksAndNothingWhenIdle() throws Exception {
        VectorDB db = new VectorDB(2, Metric.DOT);
        try (DatabasePersistence p = new DatabasePersistence(db, opts().build())) {
            db.insert(new VectorEntry("a", new float[] {1, 2}));
            p.startAutoSave();
            await(() -> Files.exists(p.manifestFile()) && !p.hasUnsavedChanges());
            long modified = Files.getLastModifiedTime(p.manifestFile()).toMillis();
            String manifest = Files.readString(p.manifestFile());
            Thread.sleep(300); // several idle ticks
            assertThat(Files.readString(p.manifestFile())).isEqualTo(manifest);
            assertThat(Files.getLastModifiedTime(p.manifestFile()).toMillis()).isEqualTo(modified);

            db.insert(new VectorEntry("b", new float[] {3, 4}));
            await(() -> !p.hasUnsavedChanges());
            assertThat(p.committedFiles()).hasSize(2); // base + one delta
        }
        VectorDB fresh = new VectorDB(2, Metric.DOT);
        try (DatabasePersistence p = new DatabasePersistence(fresh, PersistenceOptions.builder().baseDir(dir).build())) {
            p.load();
        }
        assertThat(contents(fresh)).containsExactlyElementsOf(contents(db));
    }

    @Test
    void failuresAreReportedAndTheNextTickRetries() throws Exception {
        FaultyFileOps faulty = new FaultyFileOps();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        VectorDB db = new VectorDB(2, Metric.DOT);
        try (DatabasePersistence p = new DatabasePersistence(db,
                opts().fileOps(faulty).autoSaveFailureListener(failures::add).build())) {
            faulty.failStep(FaultyFileOps.Step.MOVE, 1);
            db.insert(new VectorEntry("a", new float[] {1, 2}));
            p.startAutoSave();
            await(() -> !failures.isEmpty());
            await(() -> !p.hasUnsavedChanges());
            assertThat(failures.get(0)).hasMessageContaining("injected");
        }
    }

    @Test
    void closeStopsTheSchedulerAndMakesAFinalSaveOnlyIfSomethingChanged() throws Exception {
        VectorDB db = new VectorDB(2, Metric.DOT);
        DatabasePersistence p = new DatabasePersistence(db, opts().autoSaveInterval(Duration.ofHours(1)).build());
        p.startAutoSave();
        db.insert(new VectorEntry("late", new float[] {5, 6}));
        p.close();
        p.close(); // harmless
        assertThat(p.isAutoSaving()).isFalse();
        VectorDB fresh = new VectorDB(2, Metric.DOT);
        try (DatabasePersistence q = new DatabasePersistence(fresh, PersistenceOptions.builder().baseDir(dir).build())) {
            q.load();
            assertThat(fresh.get("late")).isPresent();
            assertThat(q.hasUnsavedChanges()).isFalse();
        }
    }
}
