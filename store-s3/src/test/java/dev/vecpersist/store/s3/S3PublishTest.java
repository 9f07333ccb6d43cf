package dev.vecpersist.store.s3;

import dev.vecpersist.api.Metric;
import dev.vecpersist.api.PersistenceException;
import dev.vecpersist.api.VectorEntry;
import dev.vecpersist.core.CommitVersion;
import dev.vecpersist.core.DatabasePersistence;
import dev.vecpersist.core.PersistenceOptions;
import dev.vecpersist.core.PublishStatus;
import dev.vecpersist.core.ReplicaListener;
import dev.vecpersist.core.VectorDB;
import dev.vecpersist.testkit.Fingerprints;
import dev.vecpersist.testkit.MutableClock;
import dev.vecpersist.testkit.TestStates;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A writer publishing its commits to S3 ({@code publishTo}) and replicas following them
 * ({@code followRemote}) through S3Mock: round trips in every format, the grace period before
 * superseded objects go, a replica whose file is deleted under it, and reconciling after a failed
 * upload.
 */
class S3PublishTest {

    private static final int DIM = 16;

    @TempDir
    Path dir;

    private S3TestServer s3;
    private String bucket;
    private Map<String, String> settings;

    @BeforeEach
    void bucket() {
        s3 = S3MockServer.shared();
        bucket = s3.newBucket();
        settings = s3.settings(bucket, "prefix", "replicated");
    }

    @AfterEach
    void resetHooks() {
        TestChainStoreProvider.reset();
    }

    private PersistenceOptions.Builder writerOptions(String format) {
        return PersistenceOptions.builder().baseDir(dir.resolve("writer")).format(format).compression("gzip")
                .maxDeltas(100).maxDeltaRatio(100).publishTo("s3", settings);
    }

    private PersistenceOptions cache(String name) {
        return PersistenceOptions.builder().baseDir(dir.resolve(name)).build();
    }

    /** Names of the state objects in the bucket. */
    private List<String> published() {
        return s3.keys(bucket).stream().filter(k -> k.startsWith("replicated/chain/state-"))
                .map(k -> k.substring("replicated/chain/".length())).sorted().toList();
    }

