package dev.vecpersist.store.azure;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.sas.BlobContainerSasPermission;
import com.azure.storage.blob.sas.BlobServiceSasSignatureValues;
import dev.vecpersist.api.CorruptedStateException;
import dev.vecpersist.api.Metric;
import dev.vecpersist.api.PersistenceException;
import dev.vecpersist.api.SnapshotMetadata;
import dev.vecpersist.api.SnapshotStore;
import dev.vecpersist.core.DatabasePersistence;
import dev.vecpersist.core.PersistenceOptions;
import dev.vecpersist.core.VectorDB;
import dev.vecpersist.json.SnapshotMetadataJson;
import dev.vecpersist.testkit.SnapshotStoreContract;
import dev.vecpersist.testkit.TestStates;
import dev.vecpersist.testkit.servers.CorruptingProxy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the Azure store does with blobs, seen through a second client of the same Azurite. */
class AzureSnapshotStoreTest {

    private static final int MIB = 1024 * 1024;
    private static final String PREFIX = "prod/db1/";

    @TempDir
    Path dir;

    private final List<SnapshotStore> opened = new ArrayList<>();
    private AzuriteServer azurite;
    private String container;
    private SnapshotStore store;

    @BeforeEach
    void open() {
        azurite = AzuriteServer.shared();
        container = azurite.newContainer();
        store = open(azurite.settings(container, "prefix", PREFIX, "blockSizeMb", "1"));
    }

    @AfterEach
    void close() throws IOException {
        for (SnapshotStore s : opened) {
            s.close();
        }
    }

    private SnapshotStore open(Map<String, String> settings) {
        SnapshotStore s = new AzureSnapshotStoreProvider().open(settings);
        opened.add(s);
        return s;
    }

