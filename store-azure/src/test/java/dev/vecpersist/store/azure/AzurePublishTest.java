package dev.vecpersist.store.azure;

import com.azure.core.util.BinaryData;
import dev.vecpersist.api.ChainStore;
import dev.vecpersist.api.Metric;
import dev.vecpersist.api.PersistenceException;
import dev.vecpersist.api.UnsupportedFormatException;
import dev.vecpersist.api.VectorEntry;
import dev.vecpersist.core.DatabasePersistence;
import dev.vecpersist.core.PersistenceOptions;
import dev.vecpersist.core.Plugins;
import dev.vecpersist.core.ReplicaListener;
import dev.vecpersist.core.VectorDB;
import dev.vecpersist.testkit.Fingerprints;
import dev.vecpersist.testkit.MutableClock;
import dev.vecpersist.testkit.TestStates;
import dev.vecpersist.testkit.servers.CorruptingProxy;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A writer publishing its commits to Azure Blob Storage ({@code publishTo("azure", ...)}) and
 * replicas following them ({@code followRemote}) through Azurite: round trips through incremental
 * saves and a compaction, the grace period before superseded blobs go, a blob missing under an
 * unchanged manifest, and the store's own contract (names, manifest outside the listing).
 */
class AzurePublishTest {

    private static final int DIM = 16;
    private static final String CHAIN = "replicated/chain/";

    @TempDir
    Path dir;

    private AzuriteServer azurite;
    private String container;
    private Map<String, String> settings;

    @BeforeEach
    void container() {
        azurite = AzuriteServer.shared();
        container = azurite.newContainer();
        settings = azurite.settings(container, "prefix", "replicated", "blockSizeMb", "1");
    }

    private PersistenceOptions.Builder writerOptions(String format) {
        return PersistenceOptions.builder().baseDir(dir.resolve("writer")).format(format).compression("gzip")
                .maxDeltas(100).maxDeltaRatio(100).publishTo("azure", settings);
    }

    private PersistenceOptions cache(String name) {
        return PersistenceOptions.builder().baseDir(dir.resolve(name)).build();
    }

    /** Names of the state blobs in the container. */
    private List<String> published() {
        return azurite.names(container).stream().filter(n -> n.startsWith(CHAIN + "state-"))
                .map(n -> n.substring(CHAIN.length())).sorted().toList();
    }

