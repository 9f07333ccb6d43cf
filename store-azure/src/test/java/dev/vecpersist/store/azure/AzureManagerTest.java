package dev.vecpersist.store.azure;

import com.azure.core.util.BinaryData;
import dev.vecpersist.api.CorruptedStateException;
import dev.vecpersist.api.Metric;
import dev.vecpersist.api.PersistableDatabase;
import dev.vecpersist.api.PersistenceException;
import dev.vecpersist.api.SnapshotMetadata;
import dev.vecpersist.api.VectorEntry;
import dev.vecpersist.core.DatabasePersistence;
import dev.vecpersist.core.PersistenceOptions;
import dev.vecpersist.core.VectorDB;
import dev.vecpersist.testkit.SnapshotStoreContract;
import dev.vecpersist.testkit.TestStates;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The persistence manager with {@code snapshotStore("azure")}: snapshots live in the container, nowhere else. */
class AzureManagerTest {

    @TempDir
    Path dir;

    private AzuriteServer azurite;
    private String container;

    @BeforeEach
    void container() {
        azurite = AzuriteServer.shared();
        container = azurite.newContainer();
    }

    private PersistenceOptions.Builder options() {
        return PersistenceOptions.builder().baseDir(dir).format("json").snapshotStore("azure")
                .snapshotStoreSettings(azurite.settings(container, "prefix", "vectors", "blockSizeMb", "1"));
    }

    private static List<VectorEntry> contents(PersistableDatabase db) {
        List<VectorEntry> out = new ArrayList<>();
        db.snapshot().forEach(out::add);
        return out;
    }

    private byte[] blob(String name) {
        return azurite.container(container).getBlobClient(name).downloadContent().toBytes();
    }

    @Test
    void thePiecesOfASnapshotWhoseMetadataIsDamagedSurviveDeletionsUntilItIsRepaired() {
        VectorDB db = new VectorDB(8, Metric.COSINE);
        db.insertBatch(TestStates.entries(50, 8, 41));
        try (DatabasePersistence p = new DatabasePersistence(db, options()
                .snapshotMode(dev.vecpersist.core.SnapshotMode.DIFFERENTIAL).build())) {
            SnapshotMetadata a = p.createSnapshot("a");
            List<VectorEntry> atA = contents(db);
            db.delete(atA.get(0).id());
            SnapshotMetadata b = p.createSnapshot("b");
            assertThat(b.pieces()).hasSize(2).contains(a.pieces().get(0));
            String metaBlob = "vectors/snapshots/" + a.id() + ".meta.json";
            byte[] intact = blob(metaBlob);
            azurite.container(container).getBlobClient(metaBlob)
                    .upload(BinaryData.fromBytes(java.util.Arrays.copyOf(intact, intact.length / 2)), true);

            p.deleteSnapshot(b.id()); // no readable snapshot lists a's base piece any more: still kept
            assertThat(pieceIds()).containsExactlyInAnyOrderElementsOf(
                    b.pieces().stream().map(dev.vecpersist.api.SnapshotPiece::id).toList());

            azurite.container(container).getBlobClient(metaBlob).upload(BinaryData.fromBytes(intact), true); // repaired
            db.clear();
            p.restoreSnapshot(a.id());
            assertThat(contents(db)).containsExactlyElementsOf(atA);
            p.deleteSnapshot(a.id()); // a complete listing again: collection runs
            assertThat(pieceIds()).isEmpty();
        }
    }

    private List<String> pieceIds() {
        String pieces = "vectors/snapshots/pieces/";
        return azurite.names(container).stream().filter(n -> n.startsWith(pieces))
                .map(n -> n.substring(pieces.length()).replace(".piece", "")).toList();
    }

    @Test
    void createsListsRestoresAndDeletes() {
        VectorDB db = new VectorDB(96, Metric.COSINE);
        db.insertBatch(TestStates.mixedMetadataEntries(3_000, 96, 1));
        List<VectorEntry> before = contents(db);
        try (DatabasePersistence p = new DatabasePersistence(db, options().build())) {
            SnapshotMetadata s = p.createSnapshot("before-update", Map.of("note", "nightly", "run", 7L));
            assertThat(s.vectorCount()).isEqualTo(3_000);
            assertThat(s.metadata()).isEqualTo(Map.of("note", "nightly", "run", 7L));
            byte[] stored = blob("vectors/snapshots/" + s.id() + ".data");
            assertThat(stored.length).isEqualTo(s.fileSize()).as("several 1 MiB blocks").isGreaterThan(2 * 1024 * 1024);
            assertThat(s.checksum()).isEqualTo(SnapshotStoreContract.sha256Of(stored));
            assertThat(azurite.container(container).getBlobClient("vectors/snapshots/" + s.id() + ".data")
                    .getBlockBlobClient().listBlocks(com.azure.storage.blob.models.BlockListType.COMMITTED)
                    .getCommittedBlocks()).hasSizeGreaterThan(2);

            db.clear();
            db.insertBatch(TestStates.entries(5, 96, 2));
            SnapshotMetadata later = p.createSnapshot("after");
            assertThat(p.listSnapshots()).extracting(SnapshotMetadata::id).containsExactly(later.id(), s.id());
            assertThat(p.listSnapshots().get(1)).isEqualTo(s);

            p.restoreSnapshot(s.id());
            assertThat(contents(db)).containsExactlyElementsOf(before);

            p.deleteSnapshot(s.id());
            assertThat(p.listSnapshots()).extracting(SnapshotMetadata::id).containsExactly(later.id());
            assertThat(azurite.names(container)).noneMatch(n -> n.contains(s.id()));
        }
        assertThat(dir.resolve("snapshots")).doesNotExist();
    }

