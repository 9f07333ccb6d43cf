package dev.vecpersist.reliability;

import dev.vecpersist.api.Metric;
import dev.vecpersist.api.VectorEntry;
import dev.vecpersist.core.DatabasePersistence;
import dev.vecpersist.core.PersistenceOptions;
import dev.vecpersist.core.ReplicaListener;
import dev.vecpersist.core.VectorDB;
import dev.vecpersist.testkit.TestStates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Replica lag for 1% changes of a 100K x 384 database (issue 21), run by hand:
 * {@code mvn -B -q -o -pl reliability-tests -am test -Dtest=ReplicaLagBenchmark -Dsurefire.failIfNoSpecifiedTests=false
 * -Dreplica.lag=true [-Dreplica.lag.format=msgpack] [-Dreplica.lag.codec=none] [-Dreplica.lag.entries=100000]}.
 * Prints, per round: the writer's incremental save, the replica's refresh (read the new delta and
 * apply it), and, while following with a 100 ms poll, the time from the writer's commit returning to
 * the replica's switch. Figures only; nothing is asserted about time.
 */
@EnabledIfSystemProperty(named = "replica.lag", matches = "true")
class ReplicaLagBenchmark {

    private static final int DIM = 384;
    private static final int ROUNDS = 10;

    @TempDir
    Path dir;

    @Test
    void lagForOnePercentChanges() throws Exception {
        String format = System.getProperty("replica.lag.format", "msgpack");
        String codec = System.getProperty("replica.lag.codec", "none");
        int n = Integer.getInteger("replica.lag.entries", 100_000);
        int changes = n / 100;
        PersistenceOptions options = PersistenceOptions.builder().baseDir(dir).format(format).compression(codec)
                .maxDeltas(100).maxDeltaRatio(100).build();
        Random random = new Random(1);
        VectorDB source = new VectorDB(DIM, Metric.COSINE);
        for (int i = 0; i < n; i += 10_000) {
            List<VectorEntry> batch = new ArrayList<>();
            for (int k = i; k < Math.min(n, i + 10_000); k++) {
                batch.add(new VectorEntry("vec-" + k, TestStates.randomVector(random, DIM), Map.of("k", (long) k)));
            }
            source.insertBatch(batch);
        }
        VectorDB replica = new VectorDB(DIM, Metric.COSINE);
        try (DatabasePersistence w = new DatabasePersistence(source, options);
             DatabasePersistence r = DatabasePersistence.openReadOnly(replica, options)) {
            long t = System.nanoTime();
            w.saveIncremental();
            report(String.format(Locale.ROOT, "writer: first (full) save of %d x %d", n, DIM), t);
            t = System.nanoTime();
            r.load();
            report("replica: full load", t);

            List<Double> saves = new ArrayList<>();
            List<Double> refreshes = new ArrayList<>();
            for (int round = 0; round < ROUNDS; round++) {
                change(source, random, changes, n, round);
                t = System.nanoTime();
                w.saveIncremental();
                saves.add(ms(t));
                t = System.nanoTime();
                ReplicaListener.Applied a = r.refresh().orElseThrow();
                refreshes.add(ms(t));
                assertThat(a.full()).isFalse();
                assertThat(a.upserted() + a.deleted()).isEqualTo(changes);
            }
            System.out.printf(Locale.ROOT, "%s+%s, %d changes per commit: incremental save %s ms, replica refresh %s ms%n",
                    format, codec, changes, saves, refreshes);

            LinkedBlockingQueue<Long> appliedAt = new LinkedBlockingQueue<>();
            r.addReplicaListener(a -> appliedAt.add(System.nanoTime()));
            r.follow(Duration.ofMillis(100));
            Thread.sleep(200);
            List<Double> lags = new ArrayList<>();
            List<Long> lagBounds = new ArrayList<>();
            for (int round = 0; round < ROUNDS; round++) {
                change(source, random, changes, n, 100 + round);
                w.saveIncremental();
                long committed = System.nanoTime();
                Long applied = appliedAt.poll(30, TimeUnit.SECONDS);
                assertThat(applied).isNotNull();
                lags.add(Math.round((applied - committed) / 1e5) / 10.0);
                lagBounds.add(r.lag().toMillis());
                Thread.sleep(random.nextInt(100));
            }
            System.out.printf(Locale.ROOT, "following with a 100 ms poll: commit-to-applied %s ms; lag() right after %s ms%n",
                    lags, lagBounds);
            r.stopFollowing();

            w.save(); // a new base: the replica reloads in full
            t = System.nanoTime();
            ReplicaListener.Applied full = r.refresh().orElseThrow();
            report("replica: refresh after compaction (full reload, full=" + full.full() + ")", t);
            assertThat(Trials.fingerprint(Trials.contents(replica))).isEqualTo(Trials.fingerprint(Trials.contents(source)));
        }
    }

    /** 1% of the entries: half updated in place, a quarter deleted, a quarter new. */
    private static void change(VectorDB db, Random random, int changes, int n, int round) {
        List<VectorEntry> upserts = new ArrayList<>();
        for (int i = 0; i < changes / 2; i++) {
            upserts.add(new VectorEntry("vec-" + (round * changes + i) % n, TestStates.randomVector(random, DIM),
                    Map.of("round", (long) round)));
        }
        for (int i = 0; i < changes / 4; i++) {
            upserts.add(new VectorEntry("new-" + round + "-" + i, TestStates.randomVector(random, DIM), Map.of()));
        }
        db.insertBatch(upserts);
        int deleted = 0;
        for (int i = changes / 2; deleted < changes - changes / 2 - changes / 4; i++) {
            if (db.delete("vec-" + (round * changes + i) % n)) {
                deleted++;
            }
        }
    }

    private static double ms(long since) {
        return Math.round((System.nanoTime() - since) / 1e5) / 10.0;
    }

    private static void report(String what, long since) {
        System.out.printf(Locale.ROOT, "%s: %.1f ms%n", what, ms(since));
    }
}
