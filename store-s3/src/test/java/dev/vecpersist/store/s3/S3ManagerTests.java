package dev.vecpersist.store.s3;

import dev.vecpersist.api.CorruptedStateException;
import dev.vecpersist.api.Metric;
import dev.vecpersist.api.PersistableDatabase;
import dev.vecpersist.api.PersistenceException;
import dev.vecpersist.api.SnapshotMetadata;
import dev.vecpersist.api.VectorEntry;
import dev.vecpersist.core.DatabasePersistence;
import dev.vecpersist.core.PersistenceOptions;
import dev.vecpersist.core.VectorDB;
import dev.vecpersist.testkit.TestStates;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The persistence manager with {@code snapshotStore("s3")} and the store's default upload settings
 * (checksums, chunked encoding, verification): snapshots live in the bucket, nowhere else. One
 * subclass per server.
 */
abstract class S3ManagerTests {

    @TempDir
    Path dir;

    private S3TestServer s3;
    private String bucket;

    /** The server of the subclass. */
    abstract S3TestServer server();

    @BeforeEach
    void bucket() {
        s3 = server();
        bucket = s3.newBucket();
    }

    private PersistenceOptions.Builder options() {
        return PersistenceOptions.builder().baseDir(dir).format("json")
                .snapshotStore("s3").snapshotStoreSettings(s3.settings(bucket, "prefix", "vectors", "partSizeMb", "5"));
    }

    @Test
    void aTenThousandBy128SnapshotRoundTripsInMsgpack() {
        VectorDB db = new VectorDB(128, Metric.COSINE);
        db.insertBatch(TestStates.mixedMetadataEntries(10_000, 128, 11));
        List<VectorEntry> before = contents(db);
        try (DatabasePersistence p = new DatabasePersistence(db, options().format("msgpack").build())) {
            SnapshotMetadata s = p.createSnapshot("10k x 128");
            assertThat(s.fileSize()).as("several 5 MiB parts").isGreaterThan(5L * 1024 * 1024);
            byte[] stored = object("vectors/snapshots/" + s.id() + ".data");
            assertThat(s.checksum()).isEqualTo(sha256(stored));
            db.clear();
            p.restoreSnapshot(s.id());
        }
        assertThat(contents(db)).containsExactlyElementsOf(before);
    }

    @Test
    void aSnapshotInTheReferenceModulesLayoutIsListedRestoredAndDeleted() throws Exception {
        // the reference module's pair: ID.json (a JSON state file) and ID.meta.json, copied into the bucket
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
        s3.client().putObject(r -> r.bucket(bucket).key(base + ".json"),
                RequestBody.fromFile(snapshots.resolve(made.id() + ".data")));
        s3.client().putObject(r -> r.bucket(bucket).key(base + ".meta.json"),
                RequestBody.fromFile(snapshots.resolve(made.id() + ".meta.json")));

        VectorDB elsewhere = new VectorDB(3, Metric.DOT);
        try (DatabasePersistence p = new DatabasePersistence(elsewhere, options().build())) {
            assertThat(p.listSnapshots()).containsExactly(made);
            p.restoreSnapshot(made.id());
            assertThat(contents(elsewhere)).containsExactlyElementsOf(before);
            p.deleteSnapshot(made.id());
            assertThat(p.listSnapshots()).isEmpty();
        }
        assertThat(s3.keys(bucket)).isEmpty();
    }

