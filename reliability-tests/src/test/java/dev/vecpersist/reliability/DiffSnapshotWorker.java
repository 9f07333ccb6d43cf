package dev.vecpersist.reliability;

import dev.vecpersist.api.Metric;
import dev.vecpersist.api.SnapshotMetadata;
import dev.vecpersist.api.VectorEntry;
import dev.vecpersist.core.DatabasePersistence;
import dev.vecpersist.core.PersistenceOptions;
import dev.vecpersist.core.SnapshotMode;
import dev.vecpersist.core.VectorDB;
import dev.vecpersist.testkit.TestStates;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Runs in a child JVM that {@link DiffSnapshotCrashTest} kills with SIGKILL at a random moment: it
 * restores the newest snapshot (so its first differential snapshot extends that one's pieces), then
 * changes the database and takes differential snapshots in a loop, now and then saving the
 * committed chain in between. Before each snapshot it prints {@code taking NAME FINGERPRINT}, after
 * it {@code ack NAME ID}: whatever snapshot named NAME is listed later must hold FINGERPRINT.
 *
 * <p>Arguments: baseDir, run number (names snapshots and seeds the changes).
 */
public final class DiffSnapshotWorker {

    static final int DIMENSION = 32;
    static final int INITIAL = 10_000;

    private DiffSnapshotWorker() {
    }

    static PersistenceOptions options(Path base) {
        return PersistenceOptions.builder().baseDir(base).format("msgpack").compression("lz4")
                .snapshotMode(SnapshotMode.DIFFERENTIAL).maxDeltas(4).maxSnapshots(6).build();
    }

    public static void main(String[] args) {
        Path base = Path.of(args[0]);
        int run = Integer.parseInt(args[1]);
        Random random = new Random(run * 7919L);
        VectorDB db = new VectorDB(DIMENSION, Metric.COSINE);
        try (DatabasePersistence p = new DatabasePersistence(db, options(base))) {
            List<SnapshotMetadata> existing = p.listSnapshots();
            if (existing.isEmpty()) {
                db.insertBatch(TestStates.mixedMetadataEntries(INITIAL, DIMENSION, 5));
            } else {
                p.restoreSnapshot(existing.get(0).id());
            }
            System.out.println("ready");
            System.out.flush();
            for (int round = 0; ; round++) {
                change(db, random, run, round);
                if (round % 4 == 3) {
                    p.saveIncremental(); // a save between snapshots must not lose the next snapshot's deletions
                }
                String name = "run" + run + "-" + round;
                System.out.println("taking " + name + " " + Trials.fingerprint(Trials.contents(db)));
                System.out.flush();
                SnapshotMetadata s = p.createSnapshot(name);
                System.out.println("ack " + name + " " + s.id() + " pieces=" + s.pieces().size());
                System.out.flush();
            }
        }
    }

    private static void change(VectorDB db, Random random, int run, int round) {
        List<VectorEntry> now = Trials.contents(db);
        for (int i = 0; i < 60; i++) {
            db.insert(new VectorEntry("r" + run + "-" + round + "-" + i, TestStates.randomVector(random, DIMENSION),
                    Map.of("run", (long) run)));
        }
        for (int i = 0; i < 30 && !now.isEmpty(); i++) {
            VectorEntry e = now.get(random.nextInt(now.size()));
            if (random.nextBoolean()) {
                db.delete(e.id());
            } else {
                db.insert(new VectorEntry(e.id(), TestStates.randomVector(random, DIMENSION), Map.of("round", (long) round)));
            }
        }
    }
}
