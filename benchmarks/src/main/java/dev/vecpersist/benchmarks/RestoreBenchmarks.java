package dev.vecpersist.benchmarks;

import dev.vecpersist.api.Progress;
import dev.vecpersist.api.VectorEntry;
import dev.vecpersist.core.DatabasePersistence;
import dev.vecpersist.core.PersistenceOptions;
import dev.vecpersist.core.VectorDB;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Restoring a snapshot after 1% of the entries changed (0.6% updated, 0.2% deleted, 0.2% inserted):
 * incrementally (the manager knows the database derives from the snapshot and reverts the tracked
 * changes, verified by the state fingerprint) against in full (incremental restores off: the snapshot
 * is read, checked and swapped in), in the same run. Each measurement is one restore; the 1% change
 * before it is not measured.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class RestoreBenchmarks {

    /** A database with one snapshot, changed by 1% before each restore. */
    @State(Scope.Benchmark)
    public static class Snapshotted {
        @Param({"100000"})
        public int n;

        @Param({"msgpack"})
        public String format;

        @Param({"incremental", "full"})
        public String restore;

        VectorDB db;
        Path dir;
        DatabasePersistence p;
        String snapshotId;
        private final Random random = new Random(7);
        private int round;
        /** The operation the last restore reported: proves which path ran. */
        volatile String lastOperation;

        @Setup(Level.Trial)
        public void setUp() {
            db = Data.database(n);
            dir = Data.tempDir("bench-restore");
            p = new DatabasePersistence(db, PersistenceOptions.builder().baseDir(dir).format(format)
                    .incrementalRestoreRatio(restore.equals("incremental") ? 0.1 : 0).build());
            snapshotId = p.createSnapshot("bench").id();
        }

        /** Changes 1% of the entries: updates, deletes and inserts. */
        @Setup(Level.Invocation)
        public void changeOnePercent() {
            int changes = Math.max(1, n / 100);
            round++;
            for (int i = 0; i < changes; i++) {
                int pick = random.nextInt(n);
                if (i % 5 == 3) {
                    db.delete("vec-" + pick);
                } else if (i % 5 == 4) {
                    db.insert(Data.entry(random, "new-" + round + "-" + i, -i));
                } else {
                    VectorEntry e = Data.entry(random, "vec-" + pick, pick);
                    db.insert(e);
                }
            }
        }

        @TearDown(Level.Iteration)
        public void checkPath() {
            String expected = restore.equals("incremental") ? "restore-incremental" : "restore";
            if (!expected.equals(lastOperation)) {
                throw new IllegalStateException("the " + restore + " benchmark ran '" + lastOperation + "'");
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            p.close();
            Data.delete(dir);
        }
    }

    @Benchmark
    public VectorDB restoreSnapshotAfterOnePercentChanged(Snapshotted s) {
        s.p.restoreSnapshot(s.snapshotId, true, (Progress progress) -> s.lastOperation = progress.operation());
        return s.db;
    }
}
