package dev.vecpersist.store.s3;

import dev.vecpersist.api.Metric;
import dev.vecpersist.api.VectorEntry;
import dev.vecpersist.core.DatabasePersistence;
import dev.vecpersist.core.PersistenceOptions;
import dev.vecpersist.core.VectorDB;
import dev.vecpersist.testkit.Fingerprints;
import dev.vecpersist.testkit.TestStates;

import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

/**
 * The writer JVM of {@link PublishCrashTest}: opens the base directory (reconciling what a killed
 * predecessor left unpublished), loads it, then changes, saves incrementally (compaction every fourth
 * save) and publishes to S3, round after round, until killed or {@code rounds} are done.
 *
 * <p>Log lines: {@code PENDING fingerprint} before each save (a writer killed between its commit and
 * the next line has committed that content), {@code COMMIT gen+deltas fingerprint} after it.
 * Arguments: baseDir, log, endpoint, bucket, rounds (0: forever), seed.
 */
public final class PublishWorker {

    static final int DIMENSION = 24;

    private PublishWorker() {
    }

    static Map<String, String> settings(String endpoint, String bucket) {
        Map<String, String> s = new HashMap<>();
        s.put(S3StoreSettings.BUCKET, bucket);
        s.put(S3StoreSettings.ENDPOINT, endpoint);
        s.put(S3StoreSettings.REGION, S3TestServer.REGION);
        s.put(S3StoreSettings.PATH_STYLE, "true");
        s.put(S3StoreSettings.ACCESS_KEY_ID, S3MockServer.ACCESS_KEY);
        s.put(S3StoreSettings.SECRET_ACCESS_KEY, S3MockServer.SECRET_KEY);
        s.put(S3StoreSettings.PREFIX, "crash");
        return s;
    }

    static PersistenceOptions options(Path base, String endpoint, String bucket) {
        return PersistenceOptions.builder().baseDir(base).format("msgpack").compression("gzip")
                .maxDeltas(3).maxDeltaRatio(100).publishGracePeriod(Duration.ofMillis(300))
                .publishTo("s3", settings(endpoint, bucket)).build();
    }

    public static void main(String[] args) throws Exception {
        Path base = Path.of(args[0]);
        int rounds = Integer.parseInt(args[4]);
        Random random = new Random(Long.parseLong(args[5]));
        VectorDB db = new VectorDB(DIMENSION, Metric.COSINE);
        try (FileOutputStream log = new FileOutputStream(args[1], true);
             DatabasePersistence p = new DatabasePersistence(db, options(base, args[2], args[3]))) {
            if (p.version().isPresent()) {
                p.load();
            } else {
                db.insertBatch(TestStates.entries(1500, DIMENSION, random.nextLong()));
            }
            for (int round = 0; rounds == 0 || round < rounds; round++) {
                for (int i = 0; i < 30; i++) {
                    String id = "vec-" + random.nextInt(2000);
                    if (random.nextInt(5) == 0) {
                        db.delete(id);
                    } else {
                        db.insert(new VectorEntry(id, TestStates.randomVector(random, DIMENSION),
                                Map.of("round", (long) round)));
                    }
                }
                String fingerprint = Fingerprints.of(db);
                append(log, "PENDING " + fingerprint);
                p.saveIncremental();
                append(log, "COMMIT " + p.version().orElseThrow() + " " + fingerprint);
            }
        }
    }

    private static void append(FileOutputStream log, String line) throws IOException {
        log.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        log.flush();
    }
}
