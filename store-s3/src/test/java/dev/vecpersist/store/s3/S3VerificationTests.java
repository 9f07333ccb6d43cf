package dev.vecpersist.store.s3;

import dev.vecpersist.api.CorruptedStateException;
import dev.vecpersist.api.Metric;
import dev.vecpersist.api.PersistenceException;
import dev.vecpersist.api.SnapshotMetadata;
import dev.vecpersist.api.SnapshotStore;
import dev.vecpersist.core.DatabasePersistence;
import dev.vecpersist.core.PersistenceOptions;
import dev.vecpersist.core.VectorDB;
import dev.vecpersist.testkit.SnapshotStoreContract;
import dev.vecpersist.testkit.TestStates;
import dev.vecpersist.testkit.servers.CorruptingProxy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A snapshot counts as stored only when the server holds what was sent. A loopback proxy in front
 * of the server flips one bit in the body of every data upload (PutObject or UploadPart of a
 * {@code .data} key): {@code createSnapshot} must fail and leave nothing listed, nothing in the
 * bucket. One subclass per server.
 */
abstract class S3VerificationTests {

    private static final int MIB = 1024 * 1024;

    @TempDir
    Path dir;

    private S3TestServer s3;
    private String bucket;
    private CorruptingProxy proxy;

    /** The server of the subclass. */
    abstract S3TestServer server();

    /** Whether the server keeps S3 flexible checksums (and so can be verified without reading back). */
    abstract boolean keepsChecksums();

    @BeforeEach
    void start() throws IOException {
        s3 = server();
        bucket = s3.newBucket();
        proxy = new CorruptingProxy(s3.endpoint().getPort(), line -> line.startsWith("PUT ") && line.contains(".data"));
    }

    @AfterEach
    void stop() throws IOException {
        proxy.close();
    }

    /** Settings that reach the server through the corrupting proxy. */
    private Map<String, String> throughProxy(String... extra) {
        Map<String, String> settings = s3.settings(bucket, extra);
        settings.put(S3StoreSettings.ENDPOINT, "http://127.0.0.1:" + proxy.port());
        settings.put(S3StoreSettings.PREFIX, "db");
        settings.put(S3StoreSettings.PART_SIZE_MB, "5");
        settings.put(S3StoreSettings.MAX_ATTEMPTS, "1");
        return settings;
    }

    private void assertNothingStored(DatabasePersistence p) {
        assertThat(p.listSnapshots()).isEmpty();
        assertThat(s3.keys(bucket)).isEmpty();
        assertThat(s3.multipartUploads(bucket)).isEmpty();
    }

    @Test
    void aCorruptedUploadFailsCreateSnapshotAndLeavesNothingWithDefaultSettings() {
        for (int count : new int[] {100, 6_000}) { // a single PutObject, then a multipart upload
            VectorDB db = new VectorDB(256, Metric.COSINE);
            db.insertBatch(TestStates.entries(count, 256, count));
            PersistenceOptions options = PersistenceOptions.builder().baseDir(dir).format("msgpack")
                    .snapshotStore("s3").snapshotStoreSettings(throughProxy()).build();
            int before = proxy.corrupted();
            try (DatabasePersistence p = new DatabasePersistence(db, options)) {
                assertThatThrownBy(() -> p.createSnapshot("corrupted in transit")).as("%d entries", count)
                        .isInstanceOf(PersistenceException.class)
                        .hasMessageContaining("s3://" + bucket + "/db/snapshots/");
                assertThat(proxy.corrupted()).isGreaterThan(before);
                assertNothingStored(p);
            }
        }
    }

