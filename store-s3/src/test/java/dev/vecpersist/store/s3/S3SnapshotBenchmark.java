package dev.vecpersist.store.s3;

import dev.vecpersist.api.Metric;
import dev.vecpersist.api.SnapshotMetadata;
import dev.vecpersist.api.SnapshotStore;
import dev.vecpersist.core.DatabasePersistence;
import dev.vecpersist.core.PersistenceOptions;
import dev.vecpersist.core.VectorDB;
import dev.vecpersist.testkit.TestStates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Upload and restore time of a 100,000 x 384 snapshot against a loopback S3 server (S3Mock, or
 * s3rver with {@code -Ds3.benchmark.server=s3rver}), with the store's default settings (so
 * verification included). Not part of the default run:
 * {@code mvn -B -q -pl store-s3 -am verify -Dtest=S3SnapshotBenchmark -Ds3.benchmark=true -Ds3.benchmark.format=msgpack -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@EnabledIfSystemProperty(named = "s3.benchmark", matches = "true")
class S3SnapshotBenchmark {

    @TempDir
    Path dir;

    @Test
    void createAndRestoreA100kBy384Snapshot() throws IOException {
        int count = Integer.getInteger("s3.benchmark.count", 100_000);
        String format = System.getProperty("s3.benchmark.format", "json");
        // extra store settings, e.g. -Ds3.benchmark.settings=partSizeMb=16,checksums=false
        String[] extra = System.getProperty("s3.benchmark.settings", "").isBlank() ? new String[0]
                : System.getProperty("s3.benchmark.settings").split("[,=]");
        S3TestServer s3 = "s3rver".equals(System.getProperty("s3.benchmark.server")) ? S3rverServer.shared()
                : S3MockServer.shared();
        VectorDB db = new VectorDB(384, Metric.COSINE);
        db.insertBatch(TestStates.entries(count, 384, 42));
        PersistenceOptions options = PersistenceOptions.builder().baseDir(dir).format(format)
                .snapshotStore("s3").snapshotStoreSettings(s3.settings(s3.newBucket(), extra)).build();
        try (DatabasePersistence p = new DatabasePersistence(db, options)) {
            p.listSnapshots(); // opens the store: not part of the measurement
            long t0 = System.nanoTime();
            SnapshotMetadata s = p.createSnapshot("bench", Map.of());
            long t1 = System.nanoTime();
            db.clear();
            long t2 = System.nanoTime();
            p.restoreSnapshot(s.id());
            long t3 = System.nanoTime();
            assertThat(db.size()).isEqualTo(count);
            // the store alone, without a format: the same number of bytes, random, up and down
            byte[] chunk = new byte[1 << 20];
            new Random(1).nextBytes(chunk);
            SnapshotStore store = S3SnapshotStore.open(S3StoreSettings.parse(s3.settings(s3.newBucket(), extra)));
            long t4 = System.nanoTime();
            SnapshotMetadata raw;
            try (SnapshotStore.Upload u = store.begin()) {
                for (long left = s.fileSize(); left > 0; left -= chunk.length) {
                    u.data().write(chunk, 0, (int) Math.min(left, chunk.length));
                }
                raw = u.commit(new SnapshotMetadata(u.id(), "raw", Instant.now(), 0, 1, "raw", "none",
                        s.fileSize(), sha256(chunk, s.fileSize()), Map.of()));
            }
            long t5 = System.nanoTime();
            long read;
            try (InputStream in = store.open(raw.id())) {
                read = in.transferTo(OutputStream.nullOutputStream());
            }
            long t6 = System.nanoTime();
            store.close();
            assertThat(read).isEqualTo(s.fileSize());
            report(String.format(Locale.ROOT, "%s: S3 store alone, %,d bytes: upload %.2f s (%.1f MB/s), download %.2f s (%.1f MB/s)",
                    s3.name(), read, (t5 - t4) / 1e9, read / 1e6 / ((t5 - t4) / 1e9), (t6 - t5) / 1e9, read / 1e6 / ((t6 - t5) / 1e9)));
            report(String.format(Locale.ROOT, "%s: S3 snapshot of %,d x 384 (%s, %,d bytes): createSnapshot %.2f s (%.1f MB/s),"
                            + " restoreSnapshot (download + SHA-256 + load) %.2f s (%.1f MB/s)",
                    s3.name(), count, format, s.fileSize(),
                    (t1 - t0) / 1e9, s.fileSize() / 1e6 / ((t1 - t0) / 1e9),
                    (t3 - t2) / 1e9, s.fileSize() / 1e6 / ((t3 - t2) / 1e9)));
        }
    }

    /** Prints a result line and appends it to {@code target/benchmark-results.txt}. */
    static void report(String line) throws IOException {
        System.out.println(line);
        java.nio.file.Files.writeString(Path.of("target", "benchmark-results.txt"), line + System.lineSeparator(),
                java.nio.charset.StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND);
    }

    /** SHA-256 of {@code chunk} repeated to {@code size} bytes, as the raw upload sends it. */
    private static String sha256(byte[] chunk, long size) {
        try {
            java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
            for (long left = size; left > 0; left -= chunk.length) {
                sha.update(chunk, 0, (int) Math.min(left, chunk.length));
            }
            return java.util.HexFormat.of().formatHex(sha.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
