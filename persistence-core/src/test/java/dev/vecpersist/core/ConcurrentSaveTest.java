package dev.vecpersist.core;

import dev.vecpersist.api.Metric;
import dev.vecpersist.api.SnapshotMetadata;
import dev.vecpersist.api.VectorEntry;
import dev.vecpersist.testkit.TestStates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static dev.vecpersist.core.DbAssertions.contents;
import static org.assertj.core.api.Assertions.assertThat;

class ConcurrentSaveTest {

    @TempDir
    Path dir;

    /** Every saved state must be a prefix of the writer's insertion order: v-0, v-1, ..., v-(n-1). */
    private static void assertPrefix(List<VectorEntry> loaded) {
        for (int i = 0; i < loaded.size(); i++) {
            assertThat(loaded.get(i).id()).isEqualTo("v-" + i);
        }
    }

    @Test
    void everySaveSnapshotAndExportIsAPointInTimeState() throws Exception {
        VectorDB db = new VectorDB(16, Metric.COSINE);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong inserted = new AtomicLong();
        Thread writer = new Thread(() -> {
            java.util.Random random = new java.util.Random(1);
            // bounded, and paced, so that the database stays small while saves keep running
            for (int i = 0; !stop.get() && i < 50_000; i++) {
                db.insert(new VectorEntry("v-" + i, TestStates.randomVector(random, 16), Map.of("i", (long) i)));
                inserted.incrementAndGet();
                if (i % 100 == 0) {
                    Thread.yield();
                }
            }
        });
        writer.start();
        List<Path> files = new ArrayList<>();
        List<String> snapshots = new ArrayList<>();
        PersistenceOptions o = PersistenceOptions.builder().baseDir(dir.resolve("base")).maxSnapshots(100).build();
        try (DatabasePersistence p = new DatabasePersistence(db, o)) {
            while (inserted.get() < 2000) {
                Thread.sleep(1);
            }
            for (int round = 0; round < 6; round++) {
                files.add(p.save(dir.resolve("full-" + round + ".json")));
                files.add(p.export(ExportOptions.to(dir.resolve("export-" + round + ".json.gz")).compression("gzip").build()));
                snapshots.add(p.createSnapshot("s" + round).id());
                p.saveIncremental();
            }
            stop.set(true);
            writer.join();
            for (Path f : files) {
                VectorDB loaded = new VectorDB(16, Metric.COSINE);
                try (DatabasePersistence q = new DatabasePersistence(loaded,
                        PersistenceOptions.builder().baseDir(dir.resolve("check-" + f.getFileName())).build())) {
                    q.load(f);
                }
                assertThat(loaded.size()).isPositive();
                assertPrefix(contents(loaded));
            }
            for (String id : snapshots) {
                VectorDB loaded = new VectorDB(16, Metric.COSINE);
                // restore through the same manager's store into a scratch database: reuse p's options
                try (DatabasePersistence q = new DatabasePersistence(loaded,
                        PersistenceOptions.builder().baseDir(dir.resolve("restore-" + id)).build())) {
                    q.importFrom(ImportOptions.from(dir.resolve("base").resolve("snapshots").resolve(id + ".data")).build());
                }
                assertPrefix(contents(loaded));
            }
            List<SnapshotMetadata> listed = p.listSnapshots();
            assertThat(listed).hasSize(6);
        }
        VectorDB chain = new VectorDB(16, Metric.COSINE);
        try (DatabasePersistence q = new DatabasePersistence(chain, PersistenceOptions.builder().baseDir(dir.resolve("base")).build())) {
            q.load();
        }
        assertPrefix(contents(chain));
    }

    @Test
    void writersAreNotHeldUpWhileASaveWrites() throws Exception {
        // no clock involved: the save is parked inside its own write (in a progress report, past the
        // first batch) and an insert must get through meanwhile; it would wait forever if the save held
        // the database's lock while writing. The timeouts only keep a broken build from hanging.
        VectorDB db = new VectorDB(64, Metric.COSINE);
        db.insertBatch(TestStates.entries(5_000, 64, 2));
        java.util.concurrent.CountDownLatch parked = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch resume = new java.util.concurrent.CountDownLatch(1);
        dev.vecpersist.api.ProgressListener parking = progress -> {
            if (progress.current() > 0 && progress.current() < progress.total() && parked.getCount() > 0) {
                parked.countDown();
                try {
                    assertThat(resume.await(120, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(2);
        try (DatabasePersistence p = new DatabasePersistence(db, PersistenceOptions.builder().baseDir(dir)
                .batchSize(100).build())) {
            java.util.concurrent.Future<Path> save = threads.submit(() -> p.save(dir.resolve("long.json"), parking));
            assertThat(parked.await(120, java.util.concurrent.TimeUnit.SECONDS)).as("the save reported progress mid-write").isTrue();
            java.util.concurrent.Future<Boolean> insert = threads.submit(() -> {
                db.insert(new VectorEntry("late", TestStates.randomVector(new java.util.Random(4), 64)));
                return true;
            });
            assertThat(insert.get(120, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            resume.countDown();
            Path file = save.get(120, java.util.concurrent.TimeUnit.SECONDS);

            // the file holds the state at the save's start: the insert made while it wrote is not in it
            VectorDB loaded = new VectorDB(64, Metric.COSINE);
            try (DatabasePersistence reader = new DatabasePersistence(loaded, PersistenceOptions.builder()
                    .baseDir(dir.resolve("reader")).build())) {
                reader.load(file);
            }
            assertThat(loaded.size()).isEqualTo(5_000);
            assertThat(loaded.get("late")).isEmpty();
            assertThat(db.size()).isEqualTo(5_001);
        } finally {
            resume.countDown();
            threads.shutdownNow();
        }
    }
}