    @Test
    void readBackVerificationNamesBucketKeyExpectedAndFound() throws IOException {
        // no checksum headers: the server cannot reject the damaged body, only reading it back tells
        byte[] data = new byte[3000];
        new Random(1).nextBytes(data);
        try (SnapshotStore store = new S3SnapshotStoreProvider().open(
                throughProxy("checksums", "when_required", "verify", "readback"))) {
            SnapshotStore.Upload upload = store.begin();
            String key = "db/snapshots/" + upload.id() + ".data";
            try (upload) {
                try (OutputStream out = upload.data()) {
                    out.write(data);
                }
                assertThatThrownBy(() -> upload.commit(metadata(upload.id(), data)))
                        .isInstanceOfSatisfying(S3VerificationException.class, e -> {
                            assertThat(e.bucket()).isEqualTo(bucket);
                            assertThat(e.key()).isEqualTo(key);
                            assertThat(e.expected()).isEqualTo(SnapshotStoreContract.sha256Of(data));
                            assertThat(e.found()).isNotEqualTo(e.expected()).hasSize(64);
                        })
                        .isInstanceOf(CorruptedStateException.class)
                        .hasMessageContaining("s3://" + bucket + "/" + key)
                        .hasMessageContaining("expected " + SnapshotStoreContract.sha256Of(data));
            }
            assertThat(store.list()).isEmpty();
            assertThat(s3.keys(bucket)).isEmpty();
        }
    }

    @Test
    void sizeOnlyVerificationDoesNotSeeAFlippedBitButRestoreDoes() {
        // what verify=size is worth: the snapshot is stored, and the manager's SHA-256 check refuses it
        VectorDB db = new VectorDB(8, Metric.DOT);
        db.insertBatch(TestStates.entries(50, 8, 2));
        PersistenceOptions options = PersistenceOptions.builder().baseDir(dir).format("json").snapshotStore("s3")
                .snapshotStoreSettings(throughProxy("checksums", "when_required", "verify", "size")).build();
        try (DatabasePersistence p = new DatabasePersistence(db, options)) {
            SnapshotMetadata s = p.createSnapshot("damaged");
            assertThatThrownBy(() -> p.restoreSnapshot(s.id())).isInstanceOf(CorruptedStateException.class)
                    .hasMessageContaining("SHA-256");
            assertThat(db.size()).isEqualTo(50);
        }
    }

    @Test
    void checksumVerificationNeedsAServerThatKeepsChecksums() throws IOException {
        byte[] data = new byte[6 * MIB + 7];
        new Random(3).nextBytes(data);
        Map<String, String> settings = s3.settings(bucket, "prefix", "db", "partSizeMb", "5", "verify", "checksum");
        try (SnapshotStore store = new S3SnapshotStoreProvider().open(settings);
             SnapshotStore.Upload upload = store.begin()) {
            upload.data().write(data);
            if (keepsChecksums()) {
                SnapshotMetadata stored = upload.commit(metadata(upload.id(), data));
                assertThat(store.list()).containsExactly(stored);
            } else {
                assertThatThrownBy(() -> upload.commit(metadata(upload.id(), data)))
                        .isInstanceOf(PersistenceException.class)
                        .hasMessageContaining("reported no SHA-256 checksum")
                        .hasMessageContaining("'verify' to readback");
                upload.close();
                assertThat(store.list()).isEmpty();
                assertThat(s3.keys(bucket)).isEmpty();
            }
        }
    }

    @Test
    void metadataThatDoesNotDescribeTheDataIsRefused() throws IOException {
        byte[] data = new byte[100];
        try (SnapshotStore store = new S3SnapshotStoreProvider().open(s3.settings(bucket));
             SnapshotStore.Upload upload = store.begin()) {
            upload.data().write(data);
            SnapshotMetadata wrong = new SnapshotMetadata(upload.id(), "n", Instant.ofEpochMilli(1), 1, 1, "json",
                    "none", data.length, "00".repeat(32), Map.of());
            assertThatThrownBy(() -> upload.commit(wrong)).isInstanceOf(PersistenceException.class)
                    .hasMessageContaining("does not describe its data");
            upload.close();
            assertThat(store.list()).isEmpty();
            assertThat(s3.keys(bucket)).isEmpty();
        }
    }

    private static SnapshotMetadata metadata(String id, byte[] data) {
        return new SnapshotMetadata(id, "verify", Instant.ofEpochMilli(1_000), 1, 1, "json", "none", data.length,
                SnapshotStoreContract.sha256Of(data), Map.of());
    }
}
