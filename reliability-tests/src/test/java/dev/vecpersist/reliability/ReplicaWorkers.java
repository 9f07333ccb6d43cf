package dev.vecpersist.reliability;

import dev.vecpersist.api.DirectoryChangingException;
import dev.vecpersist.api.Metric;
import dev.vecpersist.api.VectorEntry;
import dev.vecpersist.core.CommitVersion;
import dev.vecpersist.core.DatabasePersistence;
import dev.vecpersist.core.PersistenceOptions;
import dev.vecpersist.core.ReplicaListener;
import dev.vecpersist.core.VectorDB;
import dev.vecpersist.testkit.TestStates;

import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * The child JVMs of {@link ReplicaFollowTest}: a writer that inserts, updates and deletes and saves
 * incrementally with compaction, logging the fingerprint of every version it commits; and followers
 * that follow the directory read-only, logging the fingerprint of every version they hold.
 *
 * <p>Log lines: {@code COMMIT gen+deltas fingerprint}, {@code HELD gen+deltas fingerprint full|incremental},
 * {@code FINAL gen+deltas fingerprint}, {@code ERROR message}.
 */
public final class ReplicaWorkers {

    static final int DIMENSION = 32;

    private ReplicaWorkers() {
    }

    static PersistenceOptions options(Path base) {
        return PersistenceOptions.builder().baseDir(base).format("msgpack").compression("gzip")
                .maxDeltas(3).maxDeltaRatio(100).build();
    }

    /**
     * SHA-256 over the entries sorted by id (id, vector bits, metadata): the same content gives the
     * same fingerprint in every JVM.
     */
    static String fingerprint(VectorDB db) {
        List<VectorEntry> entries = new ArrayList<>();
        db.snapshot().forEach(entries::add);
        entries.sort(Comparator.comparing(VectorEntry::id));
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (VectorEntry e : entries) {
                sha.update(e.id().getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
                ByteBuffer bits = ByteBuffer.allocate(e.vector().length * 4);
                for (float f : e.vector()) {
                    bits.putInt(Float.floatToRawIntBits(f));
                }
                sha.update(bits.array());
                sha.update(new TreeMap<>(e.metadata()).toString().getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
            }
            return HexFormat.of().formatHex(sha.digest(), 0, 12);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static synchronized void append(FileOutputStream log, String line) {
        try {
            log.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            log.flush();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Arguments: baseDir, log, rounds, seed. */
    public static final class Writer {
        public static void main(String[] args) throws Exception {
            Path base = Path.of(args[0]);
            int rounds = Integer.parseInt(args[2]);
            Random random = new Random(Long.parseLong(args[3]));
            VectorDB db = new VectorDB(DIMENSION, Metric.COSINE);
            db.insertBatch(TestStates.entries(2000, DIMENSION, random.nextLong()));
            try (FileOutputStream log = new FileOutputStream(args[1], true);
                 DatabasePersistence p = new DatabasePersistence(db, options(base))) {
                for (int round = 0; round < rounds; round++) {
                    for (int i = 0; i < 40; i++) {
                        String id = "vec-" + random.nextInt(2500);
                        if (random.nextInt(5) == 0) {
                            db.delete(id);
                        } else {
                            db.insert(new VectorEntry(id, TestStates.randomVector(random, DIMENSION),
                                    Map.of("round", (long) round)));
                        }
                    }
                    // what auto-save runs each tick, called here so that the database does not change
                    // between the commit and its fingerprint
                    p.saveIncremental();
                    append(log, "COMMIT " + p.version().orElseThrow() + " " + fingerprint(db));
                    Thread.sleep(15);
                }
            }
        }
    }

    /** Arguments: baseDir, log, stop file, poll millis. */
    public static final class Follower {
        public static void main(String[] args) throws Exception {
            Path base = Path.of(args[0]);
            Path stop = Path.of(args[2]);
            VectorDB db = new VectorDB(DIMENSION, Metric.COSINE);
            try (FileOutputStream log = new FileOutputStream(args[1], true);
                 DatabasePersistence replica = DatabasePersistence.openReadOnly(db, options(base))) {
                replica.addReplicaListener(new ReplicaListener() {
                    @Override
                    public void onApplied(Applied a) {
                        // on the follow thread, right after the switch: nothing else writes to db
                        append(log, "HELD " + a.version() + " " + fingerprint(db) + " "
                                + (a.full() ? "full" : "incremental") + " " + a.attempts());
                    }

                    @Override
                    public void onError(Throwable error) {
                        append(log, "ERROR " + (error instanceof DirectoryChangingException ? "changing " : "")
                                + error.toString().replace('\n', ' '));
                    }
                });
                replica.follow(Duration.ofMillis(Long.parseLong(args[3])));
                while (!Files.exists(stop)) {
                    Thread.sleep(10);
                }
                replica.stopFollowing();
                replica.refresh(); // the writer is done: this one reaches its last commit
                CommitVersion v = replica.version().orElseThrow();
                append(log, "FINAL " + v + " " + fingerprint(db));
            }
        }
    }
}