    @ParameterizedTest
    @ValueSource(strings = {"json", "msgpack"})
    void aReplicaFollowsThePublishedChainIncrementallyAndThroughCompaction(String format) throws Exception {
        VectorDB db = new VectorDB(DIM, Metric.COSINE);
        db.insertBatch(TestStates.mixedMetadataEntries(300, DIM, 1));
        VectorDB copy = new VectorDB(DIM, Metric.COSINE);
        try (DatabasePersistence writer = new DatabasePersistence(db, writerOptions(format).build());
             DatabasePersistence replica = DatabasePersistence.followRemote(copy, "azure", settings, cache("cache"))) {
            assertThat(replica.isReadOnly()).isTrue();
            assertThat(replica.refresh()).as("nothing published yet").isEmpty();
            writer.saveIncremental(); // the first is a base
            assertThat(writer.publishStatus().upToDate()).isTrue();
            assertThat(writer.publishStatus().published()).isEqualTo(writer.version());
            assertThat(azurite.names(container)).contains(CHAIN + AzureChainStore.MANIFEST);
            assertThat(replica.refresh().orElseThrow().full()).isTrue();
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
            assertThat(published()).as("the base and three deltas").hasSize(4)
                    .allSatisfy(n -> assertThat(n).endsWith("." + format + ".gz"));

            db.delete("e1");
            writer.save(); // compaction: a new base
            assertThat(replica.refresh().orElseThrow().full()).isTrue();
            assertThat(replica.version()).isEqualTo(writer.version());
            assertThat(Fingerprints.of(copy)).isEqualTo(Fingerprints.of(db));
            assertThat(replica.committedFiles()).allSatisfy(f -> assertThat(f).startsWith(dir.resolve("cache")));
            assertThat(published()).as("superseded blobs stay for the 60 s grace period").hasSize(5);
            assertThatThrownBy(replica::save).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void supersededBlobsStayForTheGracePeriodThenGo() {
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
        azurite.container(container).getBlobClient(CHAIN + "state-0000000001.msgpack")
                .upload(BinaryData.fromString("stale"));
        try (DatabasePersistence writer = new DatabasePersistence(new VectorDB(DIM, Metric.COSINE),
                writerOptions("msgpack").clock(clock).publishGracePeriod(Duration.ofSeconds(60)).build())) {
            assertThat(published()).contains("state-0000000001.msgpack");
            clock.advance(Duration.ofSeconds(61));
            writer.publish();
            assertThat(published()).doesNotContain("state-0000000001.msgpack");
        }
    }

    @Test
    void aMissingBlobUnderAnUnchangedManifestIsReportedAsItIs() {
        VectorDB db = new VectorDB(DIM, Metric.COSINE);
        db.insertBatch(TestStates.entries(10, DIM, 6));
        try (DatabasePersistence writer = new DatabasePersistence(db, writerOptions("json").build());
             DatabasePersistence replica = DatabasePersistence.followRemote(new VectorDB(DIM, Metric.COSINE),
                     "azure", settings, cache("cache"))) {
            writer.save();
            String base = writer.committedFiles().get(0).getFileName().toString();
            azurite.container(container).getBlobClient(CHAIN + base).delete();
            assertThatThrownBy(replica::load).isInstanceOf(PersistenceException.class)
                    .hasMessageContaining(base).hasMessageContaining("has no such object");
            assertThat(replica.version()).isEmpty();
        }
    }

    @Test
    void theStoreVerifiesUploadsKeepsTheManifestOutOfTheListingAndRejectsOtherNames() throws Exception {
        Path file = dir.resolve("state-0000000007.json");
        byte[] content = new byte[3 * 1024 * 1024 + 17]; // several blocks of 1 MiB
        new Random(7).nextBytes(content);
        Files.write(file, content);
        try (ChainStore store = new AzureChainStoreProvider().open(settings)) {
            assertThat(store.readManifest()).isEmpty();
            assertThat(store.open("state-0000000007.json")).isEmpty();
            store.upload("state-0000000007.json", file);
            store.writeManifest("{\"v\":1}".getBytes());
            store.writeManifest("{\"v\":2}".getBytes());
            assertThat(store.readManifest()).hasValueSatisfying(m -> assertThat(new String(m)).isEqualTo("{\"v\":2}"));
            assertThat(store.list()).singleElement().satisfies(o -> {
                assertThat(o.name()).isEqualTo("state-0000000007.json");
                assertThat(o.size()).isEqualTo(content.length);
                assertThat(o.lastModified()).isAfter(Instant.EPOCH);
            });
            try (InputStream in = store.open("state-0000000007.json").orElseThrow()) {
                assertThat(in.readAllBytes()).isEqualTo(content);
            }
            assertThatThrownBy(() -> store.upload("../snapshots/x", file)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> store.delete(AzureChainStore.MANIFEST))
                    .isInstanceOf(IllegalArgumentException.class);
            store.delete("state-0000000007.json");
            store.delete("state-0000000007.json"); // already gone: fine
            assertThat(store.list()).isEmpty();
            assertThat(store.describe()).contains(container).contains(CHAIN);
        }
        assertThatThrownBy(() -> new AzureChainStoreProvider().open(azurite.settings("no-such-container")))
                .isInstanceOf(PersistenceException.class).hasMessageContaining("does not exist");
    }

    @Test
    void theChainStoreIsDiscoveredAsAzureAndAnUnknownNameListsTheAvailableOnes() {
        Plugins plugins = Plugins.discover();
        assertThat(plugins.chainStore("azure")).isInstanceOf(AzureChainStoreProvider.class);
        assertThat(Plugins.artifactFor("azure")).isEqualTo("dev.vecpersist:store-azure");
        assertThatThrownBy(() -> plugins.chainStore("gcs")).isInstanceOf(UnsupportedFormatException.class)
                .hasMessageContaining("no ChainStore named 'gcs'").hasMessageContaining("available: azure");
    }

    @Test
    void anUploadDamagedInTransitFailsAndLeavesNoBlob() throws Exception {
        Path file = dir.resolve("state-0000000003.msgpack");
        byte[] content = new byte[2 * 1024 * 1024 + 5];
        new Random(3).nextBytes(content);
        Files.write(file, content);
        try (CorruptingProxy proxy = new CorruptingProxy(azurite.port(),
                line -> line.startsWith("PUT ") && line.contains("state-0000000003.msgpack?") && line.contains("comp=block&"));
             ChainStore through = new AzureChainStoreProvider().open(Map.of("container", container, "prefix",
                     "replicated", "blockSizeMb", "1", "maxAttempts", "1",
                     "connectionString", AzuriteServer.connectionString(proxy.port())))) {
            // the service checks each block's MD5: the damaged block is refused as it is staged
            assertThatThrownBy(() -> through.upload("state-0000000003.msgpack", file))
                    .isInstanceOf(IOException.class).hasMessageContaining("Md5Mismatch")
                    .hasMessageContaining("container '" + container + "'");
            assertThat(proxy.corrupted()).isGreaterThanOrEqualTo(1);
            assertThat(through.list()).isEmpty();
            assertThat(azurite.names(container)).isEmpty();
        }
    }
}
