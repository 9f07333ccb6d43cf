package dev.vecpersist.store.s3;

import dev.vecpersist.api.Metric;
import dev.vecpersist.api.VectorEntry;
import dev.vecpersist.core.DatabasePersistence;
import dev.vecpersist.core.PersistenceOptions;
import dev.vecpersist.core.ReplicaListener;
import dev.vecpersist.core.VectorDB;
import dev.vecpersist.testkit.Fingerprints;
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
 * Replica lag through an object store for 1% changes of a 100K x 384 database (issue 21), run by hand:
 * {@code mvn -B -q -o -pl store-s3 -am test -Dtest=S3PublishLagBenchmark -Dsurefire.failIfNoSpecifiedTests=false
 * -Dreplica.lag=true [-Dreplica.lag.format=msgpack] [-Dreplica.lag.codec=none] [-Dreplica.lag.entries=100000]}.
 * A writer publishes to S3Mock on 127.0.0.1 and a replica follows it with {@code followRemote}.
 * Prints, per round: the writer's incremental save including its publish (upload, verification,
 * manifest), the replica's refresh (manifest read, download, apply), and, while following with a
 * 100 ms poll, the time from the writer's save returning to the replica's switch. Figures only;
 * nothing is asserted about time.
 */
@EnabledIfSystemProperty(named = "replica.lag", matches = "true")
class S3PublishLagBenchmark {

    private static final int DIM = 384;
    private static final int ROUNDS = 10;

    @TempDir
    Path dir;

    @Test
    void lagForOnePercentChangesThroughS3Mock() throws Exception {
        String format = System.getProperty("replica.lag.format", "msgpack");
        String codec = System.getProperty("replica.lag.codec", "none");
        int n = Integer.getInteger("replica.lag.entries", 100_000);
        int changes = n / 100;
        S3TestServer s3 = S3MockServer.shared();
        Map<String, String> settings = s3.settings(s3.newBucket(), "prefix", "lag");
        PersistenceOptions options = PersistenceOptions.builder().baseDir(dir.resolve("writer")).format(format)
                .compression(codec).maxDeltas(100).maxDeltaRatio(100).publishTo("s3", settings).build();
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
             DatabasePersistence r = DatabasePersistence.followRemote(replica, "s3", settings,
                     PersistenceOptions.builder().baseDir(dir.resolve("cache")).build())) {
            long t = System.nanoTime();
            w.saveIncremental();
            report(String.format(Locale.ROOT, "writer: first (full) save + publish of %d x %d", n, DIM), t);
            t = System.nanoTime();
            r.load();
            report("replica: full load (download + read)", t);

            List<Double> saves = new ArrayList<>();
            List<Double> refreshes = new ArrayList<>();
            for (int round = 0; round < ROUNDS; round++) {
                change(source, random, changes, n, round);
                t = System.nanoTime();
                w.saveIncremental();
                saves.add(ms(t));
                assertThat(w.publishStatus().upToDate()).isTrue();
                t = System.nanoTime();
                ReplicaListener.Applied a = r.refresh().orElseThrow();
                refreshes.add(ms(t));
                assertThat(a.full()).isFalse();
                assertThat(a.upserted() + a.deleted()).isEqualTo(changes);
            }
            System.out.printf(Locale.ROOT, "%s+%s through S3Mock, %d changes per commit: incremental save + publish %s ms,"
                    + " replica refresh %s ms%n", format, codec, changes, saves, refreshes);

            LinkedBlockingQueue<Long> appliedAt = new LinkedBlockingQueue<>();
            r.addReplicaListener(a -> appliedAt.add(System.nanoTime()));
            r.follow(Duration.ofMillis(100));
            Thread.sleep(200);
            List<Double> lags = new ArrayList<>();
            List<Double> fromSaveStart = new ArrayList<>();
            for (int round = 0; round < ROUNDS; round++) {
                change(source, random, changes, n, 100 + round);
                long saveStarted = System.nanoTime();
                w.saveIncremental();
                long published = System.nanoTime();
                Long applied = appliedAt.poll(60, TimeUnit.SECONDS);
                assertThat(applied).isNotNull();
                lags.add(Math.round((applied - published) / 1e5) / 10.0);
                fromSaveStart.add(Math.round((applied - saveStarted) / 1e5) / 10.0);
                Thread.sleep(random.nextInt(100));
            }
            System.out.printf(Locale.ROOT, "following with a 100 ms poll: save-and-publish returned -> applied %s ms; "
                    + "save started -> applied %s ms%n", lags, fromSaveStart);
            r.stopFollowing();

            t = System.nanoTime();
            w.save(); // a new base: uploaded, then the replica downloads and reloads it in full
            report("writer: compaction (full save + publish)", t);
            t = System.nanoTime();
            ReplicaListener.Applied full = r.refresh().orElseThrow();
            report("replica: refresh after compaction (download + full reload, full=" + full.full() + ")", t);
            assertThat(Fingerprints.of(replica)).isEqualTo(Fingerprints.of(source));
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