    @Test
    void aTenThousandBy128SnapshotRoundTripsInMsgpack() {
        VectorDB db = new VectorDB(128, Metric.COSINE);
        db.insertBatch(TestStates.mixedMetadataEntries(10_000, 128, 11));
        List<VectorEntry> before = contents(db);
        try (DatabasePersistence p = new DatabasePersistence(db, options().format("msgpack").build())) {
            SnapshotMetadata s = p.createSnapshot("10k x 128");
            assertThat(s.checksum()).isEqualTo(SnapshotStoreContract.sha256Of(blob("vectors/snapshots/" + s.id() + ".data")));
            db.clear();
            p.restoreSnapshot(s.id());
        }
        assertThat(contents(db)).containsExactlyElementsOf(before);
    }

    @Test
    void retentionKeepsTheNewestMaxSnapshots() {
        VectorDB db = new VectorDB(2, Metric.DOT);
        try (DatabasePersistence p = new DatabasePersistence(db, options().maxSnapshots(2).build())) {
            for (int i = 0; i < 4; i++) {
                db.insert(new VectorEntry("v" + i, new float[] {i, i}));
                p.createSnapshot("s" + i);
            }
            assertThat(p.listSnapshots()).extracting(SnapshotMetadata::name).containsExactly("s3", "s2");
            assertThat(azurite.names(container)).hasSize(4);
            p.restoreSnapshot(p.listSnapshots().get(1).id());
            assertThat(db.size()).isEqualTo(3);
        }
    }

    @Test
    void aDamagedSnapshotIsNotRestored() {
        VectorDB db = new VectorDB(2, Metric.DOT);
        db.insert(new VectorEntry("a", new float[] {1, 2}));
        try (DatabasePersistence p = new DatabasePersistence(db, options().build())) {
            SnapshotMetadata s = p.createSnapshot("s");
            String name = "vectors/snapshots/" + s.id() + ".data";
            byte[] damaged = blob(name);
            damaged[damaged.length / 2] ^= 1;
            azurite.container(container).getBlobClient(name).upload(BinaryData.fromBytes(damaged), true);
            db.insert(new VectorEntry("b", new float[] {3, 4}));
            assertThatThrownBy(() -> p.restoreSnapshot(s.id())).isInstanceOf(CorruptedStateException.class)
                    .hasMessageContaining("SHA-256");
            assertThat(db.size()).isEqualTo(2);
        }
    }

    @Test
    void aSnapshotInTheReferenceModulesLayoutIsListedRestoredAndDeleted() {
        VectorDB db = new VectorDB(3, Metric.DOT);
        db.insertBatch(TestStates.entries(20, 3, 5));
        List<VectorEntry> before = contents(db);
        Path local = dir.resolve("local");
        SnapshotMetadata made;
        try (DatabasePersistence p = new DatabasePersistence(db, PersistenceOptions.builder().baseDir(local)
                .format("json").build())) {
            made = p.createSnapshot("from the reference module");
        }
        Path snapshots = local.resolve("snapshots");
        String base = "vectors/snapshots/" + made.id();
        azurite.container(container).getBlobClient(base + ".json").uploadFromFile(snapshots.resolve(made.id() + ".data").toString());
        azurite.container(container).getBlobClient(base + ".meta.json")
                .uploadFromFile(snapshots.resolve(made.id() + ".meta.json").toString());

        VectorDB elsewhere = new VectorDB(3, Metric.DOT);
        try (DatabasePersistence p = new DatabasePersistence(elsewhere, options().build())) {
            assertThat(p.listSnapshots()).containsExactly(made);
            p.restoreSnapshot(made.id());
            assertThat(contents(elsewhere)).containsExactlyElementsOf(before);
            p.deleteSnapshot(made.id());
            assertThat(p.listSnapshots()).isEmpty();
        }
        assertThat(azurite.names(container)).isEmpty();
    }

    @Test
    void idsThatTheStoreDidNotIssueAreRejected() {
        try (DatabasePersistence p = new DatabasePersistence(new VectorDB(2, Metric.DOT), options().build())) {
            for (String id : List.of("../../etc/passwd", "00000000-0000-0000-0000-000000000000")) {
                assertThatThrownBy(() -> p.restoreSnapshot(id)).isInstanceOf(PersistenceException.class);
                assertThatThrownBy(() -> p.deleteSnapshot(id)).isInstanceOf(PersistenceException.class);
            }
        }
    }
}
