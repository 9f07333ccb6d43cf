package dev.vecpersist.benchmarks;

import dev.vecpersist.api.SnapshotMetadata;
import dev.vecpersist.api.SnapshotPiece;
import dev.vecpersist.core.DatabasePersistence;
import dev.vecpersist.core.PersistenceOptions;
import dev.vecpersist.core.SnapshotMode;
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
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * A snapshot after 1% of the entries changed (a third each inserted, updated, deleted), full versus
 * differential, measured in the same run. The differential one writes one delta piece; the
 * compaction knobs are set so that no measured snapshot writes a new base piece (the first snapshot,
 * taken in the setup, is the base). At the end of a trial the bytes the last snapshot wrote are
 * printed ({@code snapshot bytes: ...}): the whole state for a full one, the new piece for a
 * differential one.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class SnapshotBenchmarks {

    /** A database with one snapshot taken, changed by 1% before each measured snapshot. */
    @State(Scope.Benchmark)
    public static class Snapshots {
        @Param({"100000"})
        public int n;

        @Param({"full", "differential"})
        public String mode;

        @Param({"msgpack"})
        public String format;

        VectorDB db;
        Path dir;
        DatabasePersistence manager;
        Random random;
        long round;
        SnapshotMetadata last;

        @Setup(Level.Trial)
        public void setUp() {
            db = Data.database(n);
            dir = Data.tempDir("bench-snapshots");
            manager = new DatabasePersistence(db, PersistenceOptions.builder().baseDir(dir).format(format)
                    .snapshotMode(mode.equals("full") ? SnapshotMode.FULL : SnapshotMode.DIFFERENTIAL)
                    .maxSnapshots(2).maxDeltas(1_000_000).maxDeltaRatio(1e9).build());
            last = manager.createSnapshot("base");
            random = new Random(7);
        }

        @Setup(Level.Invocation)
        public void changeOnePercent() {
            int changes = Math.max(3, n / 100);
            round++;
            for (int i = 0; i < changes; i++) {
                switch (i % 3) {
                    case 0 -> db.insert(Data.entry(random, "new-" + round + "-" + i, i));
                    case 1 -> db.insert(Data.entry(random, "vec-" + random.nextInt(n), i));
                    default -> db.delete("vec-" + random.nextInt(n));
                }
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            List<SnapshotPiece> pieces = last.pieces();
            long written = pieces.isEmpty() ? last.fileSize() : pieces.get(pieces.size() - 1).size();
            long whole = pieces.isEmpty() ? last.fileSize() : pieces.get(0).size();
            System.out.printf("%nsnapshot bytes: mode=%s n=%d written by the last snapshot=%d (state as a full copy=%d, "
                    + "pieces=%d)%n", mode, n, written, whole, Math.max(1, pieces.size()));
            manager.close();
            Data.delete(dir);
        }
    }

    @Benchmark
    public SnapshotMetadata snapshotAfterOnePercentChanged(Snapshots s) {
        s.last = s.manager.createSnapshot("bench-" + s.round);
        return s.last;
    }
}