    private static byte[] bytes(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static SnapshotMetadata meta(String id, byte[] data) {
        return new SnapshotMetadata(id, "n", Instant.ofEpochMilli(5), 1, 1, "json", "none", data.length,
                SnapshotStoreContract.sha256Of(data), Map.of());
    }

    private static SnapshotMetadata put(SnapshotStore target, byte[] data) throws IOException {
        try (SnapshotStore.Upload u = target.begin()) {
            u.data().write(data);
            return u.commit(meta(u.id(), data));
        }
    }

    @Test
    void aSnapshotIsADataBlobOfBlocksAndAMetadataBlobUnderThePrefix() throws IOException {
        byte[] data = bytes(3 * MIB + 17, 1);
        SnapshotMetadata m = put(store, data);
        String base = PREFIX + "snapshots/" + m.id();
        assertThat(azurite.names(container)).containsExactlyInAnyOrder(base + ".data", base + ".meta.json");
        assertThat(azurite.container(container).getBlobClient(base + ".data").getBlockBlobClient()
                .listBlocks(com.azure.storage.blob.models.BlockListType.COMMITTED).getCommittedBlocks()).hasSize(4);
        try (InputStream in = azurite.container(container).getBlobClient(base + ".meta.json").openInputStream()) {
            assertThat(SnapshotMetadataJson.read(in)).isEqualTo(m);
        }
        try (InputStream in = store.open(m.id())) {
            assertThat(in.readAllBytes()).isEqualTo(data);
        }
    }

    @Test
    void anEmptySnapshotIsStored() throws IOException {
        SnapshotMetadata m = put(store, new byte[0]);
        assertThat(store.list()).containsExactly(m);
        try (InputStream in = store.open(m.id())) {
            assertThat(in.readAllBytes()).isEmpty();
        }
    }

    @Test
    void aCorruptedUploadFailsAndLeavesNothing() throws IOException {
        try (CorruptingProxy proxy = new CorruptingProxy(azurite.port(),
                line -> line.startsWith("PUT ") && line.contains(".data?") && line.contains("comp=block&"))) {
            SnapshotStore through = open(Map.of("container", container, "prefix", PREFIX, "blockSizeMb", "1",
                    "maxAttempts", "1", "connectionString", AzuriteServer.connectionString(proxy.port())));
            VectorDB db = new VectorDB(32, Metric.DOT);
            db.insertBatch(TestStates.entries(200, 32, 3));
            PersistenceOptions options = PersistenceOptions.builder().baseDir(dir.resolve("db")).format("json")
                    .snapshotStore("azure").snapshotStoreSettings(Map.of("container", container, "prefix", PREFIX,
                            "maxAttempts", "1", "connectionString", AzuriteServer.connectionString(proxy.port())))
                    .build();
            try (DatabasePersistence p = new DatabasePersistence(db, options)) {
                assertThatThrownBy(() -> p.createSnapshot("corrupted in transit"))
                        .isInstanceOf(PersistenceException.class)
                        .hasMessageContaining("container '" + container + "'")
                        .hasMessageContaining(PREFIX + "snapshots/");
                assertThat(p.listSnapshots()).isEmpty();
            }
            // the service checks each block's MD5: the damaged block is refused as it is staged
            assertThatThrownBy(() -> put(through, bytes(2 * MIB + 5, 4))).isInstanceOf(IOException.class)
                    .hasMessageContaining("Md5Mismatch").hasMessageContaining("container '" + container + "'");
            assertThat(proxy.corrupted()).isGreaterThanOrEqualTo(2);
            assertThat(through.list()).isEmpty();
            assertThat(azurite.names(container)).isEmpty();
        }
    }

    @Test
    void readBackVerificationNamesContainerBlobExpectedAndFound() {
        // the service holds other bytes of the same size than those the store believes it sent
        String name = PREFIX + "snapshots/" + UUID.randomUUID() + ".data";
        byte[] sent = bytes(5000, 5);
        byte[] held = sent.clone();
        held[2500] ^= 1;
        azurite.container(container).getBlobClient(name).upload(BinaryData.fromBytes(held));
        BlobVerifier verifier = new BlobVerifier(azurite.container(container), new AzureErrors(container, "azurite"),
                AzureStoreSettings.Verify.READBACK);
        assertThatThrownBy(() -> verifier.verify(name, sent.length, SnapshotStoreContract.sha256Of(sent)))
                .isInstanceOfSatisfying(AzureVerificationException.class, e -> {
                    assertThat(e.container()).isEqualTo(container);
                    assertThat(e.blob()).isEqualTo(name);
                    assertThat(e.expected()).isEqualTo(SnapshotStoreContract.sha256Of(sent));
                    assertThat(e.found()).isEqualTo(SnapshotStoreContract.sha256Of(held));
                })
                .isInstanceOf(CorruptedStateException.class)
                .hasMessageContaining("blob '" + name + "' in container '" + container + "'");
        assertThatThrownBy(() -> verifier.verify(name, sent.length + 1, SnapshotStoreContract.sha256Of(sent)))
                .isInstanceOf(AzureVerificationException.class).hasMessageContaining("size expected 5001 bytes, found 5000 bytes");
        new BlobVerifier(azurite.container(container), new AzureErrors(container, "azurite"),
                AzureStoreSettings.Verify.SIZE).verify(name, sent.length, SnapshotStoreContract.sha256Of(sent));
    }

    @Test
    void anUploadClosedWithoutCommitLeavesNothing() throws IOException {
        String id;
        try (SnapshotStore.Upload u = store.begin()) {
            id = u.id();
            u.data().write(bytes(3 * MIB, 6)); // blocks staged, none committed
        }
        assertThat(azurite.names(container)).isEmpty();
        assertThat(store.list()).isEmpty();
        assertThatThrownBy(() -> store.open(id)).isInstanceOf(PersistenceException.class);
    }

    @Test
    void metadataThatDoesNotDescribeTheDataIsRefusedAndNothingStays() throws IOException {
        try (SnapshotStore.Upload u = store.begin()) {
            u.data().write(bytes(100, 7));
            assertThatThrownBy(() -> u.commit(meta(u.id(), new byte[100])))
                    .isInstanceOf(PersistenceException.class).hasMessageContaining("does not describe its data");
        }
        assertThat(azurite.names(container)).isEmpty();
    }

    @Test
    void aSasTokenForTheContainerWorks() throws IOException {
        String sas = azurite.container(container).generateSas(new BlobServiceSasSignatureValues(
                OffsetDateTime.now().plusHours(1), BlobContainerSasPermission.parse("racwdl")));
        SnapshotStore withSas = open(Map.of("container", container, "prefix", "sas",
                "endpoint", "http://127.0.0.1:" + azurite.port() + "/" + AzuriteServer.ACCOUNT, "sasToken", "?" + sas));
        SnapshotMetadata m = put(withSas, bytes(1000, 8));
        assertThat(withSas.list()).containsExactly(m);
        withSas.delete(m.id());
        assertThat(withSas.list()).isEmpty();
    }

    @Test
    void listingSkipsWhatIsNotACompleteReadableSnapshotAndPrefixesSeparate() throws IOException {
        SnapshotMetadata good = put(store, bytes(10, 9));
        SnapshotStore other = open(azurite.settings(container, "prefix", "prod/db2"));
        SnapshotMetadata theirs = put(other, bytes(10, 10));
        String base = PREFIX + "snapshots/";
        String garbled = UUID.randomUUID().toString();
        plant(base + garbled + ".data", "data");
        plant(base + garbled + ".meta.json", "{not json");
        String noData = UUID.randomUUID().toString();
        plant(base + noData + ".meta.json", "{}"); // no data
        plant(base + "notes.meta.json", "{}");
        assertThat(store.list()).containsExactly(good);
        assertThat(other.list()).containsExactly(theirs);
        assertThatThrownBy(() -> store.open(theirs.id())).isInstanceOf(PersistenceException.class);
        // reported, so that no piece is collected while they are there; names outside the layout are not
        dev.vecpersist.api.SnapshotListing listing = store.listing();
        assertThat(listing.snapshots()).containsExactly(good);
        assertThat(listing.unreadable()).extracting(dev.vecpersist.api.UnreadableSnapshot::id)
                .containsExactlyInAnyOrder(garbled, noData);
        assertThat(listing.unreadable()).filteredOn(u -> u.id().equals(noData)).singleElement()
                .satisfies(u -> assertThat(u.toString()).isEqualTo("blob '" + base + noData + ".meta.json' in container '"
                        + container + "': its data blob is missing"));
        assertThat(listing.unreadable()).filteredOn(u -> u.id().equals(garbled)).singleElement()
                .satisfies(u -> assertThat(u.reason()).isNotBlank());
        assertThat(other.listing().complete()).isTrue();
    }

    @Test
    void openingRemovesOldLeftoversOfInterruptedSnapshots() throws IOException {
        SnapshotMetadata kept = put(store, bytes(10, 11));
        String orphan = PREFIX + "snapshots/" + UUID.randomUUID() + ".data";
        plant(orphan, "data of a snapshot whose process died before its metadata");
        AzureStoreSettings settings = AzureStoreSettings.parse(azurite.settings(container, "prefix", PREFIX));
        AzureSnapshotStore.open(azurite.container(container), settings, AzureSnapshotStore.LEFTOVER_AGE).close();
        assertThat(azurite.names(container)).contains(orphan);
        AzureSnapshotStore.open(azurite.container(container), settings, Duration.ofSeconds(-60)).close();
        assertThat(azurite.names(container)).doesNotContain(orphan).hasSize(2);
        assertThat(store.list()).containsExactly(kept);
    }

    @Test
    void idsAreRejectedBeforeAnyRequest() throws IOException {
        AzureStoreSettings settings = AzureStoreSettings.parse(Map.of("container", "snapshots",
                "connectionString", AzuriteServer.connectionString(9), "maxAttempts", "1"));
        try (SnapshotStore offline = AzureSnapshotStore.unchecked(AzureClients.build(settings), settings)) {
            for (String hostile : List.of("../x", "", "a/b", "x.meta.json", UUID.randomUUID() + "/..")) {
                assertThatThrownBy(() -> offline.open(hostile)).hasMessageContaining("invalid snapshot id");
                assertThatThrownBy(() -> offline.delete(hostile)).hasMessageContaining("invalid snapshot id");
            }
        }
    }

    @Test
    void aMissingContainerAndAnUnreachableEndpointAreNamed() throws IOException {
        assertThatThrownBy(() -> open(azurite.settings("no-such-container")))
                .isInstanceOf(PersistenceException.class).hasMessageContaining("'no-such-container' does not exist");
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        assertThatThrownBy(() -> open(Map.of("container", "snapshots", "maxAttempts", "1", "timeoutSeconds", "5",
                "connectionString", AzuriteServer.connectionString(closed))))
                .isInstanceOf(PersistenceException.class)
                .hasMessageContaining("container 'snapshots'")
                .hasMessageContaining("could not be reached");
    }

    private void plant(String name, String content) {
        azurite.container(container).getBlobClient(name).upload(BinaryData.fromString(content));
    }
}
