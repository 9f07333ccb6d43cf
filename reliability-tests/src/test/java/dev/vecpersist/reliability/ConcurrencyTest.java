package dev.vecpersist.reliability;

import dev.vecpersist.api.Metric;
import dev.vecpersist.api.SnapshotMetadata;
import dev.vecpersist.api.VectorEntry;
import dev.vecpersist.core.DatabasePersistence;
import dev.vecpersist.core.ExportOptions;
import dev.vecpersist.core.ImportOptions;
import dev.vecpersist.core.PersistenceOptions;
import dev.vecpersist.core.VectorDB;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Writer threads insert and delete while saves, incremental saves, snapshots, exports and auto-save
 * run. Each writer t inserts t-0, t-1, ... in order and, right after inserting t-i, deletes t-(i-100)
 * when that index is a multiple of 5. A point-in-time state therefore has, for each writer with
 * highest index m: every t-i (i &lt;= m) present, except multiples of 5 up to m-101 (deleted), with
 * t-(m-100) either way. Every saved file must satisfy that.
 */
class ConcurrencyTest {

    private static final int WRITERS = 4;

    @TempDir
    Path dir;

    static void assertPointInTime(List<VectorEntry> state, String what) {
        Map<Integer, List<Integer>> byWriter = new HashMap<>();
        for (VectorEntry e : state) {
            String[] parts = e.id().split("-");
            byWriter.computeIfAbsent(Integer.parseInt(parts[0].substring(1)), k -> new ArrayList<>()).add(Integer.parseInt(parts[1]));
        }
        for (Map.Entry<Integer, List<Integer>> w : byWriter.entrySet()) {
            java.util.Set<Integer> present = new java.util.HashSet<>(w.getValue());
            int m = w.getValue().stream().mapToInt(Integer::intValue).max().orElseThrow();
            for (int i = 0; i <= m; i++) {
                boolean deleted = i % 5 == 0 && i <= m - 101;
                boolean either = i % 5 == 0 && i == m - 100;
                if (!either) {
                    assertThat(present.contains(i)).as("%s: writer %d, highest %d, entry %d", what, w.getKey(), m, i)
                            .isEqualTo(!deleted);
                }
            }
        }
    }

    @Test
    void everySavedStateIsAPointInTimeState() throws Exception {
        VectorDB db = new VectorDB(8, Metric.COSINE);
        AtomicBoolean stop = new AtomicBoolean();
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        List<Thread> writers = new ArrayList<>();
        for (int t = 0; t < WRITERS; t++) {
            int writer = t;
            Thread thread = new Thread(() -> {
                try {
                    float[] v = new float[8];
                    for (int i = 0; !stop.get() && i < 40_000; i++) {
                        v[0] = i;
                        db.insert(new VectorEntry("w" + writer + "-" + i, v.clone(), Map.of()));
                        int old = i - 100;
                        if (old >= 0 && old % 5 == 0) {
                            db.delete("w" + writer + "-" + old);
                        }
                        if (i % 50 == 0) {
                            Thread.yield();
                        }
                    }
                } catch (Throwable e) {
                    errors.add(e);
                }
            });
            writers.add(thread);
            thread.start();
        }
        List<Throwable> autoSaveFailures = new CopyOnWriteArrayList<>();
        List<Path> files = new ArrayList<>();
        int rounds = Trials.scaled(8);
        try (DatabasePersistence p = new DatabasePersistence(db, PersistenceOptions.builder().baseDir(dir.resolve("base"))
                .format("msgpack").maxSnapshots(100).autoSaveInterval(Duration.ofMillis(30))
                .autoSaveFailureListener(autoSaveFailures::add).build())) {
            p.startAutoSave();
            for (int round = 0; round < rounds; round++) {
                files.add(p.save(dir.resolve("full-" + round)));
                p.saveIncremental();
                files.add(p.export(ExportOptions.to(dir.resolve("export-" + round)).format("json").compression("lz4").build()));
                p.createSnapshot("s" + round);
            }
            stop.set(true);
            for (Thread t : writers) {
                t.join();
            }
            for (SnapshotMetadata s : p.listSnapshots()) {
                files.add(dir.resolve("base").resolve("snapshots").resolve(s.id() + ".data"));
            }
        }
        assertThat(errors).isEmpty();
        assertThat(autoSaveFailures).isEmpty();
        for (Path f : files) {
            VectorDB loaded = new VectorDB(8, Metric.COSINE);
            try (DatabasePersistence p = new DatabasePersistence(loaded, PersistenceOptions.builder().baseDir(dir.resolve("check")).build())) {
                p.importFrom(ImportOptions.from(f).build());
            }
            assertPointInTime(Trials.contents(loaded), f.getFileName().toString());
        }
        VectorDB chain = new VectorDB(8, Metric.COSINE);
        try (DatabasePersistence p = new DatabasePersistence(chain, PersistenceOptions.builder().baseDir(dir.resolve("base")).build())) {
            p.load();
        }
        assertPointInTime(Trials.contents(chain), "committed chain");
        assertThat(Trials.contents(chain)).containsExactlyInAnyOrderElementsOf(Trials.contents(db));
        System.out.printf("concurrency: %d writers, %d files checked, final database %d entries%n", WRITERS, files.size() + 1, db.size());
    }
}