    @ParameterizedTest
    @ValueSource(strings = {"json", "msgpack", "sqlite"})
    void aReplicaFollowsThePublishedChainIncrementallyAndThroughCompaction(String format) throws Exception {
        VectorDB db = new VectorDB(DIM, Metric.COSINE);
        db.insertBatch(TestStates.mixedMetadataEntries(300, DIM, 1));
        VectorDB copy = new VectorDB(DIM, Metric.COSINE);
        try (DatabasePersistence writer = new DatabasePersistence(db, writerOptions(format).build());
             DatabasePersistence replica = DatabasePersistence.followRemote(copy, "s3", settings, cache("cache"))) {
            assertThat(replica.isReadOnly()).isTrue();
            assertThat(replica.refresh()).as("nothing published yet").isEmpty();
            writer.saveIncremental(); // the first is a base
            assertThat(writer.publishStatus().upToDate()).isTrue();
            assertThat(writer.publishStatus().published()).isEqualTo(writer.version());
            assertThat(writer.publishLag()).isEqualTo(Duration.ZERO);
            ReplicaListener.Applied first = replica.refresh().orElseThrow();
            assertThat(first.full()).isTrue();
            assertThat(Fingerprints.sorted(copy)).containsExactlyElementsOf(Fingerprints.sorted(db));

            Random random = new Random(2);
            for (int round = 0; round < 3; round++) {
                for (int i = 0; i < 20; i++) {
                    db.insert(new VectorEntry("e" + random.nextInt(400), TestStates.randomVector(random, DIM),
                            Map.of("round", (long) round)));
                }
                db.delete("e" + random.nextInt(300));
                writer.saveIncremental();
            }
            assertThat(writer.version().orElseThrow().deltas()).isEqualTo(3);
            ReplicaListener.Applied deltas = replica.refresh().orElseThrow();
            assertThat(deltas.full()).as("three new deltas applied incrementally").isFalse();
            assertThat(replica.version()).isEqualTo(writer.version());
            assertThat(Fingerprints.sorted(copy)).containsExactlyElementsOf(Fingerprints.sorted(db));
            assertThat(published()).as("the base and three deltas").hasSize(4);

            db.delete("e1");
            writer.save(); // compaction: a new base
            ReplicaListener.Applied compacted = replica.refresh().orElseThrow();
            assertThat(compacted.full()).isTrue();
            assertThat(replica.version()).isEqualTo(writer.version());
            assertThat(Fingerprints.of(copy)).isEqualTo(Fingerprints.of(db));
            assertThat(replica.committedFiles()).allSatisfy(f -> assertThat(f).startsWith(dir.resolve("cache")));
            try (Stream<Path> cached = Files.list(dir.resolve("cache"))) {
                assertThat(cached.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("state-")))
                        .as("the cache keeps only the version held").containsExactly(
                                replica.committedFiles().get(0).getFileName().toString());
            }
            assertThat(published()).as("superseded objects stay for the 60 s grace period").hasSize(5);
            assertThatThrownBy(replica::save).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void withoutOptionsTheReplicaCachesInATemporaryDirectoryItDeletesOnClose() {
        VectorDB db = new VectorDB(DIM, Metric.COSINE);
        db.insertBatch(TestStates.entries(30, DIM, 9));
        VectorDB copy = new VectorDB(DIM, Metric.COSINE);
        Path cacheDir;
        try (DatabasePersistence writer = new DatabasePersistence(db, writerOptions("json").build());
             DatabasePersistence replica = DatabasePersistence.followRemote(copy, "s3", settings)) {
            writer.saveIncremental();
            replica.load();
            cacheDir = replica.manifestFile().getParent();
            assertThat(cacheDir).isDirectory().isNotEqualTo(dir.resolve("writer"));
            assertThat(Fingerprints.of(copy)).isEqualTo(Fingerprints.of(db));
        }
        assertThat(cacheDir).doesNotExist();
    }

    @Test
    void supersededObjectsStayForTheGracePeriodThenGo() {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        VectorDB db = new VectorDB(DIM, Metric.COSINE);
        db.insertBatch(TestStates.entries(50, DIM, 3));
        try (DatabasePersistence writer = new DatabasePersistence(db, writerOptions("msgpack").clock(clock)
                .publishGracePeriod(Duration.ofSeconds(60)).build())) {
            writer.saveIncremental();
            db.insert(new VectorEntry("x", TestStates.randomVector(new Random(4), DIM), Map.of()));
            writer.saveIncremental();
            List<String> old = published();
            assertThat(old).hasSize(2);
            writer.save(); // compaction: the base and delta are superseded at "now"
            String newBase = writer.committedFiles().get(0).getFileName().toString();
            assertThat(published()).containsExactlyInAnyOrder(old.get(0), old.get(1), newBase);

            clock.advance(Duration.ofSeconds(59));
            writer.publish();
            assertThat(published()).as("within the grace period").containsExactlyInAnyOrder(old.get(0), old.get(1),
                    newBase);
            clock.advance(Duration.ofSeconds(2));
            writer.publish();
            assertThat(published()).as("after the grace period").containsExactly(newBase);
        }
        // a new writer (after a restart) supersedes what the current manifest does not list from its own start
        putObject("replicated/chain/state-0000000001.msgpack", "stale");
        try (DatabasePersistence writer = new DatabasePersistence(new VectorDB(DIM, Metric.COSINE),
                writerOptions("msgpack").clock(clock).publishGracePeriod(Duration.ofSeconds(60)).build())) {
            assertThat(published()).contains("state-0000000001.msgpack");
            clock.advance(Duration.ofSeconds(61));
            writer.publish();
            assertThat(published()).doesNotContain("state-0000000001.msgpack");
        }
    }

    @Test
    void aReplicaWhoseFileIsDeletedAfterItReadTheManifestRereadsIt() {
        VectorDB db = new VectorDB(DIM, Metric.COSINE);
        db.insertBatch(TestStates.entries(80, DIM, 5));
        VectorDB copy = new VectorDB(DIM, Metric.COSINE);
        Map<String, String> testSettings = settings;
        try (DatabasePersistence writer = new DatabasePersistence(db, writerOptions("json")
                .publishGracePeriod(Duration.ZERO).build());
             DatabasePersistence replica = DatabasePersistence.followRemote(copy, TestChainStoreProvider.NAME,
                     testSettings, cache("cache"))) {
            writer.save();
            String firstBase = writer.committedFiles().get(0).getFileName().toString();
            AtomicBoolean compacted = new AtomicBoolean();
            TestChainStoreProvider.beforeOpen = name -> {
                // the replica read the manifest listing the first base; the writer compacts and, with no
                // grace period, deletes that base before the replica downloads it
                if (name.equals(firstBase) && compacted.compareAndSet(false, true)) {
                    db.delete("vec-1");
                    writer.save();
                }
            };
            replica.load();
            assertThat(compacted).isTrue();
            assertThat(published()).doesNotContain(firstBase);
            assertThat(replica.version()).isEqualTo(writer.version());
            assertThat(Fingerprints.of(copy)).isEqualTo(Fingerprints.of(db));
        }
    }

    @Test
    void aMissingObjectUnderAnUnchangedManifestIsReportedAsItIs() {
        VectorDB db = new VectorDB(DIM, Metric.COSINE);
        db.insertBatch(TestStates.entries(10, DIM, 6));
        try (DatabasePersistence writer = new DatabasePersistence(db, writerOptions("json").build());
             DatabasePersistence replica = DatabasePersistence.followRemote(new VectorDB(DIM, Metric.COSINE), "s3",
                     settings, cache("cache"))) {
            writer.save();
            String base = writer.committedFiles().get(0).getFileName().toString();
            s3.client().deleteObject(r -> r.bucket(bucket).key("replicated/chain/" + base));
            assertThatThrownBy(replica::load).isInstanceOf(PersistenceException.class)
                    .hasMessageContaining(base).hasMessageContaining("has no such object");
            assertThat(replica.version()).isEmpty();
        }
    }

    @Test
    void aFailedUploadLeavesTheLocalCommitAndIsReconciledByPublishOrANewWriter() {
        VectorDB db = new VectorDB(DIM, Metric.COSINE);
        db.insertBatch(TestStates.entries(40, DIM, 7));
        VectorDB copy = new VectorDB(DIM, Metric.COSINE);
        PersistenceOptions options = writerOptions("msgpack").publishTo(TestChainStoreProvider.NAME, settings).build();
        try (DatabasePersistence replica = DatabasePersistence.followRemote(copy, "s3", settings, cache("cache"))) {
            try (DatabasePersistence writer = new DatabasePersistence(db, options)) {
                writer.saveIncremental();
                CommitVersion published = writer.version().orElseThrow();
                TestChainStoreProvider.beforeUpload = name -> {
                    throw new UncheckedIOException(new IOException("injected: connection reset uploading " + name));
                };
                db.insert(new VectorEntry("late", TestStates.randomVector(new Random(8), DIM), Map.of()));
                assertThat(writer.saveIncremental()).as("the local commit succeeds").isPresent();
                assertThat(writer.version().orElseThrow().deltas()).isEqualTo(1);
                PublishStatus status = writer.publishStatus();
                assertThat(status.upToDate()).isFalse();
                assertThat(status.published()).contains(published);
                assertThat(status.lastFailure()).get().asString().contains("injected");
                replica.refresh();
                assertThat(replica.version()).as("the store still holds the published version").contains(published);

                assertThatThrownBy(writer::publish).isInstanceOf(PersistenceException.class)
                        .hasMessageContaining("injected");
                TestChainStoreProvider.reset();
                writer.publish();
                assertThat(writer.publishStatus().upToDate()).isTrue();
                assertThat(writer.publishStatus().lastFailure()).isEmpty();
                replica.refresh();
                assertThat(replica.version()).isEqualTo(writer.version());
                assertThat(Fingerprints.of(copy)).isEqualTo(Fingerprints.of(db));

                // fail again, then close: the next writer reconciles when it opens
                TestChainStoreProvider.beforeUpload = name -> {
                    throw new UncheckedIOException(new IOException("injected again"));
                };
                db.delete("late");
                writer.saveIncremental();
            }
            TestChainStoreProvider.reset();
            CommitVersion local;
            try (DatabasePersistence reopened = new DatabasePersistence(new VectorDB(DIM, Metric.COSINE), options)) {
                local = reopened.version().orElseThrow();
                assertThat(reopened.publishStatus().published()).contains(local);
            }
            replica.refresh();
            assertThat(replica.version()).contains(local);
            assertThat(Fingerprints.of(copy)).isEqualTo(Fingerprints.of(db));
        }
    }

    private void putObject(String key, String content) {
        s3.client().putObject(r -> r.bucket(bucket).key(key),
                software.amazon.awssdk.core.sync.RequestBody.fromString(content));
    }
}
