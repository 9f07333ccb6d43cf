package dev.vecpersist.store.azure;

import dev.vecpersist.api.Metric;
import dev.vecpersist.api.SnapshotMetadata;
import dev.vecpersist.core.DatabasePersistence;
import dev.vecpersist.core.PersistenceOptions;
import dev.vecpersist.core.VectorDB;
import dev.vecpersist.testkit.TestStates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Upload and restore time of a 100,000 x 384 snapshot against Azurite on loopback, with the store's
 * default settings (read-back verification included). Not part of the default run:
 * {@code mvn -B -q -pl store-azure -am verify -Dtest=AzureSnapshotBenchmark -Dazure.benchmark=true -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@EnabledIfSystemProperty(named = "azure.benchmark", matches = "true")
class AzureSnapshotBenchmark {

    @TempDir
    Path dir;

    /** Prints a result line and appends it to {@code target/benchmark-results.txt}. */
    static void report(String line) throws IOException {
        System.out.println(line);
        Files.writeString(Path.of("target", "benchmark-results.txt"), line + System.lineSeparator(),
                StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    @Test
    void createAndRestoreA100kBy384Snapshot() throws IOException {
        int count = Integer.getInteger("azure.benchmark.count", 100_000);
        String format = System.getProperty("azure.benchmark.format", "msgpack");
        AzuriteServer azurite = AzuriteServer.shared();
        VectorDB db = new VectorDB(384, Metric.COSINE);
        db.insertBatch(TestStates.entries(count, 384, 42));
        PersistenceOptions options = PersistenceOptions.builder().baseDir(dir).format(format).snapshotStore("azure")
                .snapshotStoreSettings(azurite.settings(azurite.newContainer())).build();
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
            report(String.format(Locale.ROOT, "Azurite %s: snapshot of %,d x 384 (%s, %,d bytes):"
                            + " createSnapshot %.2f s (%.1f MB/s), restoreSnapshot (download + SHA-256 + load) %.2f s (%.1f MB/s)",
                    AzuriteServer.VERSION, count, format, s.fileSize(), (t1 - t0) / 1e9,
                    s.fileSize() / 1e6 / ((t1 - t0) / 1e9), (t3 - t2) / 1e9, s.fileSize() / 1e6 / ((t3 - t2) / 1e9)));
        }
    }
}