    @Test
    void differentialSnapshotsSharePiecesInTheBucketAndRestoreVerified() {
        VectorDB db = new VectorDB(16, Metric.COSINE);
        db.insertBatch(TestStates.mixedMetadataEntries(2_000, 16, 21));
        try (DatabasePersistence p = new DatabasePersistence(db, options().format("msgpack").compression("none")
                .snapshotMode(dev.vecpersist.core.SnapshotMode.DIFFERENTIAL).build())) {
            SnapshotMetadata first = p.createSnapshot("base");
            List<VectorEntry> atFirst = contents(db);
            db.delete(atFirst.get(7).id());
            db.insertBatch(TestStates.entries(20, 16, 22).stream()
                    .map(e -> new VectorEntry("added-" + e.id(), e.vector(), e.metadata())).toList());
            SnapshotMetadata second = p.createSnapshot("delta");
            List<VectorEntry> atSecond = contents(db);
            assertThat(second.pieces()).hasSize(2);
            assertThat(second.pieces().get(0)).isEqualTo(first.pieces().get(0));
            String deltaKey = "vectors/snapshots/pieces/" + second.pieces().get(1).id() + ".piece";
            assertThat(sha256(object(deltaKey))).isEqualTo(second.pieces().get(1).sha256());
            assertThat(p.listSnapshots().get(0)).isEqualTo(second);

            p.restoreSnapshot(first.id());
            assertThat(contents(db)).containsExactlyElementsOf(atFirst);
            p.deleteSnapshot(first.id()); // its base piece stays: the second snapshot lists it
            p.restoreSnapshot(second.id());
            assertThat(contents(db)).containsExactlyElementsOf(atSecond);

            byte[] damaged = object(deltaKey);
            damaged[damaged.length / 2] ^= 0x10;
            s3.client().putObject(r -> r.bucket(bucket).key(deltaKey), RequestBody.fromBytes(damaged));
            db.clear();
            assertThatThrownBy(() -> p.restoreSnapshot(second.id())).isInstanceOf(CorruptedStateException.class)
                    .hasMessageContaining(second.pieces().get(1).id());
            assertThat(db.size()).isZero();

            p.deleteSnapshot(second.id());
            assertThat(s3.client().listObjectsV2(r -> r.bucket(bucket).prefix("vectors/snapshots/pieces/")).contents())
                    .as("no snapshot left, so no piece").isEmpty();
        }
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
            String metaKey = "vectors/snapshots/" + a.id() + ".meta.json";
            byte[] intact = object(metaKey);
            s3.client().putObject(r -> r.bucket(bucket).key(metaKey),
                    RequestBody.fromBytes(java.util.Arrays.copyOf(intact, intact.length / 2)));

            p.deleteSnapshot(b.id()); // no readable snapshot lists a's base piece any more: still kept
            assertThat(pieceIds()).containsExactlyInAnyOrderElementsOf(
                    b.pieces().stream().map(dev.vecpersist.api.SnapshotPiece::id).toList());

            s3.client().putObject(r -> r.bucket(bucket).key(metaKey), RequestBody.fromBytes(intact)); // repaired
            db.clear();
            p.restoreSnapshot(a.id());
            assertThat(contents(db)).containsExactlyElementsOf(atA);
            p.deleteSnapshot(a.id()); // a complete listing again: collection runs
            assertThat(pieceIds()).isEmpty();
        }
    }

    private List<String> pieceIds() {
        return s3.client().listObjectsV2(r -> r.bucket(bucket).prefix("vectors/snapshots/pieces/")).contents().stream()
                .map(o -> o.key().replace("vectors/snapshots/pieces/", "").replace(".piece", "")).toList();
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<VectorEntry> contents(PersistableDatabase db) {
        List<VectorEntry> out = new ArrayList<>();
        db.snapshot().forEach(out::add);
        return out;
    }

    private byte[] object(String key) {
        return s3.client().getObjectAsBytes(r -> r.bucket(bucket).key(key)).asByteArray();
    }

    @Test
    void createsListsRestoresAndDeletes() throws Exception {
        VectorDB db = new VectorDB(384, Metric.COSINE);
        // over 6 MB in any format (about 17 MB of JSON): a multipart upload of 5 MiB parts
        db.insertBatch(TestStates.mixedMetadataEntries(4_000, 384, 1));
        List<VectorEntry> before = contents(db);
        try (DatabasePersistence p = new DatabasePersistence(db, options().build())) {
            SnapshotMetadata s = p.createSnapshot("before-update", Map.of("note", "nightly", "run", 7L));
            assertThat(s.vectorCount()).isEqualTo(4_000);
            assertThat(s.dimension()).isEqualTo(384);
            assertThat(s.format()).isEqualTo("json");
            assertThat(s.metadata()).isEqualTo(Map.of("note", "nightly", "run", 7L));
            String key = "vectors/snapshots/" + s.id() + ".data";
            byte[] stored = object(key);
            assertThat(stored.length).isEqualTo(s.fileSize()).isGreaterThan(5 * 1024 * 1024);
            if (s3.showsMultipart()) {
                assertThat(s3.client().headObject(r -> r.bucket(bucket).key(key)).eTag()).as("multipart").contains("-");
            }
            assertThat(s.checksum()).isEqualTo(sha256(stored));

            db.clear();
            db.insertBatch(TestStates.entries(5, 384, 2));
            SnapshotMetadata later = p.createSnapshot("after");
            assertThat(p.listSnapshots()).extracting(SnapshotMetadata::id).containsExactly(later.id(), s.id());
            assertThat(p.listSnapshots().get(1)).isEqualTo(s);

            p.restoreSnapshot(s.id());
            assertThat(contents(db)).containsExactlyElementsOf(before);

            p.deleteSnapshot(s.id());
            assertThat(p.listSnapshots()).extracting(SnapshotMetadata::id).containsExactly(later.id());
            assertThat(s3.keys(bucket)).noneMatch(k -> k.contains(s.id()));
            p.restoreSnapshot(later.id());
            assertThat(db.size()).isEqualTo(5);
        }
        assertThat(dir.resolve("snapshots")).doesNotExist();
    }

    @Test
    void aNewManagerSeesTheSnapshotsInTheBucket() {
        VectorDB db = new VectorDB(4, Metric.DOT);
        db.insertBatch(TestStates.entries(50, 4, 3));
        List<VectorEntry> before = contents(db);
        SnapshotMetadata s;
        try (DatabasePersistence p = new DatabasePersistence(db, options().build())) {
            s = p.createSnapshot("shared");
        }
        VectorDB elsewhere = new VectorDB(4, Metric.DOT);
        try (DatabasePersistence p = new DatabasePersistence(elsewhere, options().build())) {
            assertThat(p.listSnapshots()).containsExactly(s);
            p.restoreSnapshot(s.id());
        }
        assertThat(contents(elsewhere)).containsExactlyElementsOf(before);
    }

    @Test
    void retentionKeepsTheNewestMaxSnapshots() {
        VectorDB db = new VectorDB(2, Metric.DOT);
        try (DatabasePersistence p = new DatabasePersistence(db, options().maxSnapshots(2).build())) {
            List<SnapshotMetadata> made = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                db.insert(new VectorEntry("v" + i, new float[] {i, i}));
                made.add(p.createSnapshot("s" + i));
            }
            assertThat(p.listSnapshots()).extracting(SnapshotMetadata::name).containsExactly("s3", "s2");
            assertThat(s3.keys(bucket)).hasSize(4)
                    .noneMatch(k -> k.contains(made.get(0).id()) || k.contains(made.get(1).id()));
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
            String key = "vectors/snapshots/" + s.id() + ".data";
            byte[] damaged = object(key);
            damaged[damaged.length / 2] ^= 1;
            s3.client().putObject(r -> r.bucket(bucket).key(key), RequestBody.fromBytes(damaged));
            db.insert(new VectorEntry("b", new float[] {3, 4}));

            assertThatThrownBy(() -> p.restoreSnapshot(s.id())).isInstanceOf(CorruptedStateException.class)
                    .hasMessageContaining("SHA-256");
            assertThat(db.size()).isEqualTo(2);
        }
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
