package dev.vecpersist.store.s3;

import dev.vecpersist.api.Metric;
import dev.vecpersist.api.PersistenceException;
import dev.vecpersist.api.SnapshotMetadata;
import dev.vecpersist.api.SnapshotStore;
import dev.vecpersist.api.VectorEntry;
import dev.vecpersist.core.DatabasePersistence;
import dev.vecpersist.core.PersistenceOptions;
import dev.vecpersist.core.VectorDB;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Failures come back quickly, as PersistenceExceptions that say what and where. */
class S3FailuresTest {

    @TempDir
    Path dir;

    /** A loopback port nothing listens on. */
    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static Map<String, String> unreachable(int port) {
        return Map.of("bucket", "snapshots", "endpoint", "http://127.0.0.1:" + port, "pathStyle", "true",
                "accessKeyId", "a", "secretAccessKey", "s", "maxAttempts", "2", "connectTimeoutMs", "1000",
                "socketTimeoutMs", "2000");
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void anUnreachableEndpointFailsFastAndSaysWhere() throws IOException {
        int port = closedPort();
        long start = System.nanoTime();
        assertThatThrownBy(() -> new S3SnapshotStoreProvider().open(unreachable(port)))
                .isInstanceOf(PersistenceException.class)
                .hasMessageContaining("s3://snapshots/")
                .hasMessageContaining("could not be reached")
                .hasMessageContaining("http://127.0.0.1:" + port);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void theManagerReportsAnUnreachableStore() throws IOException {
        VectorDB db = new VectorDB(2, Metric.DOT);
        db.insert(new VectorEntry("a", new float[] {1, 2}));
        PersistenceOptions options = PersistenceOptions.builder().baseDir(dir).format("json")
                .snapshotStore("s3").snapshotStoreSettings(unreachable(closedPort())).build();
        try (DatabasePersistence p = new DatabasePersistence(db, options)) {
            assertThatThrownBy(() -> p.createSnapshot("x")).isInstanceOf(PersistenceException.class)
                    .hasMessageContaining("could not be reached");
            assertThatThrownBy(p::listSnapshots).isInstanceOf(PersistenceException.class)
                    .hasMessageContaining("could not be reached");
        }
    }

    @Test
    void aMissingBucketIsNamed() {
        S3MockServer s3 = S3MockServer.shared();
        assertThatThrownBy(() -> new S3SnapshotStoreProvider().open(s3.settings("no-such-bucket")))
                .isInstanceOf(PersistenceException.class)
                .hasMessageContaining("'no-such-bucket' does not exist")
                .hasMessageContaining("NoSuchBucket");
    }

    @Test
    void aBucketThatDisappearsIsNamedToo() throws IOException {
        S3MockServer s3 = S3MockServer.shared();
        String bucket = s3.newBucket();
        try (SnapshotStore store = new S3SnapshotStoreProvider().open(s3.settings(bucket))) {
            s3.client().deleteBucket(r -> r.bucket(bucket));
            assertThatThrownBy(store::list).isInstanceOf(PersistenceException.class)
                    .hasMessageContaining("s3://" + bucket + "/snapshots/")
                    .hasMessageContaining("NoSuchBucket");
            try (SnapshotStore.Upload u = store.begin()) {
                u.data().write(new byte[10]);
                assertThatThrownBy(() -> u.commit(new SnapshotMetadata(u.id(), "n",
                        Instant.now(), 1, 1, "json", "none", 10, "00", Map.of())))
                        .isInstanceOf(PersistenceException.class)
                        .hasMessageContaining("s3://" + bucket + "/snapshots/" + u.id() + ".data")
                        .hasMessageContaining("NoSuchBucket");
            }
        }
    }

    @Test
    void theManagerReportsMissingSettings() {
        PersistenceOptions options = PersistenceOptions.builder().baseDir(dir).format("json")
                .snapshotStore("s3").snapshotStoreSettings(Map.of("prefix", "x")).build();
        try (DatabasePersistence p = new DatabasePersistence(new VectorDB(2, Metric.DOT), options)) {
            assertThatThrownBy(p::listSnapshots).isInstanceOf(PersistenceException.class)
                    .hasMessageContaining("'bucket' is required");
        }
    }
}
