package dev.vecpersist.store.s3;

import dev.vecpersist.api.PersistenceException;
import dev.vecpersist.api.SnapshotMetadata;
import dev.vecpersist.api.SnapshotStore;
import dev.vecpersist.json.SnapshotMetadataJson;
import dev.vecpersist.testkit.SnapshotStoreContract;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the S3 store does with objects, seen through a second client of the same server; one subclass per server. */
abstract class S3SnapshotStoreTests {

    private static final int MIB = 1024 * 1024;
    private static final String PREFIX = "prod/db1/";

    private final List<SnapshotStore> opened = new ArrayList<>();
    private S3TestServer s3;
    private String bucket;
    private SnapshotStore store;

    /** The server of the subclass. */
    abstract S3TestServer server();

    @BeforeEach
    void open() {
        s3 = server();
        bucket = s3.newBucket();
        store = open("partSizeMb", "5");
    }

    @AfterEach
    void close() throws IOException {
        for (SnapshotStore s : opened) {
            s.close();
        }
    }

    private SnapshotStore open(String... extra) {
        String[] all = new String[extra.length + 2];
        all[0] = S3StoreSettings.PREFIX;
        all[1] = PREFIX;
        System.arraycopy(extra, 0, all, 2, extra.length);
        SnapshotStore s = new S3SnapshotStoreProvider().open(s3.settings(bucket, all));
        opened.add(s);
        return s;
    }

    private static byte[] bytes(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static SnapshotMetadata meta(String id, String name, long millis, byte[] data) {
        return new SnapshotMetadata(id, name, Instant.ofEpochMilli(millis), 10, 4, "json", "none", data.length,
                SnapshotStoreContract.sha256Of(data), Map.of("k", "v"));
    }

    /** Writes in uneven chunks, as a format writer would. */
    private static void write(OutputStream out, byte[] data) throws IOException {
        Random r = new Random(data.length);
        int off = 0;
        while (off < data.length) {
            int n = Math.min(data.length - off, 1 + r.nextInt(300_000));
            if (n == 1) {
                out.write(data[off]);
            } else {
                out.write(data, off, n);
            }
            off += n;
        }
    }

    private SnapshotMetadata put(SnapshotStore target, byte[] data, String name, long millis) throws IOException {
        try (SnapshotStore.Upload u = target.begin()) {
            write(u.data(), data);
            return u.commit(meta(u.id(), name, millis, data));
        }
    }

    private byte[] read(String id) throws IOException {
        try (InputStream in = store.open(id)) {
            return in.readAllBytes();
        }
    }

    private HeadObjectResponse head(String key) {
        return s3.client().headObject(r -> r.bucket(bucket).key(key));
    }

    @Test
    void aSnapshotIsADataObjectAndAMetadataObjectUnderThePrefix() throws IOException {
        byte[] data = bytes(1000, 1);
        SnapshotMetadata m = put(store, data, "small", 7);
        String base = PREFIX + "snapshots/" + m.id();
        assertThat(s3.keys(bucket)).containsExactlyInAnyOrder(base + ".data", base + ".meta.json");
        assertThat(head(base + ".data").contentLength()).isEqualTo(1000);
        // a snapshot within one part is a single PutObject: no multipart ETag
        assertThat(head(base + ".data").eTag()).doesNotContain("-");
        try (InputStream in = s3.client().getObject(r -> r.bucket(bucket).key(base + ".meta.json"))) {
            assertThat(SnapshotMetadataJson.read(in)).isEqualTo(m);
        }
        assertThat(read(m.id())).isEqualTo(data);
    }

    @Test
    void aLargeSnapshotGoesUpInPartsAndComesBackWhole() throws IOException {
        byte[] data = bytes(11 * MIB + 123, 2);
        SnapshotMetadata m = put(store, data, "large", 8);
        String key = PREFIX + "snapshots/" + m.id() + ".data";
        assertThat(head(key).contentLength()).isEqualTo(data.length);
        if (s3.showsMultipart()) {
            assertThat(head(key).eTag()).as("3 parts of 5 MiB at most").contains("-3");
        }
        assertThat(s3.multipartUploads(bucket)).isEmpty();
        assertThat(read(m.id())).isEqualTo(data);
    }

    @Test
    void withoutChecksumsForServersThatRejectThemUploadsWorkAlike() throws IOException {
        SnapshotStore plain = open("partSizeMb", "5", "checksums", "when_required");
        byte[] large = bytes(11 * MIB, 14);
        byte[] small = bytes(100, 15);
        SnapshotMetadata a = put(plain, large, "large", 1);
        SnapshotMetadata b = put(plain, small, "small", 2);
        assertThat(plain.list()).containsExactly(b, a);
        assertThat(read(a.id())).isEqualTo(large);
        assertThat(read(b.id())).isEqualTo(small);
    }

    @Test
    void exactlyOnePartIsASinglePut() throws IOException {
        SnapshotMetadata m = put(store, bytes(5 * MIB, 3), "one part", 9);
        assertThat(head(PREFIX + "snapshots/" + m.id() + ".data").eTag()).doesNotContain("-");
    }

    @Test
    void aMultipartUploadClosedWithoutCommitLeavesNothing() throws IOException {
        String id;
        try (SnapshotStore.Upload u = store.begin()) {
            id = u.id();
            write(u.data(), bytes(11 * MIB, 4)); // two parts sent, one buffered
            if (s3.showsMultipart()) {
                assertThat(s3.multipartUploads(bucket)).containsExactly(PREFIX + "snapshots/" + id + ".data");
            }
        }
        assertThat(s3.multipartUploads(bucket)).isEmpty();
        assertThat(s3.keys(bucket)).isEmpty();
        assertThat(store.list()).isEmpty();
        assertThatThrownBy(() -> store.open(id)).isInstanceOf(PersistenceException.class);
    }

    @Test
    void aFailingWriterLeavesNothing() {
        assertThatThrownBy(() -> {
            try (SnapshotStore.Upload u = store.begin()) {
                write(u.data(), bytes(6 * MIB, 5));
                throw new IllegalStateException("the format writer failed");
            }
        }).hasMessage("the format writer failed");
        assertThat(s3.multipartUploads(bucket)).isEmpty();
        assertThat(s3.keys(bucket)).isEmpty();
    }

    @Test
    void aFailedCommitLeavesNothing() throws IOException {
        // (metadata outside the value model cannot reach a commit: SnapshotMetadata refuses it when built)
        for (int size : new int[] {1, 100, 6 * MIB}) {
            try (SnapshotStore.Upload u = store.begin()) {
                write(u.data(), bytes(size, 6));
                assertThatThrownBy(() -> u.commit(meta(UUID.randomUUID().toString(), "other", 1, new byte[1])))
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("upload's id");
            }
            assertThat(s3.multipartUploads(bucket)).isEmpty();
            assertThat(s3.keys(bucket)).isEmpty();
        }
    }

    @Test
    void anEmptySnapshotIsStored() throws IOException {
        SnapshotMetadata m;
        try (SnapshotStore.Upload u = store.begin()) {
            m = u.commit(meta(u.id(), "empty", 1, new byte[0]));
        }
        assertThat(store.list()).containsExactly(m);
        assertThat(read(m.id())).isEmpty();
    }

    @Test
    void listingSkipsWhatIsNotACompleteReadableSnapshot() throws IOException {
        SnapshotMetadata good = put(store, bytes(10, 7), "good", 10);
        String base = PREFIX + "snapshots/";
        String garbled = UUID.randomUUID().toString();
        plant(base + garbled + ".data", "data");
        plant(base + garbled + ".meta.json", "{not json");
        String noData = UUID.randomUUID().toString();
        plantMeta(base + noData + ".meta.json", noData);
        String otherId = UUID.randomUUID().toString();
        plant(base + otherId + ".data", "data");
        plantMeta(base + otherId + ".meta.json", good.id()); // names another snapshot's id
        plant(base + "notes.meta.json", "{}");
        plant(PREFIX + "unrelated.txt", "x");
        plant("snapshots/" + UUID.randomUUID() + ".meta.json", "outside the prefix");

        assertThat(store.list()).containsExactly(good);
        assertThatThrownBy(() -> store.open(noData)).isInstanceOf(PersistenceException.class);
        // reported, so that no piece is collected while they are there; names outside the layout are not
        dev.vecpersist.api.SnapshotListing listing = store.listing();
        assertThat(listing.snapshots()).containsExactly(good);
        assertThat(listing.unreadable()).extracting(dev.vecpersist.api.UnreadableSnapshot::id)
                .containsExactlyInAnyOrder(garbled, noData, otherId);
        assertThat(listing.unreadable()).filteredOn(u -> u.id().equals(noData)).singleElement()
                .satisfies(u -> assertThat(u.toString()).isEqualTo("s3://" + bucket + "/" + base + noData
                        + ".meta.json: its data object is missing"));
        assertThat(listing.unreadable()).filteredOn(u -> u.id().equals(otherId)).singleElement()
                .satisfies(u -> assertThat(u.reason()).isEqualTo("it names id " + good.id()));
        assertThat(listing.unreadable()).filteredOn(u -> u.id().equals(garbled)).singleElement()
                .satisfies(u -> assertThat(u.reason()).isNotBlank());
    }

    @Test
    void listsNewestFirstAcrossPages() throws IOException {
        // more than one ListObjectsV2 page (1000 keys) is not needed for ordering, but many snapshots are cheap
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            ids.add(0, put(store, bytes(5, i), "s" + i, 1000 + i).id());
        }
        assertThat(store.list()).extracting(SnapshotMetadata::id).containsExactlyElementsOf(ids);
    }

    @Test
    void deleteRemovesBothObjectsAndNothingElse() throws IOException {
        SnapshotMetadata a = put(store, bytes(10, 8), "a", 1);
        SnapshotMetadata b = put(store, bytes(10, 9), "b", 2);
        plant(PREFIX + "unrelated.txt", "x");
        store.delete(a.id());
        assertThat(s3.keys(bucket)).containsExactlyInAnyOrder(PREFIX + "unrelated.txt",
                PREFIX + "snapshots/" + b.id() + ".data", PREFIX + "snapshots/" + b.id() + ".meta.json");
        assertThatThrownBy(() -> store.delete(a.id())).isInstanceOf(PersistenceException.class)
                .hasMessageContaining("no snapshot with id " + a.id());
    }

    @Test
    void storesWithDifferentPrefixesShareABucketWithoutSeeingEachOther() throws IOException {
        SnapshotStore other = new S3SnapshotStoreProvider().open(
                s3.settings(bucket, S3StoreSettings.PREFIX, "prod/db2"));
        opened.add(other);
        SnapshotMetadata mine = put(store, bytes(10, 10), "mine", 1);
        SnapshotMetadata theirs = put(other, bytes(10, 11), "theirs", 2);
        assertThat(store.list()).containsExactly(mine);
        assertThat(other.list()).containsExactly(theirs);
        assertThatThrownBy(() -> store.open(theirs.id())).isInstanceOf(PersistenceException.class);
    }

    @Test
    void openingRemovesOldLeftoversOfInterruptedSnapshots() throws IOException {
        SnapshotMetadata kept = put(store, bytes(10, 12), "kept", 1);
        String base = PREFIX + "snapshots/";
        String orphan = base + UUID.randomUUID() + ".data";
        plant(orphan, "data of a snapshot whose process died before its metadata");
        String dangling = base + UUID.randomUUID() + ".data";
        if (s3.showsMultipart()) {
            s3.client().createMultipartUpload(r -> r.bucket(bucket).key(dangling));
        }
        plant(PREFIX + "unrelated.data", "not ours");

        // young leftovers may be uploads in progress elsewhere: left alone
        opened.add(S3SnapshotStore.open(s3.client(), false, S3StoreSettings.parse(s3.settings(bucket, "prefix", PREFIX)),
                S3SnapshotStore.LEFTOVER_AGE));
        assertThat(s3.keys(bucket)).contains(orphan);
        if (s3.showsMultipart()) {
            assertThat(s3.multipartUploads(bucket)).containsExactly(dangling);
        }

        opened.add(S3SnapshotStore.open(s3.client(), false, S3StoreSettings.parse(s3.settings(bucket, "prefix", PREFIX)),
                Duration.ofSeconds(-60)));
        assertThat(s3.keys(bucket)).containsExactlyInAnyOrder(PREFIX + "unrelated.data",
                base + kept.id() + ".data", base + kept.id() + ".meta.json");
        assertThat(s3.multipartUploads(bucket)).isEmpty();
        assertThat(store.list()).containsExactly(kept);
    }

    @Test
    void closingADownloadEarlyReleasesTheConnection() throws IOException {
        SnapshotMetadata m = put(store, bytes(6 * MIB, 13), "big", 1);
        long start = System.nanoTime();
        // more than the connection pool's 50: a leaked connection would block, then time out
        for (int i = 0; i < 60; i++) {
            try (InputStream in = store.open(m.id())) {
                assertThat(in.read()).isNotNegative();
            }
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
        assertThat(read(m.id())).hasSize(6 * MIB);
    }

    @Test
    void idsAreRejectedBeforeAnyRequest() {
        // nothing listens on this endpoint: any request would fail with a connection error instead
        S3StoreSettings settings = S3StoreSettings.parse(Map.of("bucket", "snapshots", "endpoint", "http://127.0.0.1:9",
                "accessKeyId", "a", "secretAccessKey", "s", "maxAttempts", "1"));
        try (SnapshotStore offline = S3SnapshotStore.unchecked(S3Clients.build(settings), settings)) {
            for (String hostile : List.of("../x", "", "a/b", "x.meta.json", UUID.randomUUID() + "/..")) {
                assertThatThrownBy(() -> offline.open(hostile)).isInstanceOf(PersistenceException.class)
                        .hasMessageContaining("invalid snapshot id");
                assertThatThrownBy(() -> offline.delete(hostile)).isInstanceOf(PersistenceException.class)
                        .hasMessageContaining("invalid snapshot id");
            }
            assertThatThrownBy(() -> offline.open(null)).isInstanceOf(PersistenceException.class);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aClosedStoreRefusesWork() throws IOException {
        store.close();
        assertThatThrownBy(() -> store.list()).isInstanceOf(PersistenceException.class).hasMessageContaining("closed");
        assertThatThrownBy(() -> store.begin()).isInstanceOf(PersistenceException.class);
    }

    private void plant(String key, String content) {
        s3.client().putObject(r -> r.bucket(bucket).key(key), RequestBody.fromString(content));
    }

    private void plantMeta(String key, String id) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SnapshotMetadataJson.write(meta(id, "planted", 5, new byte[4]), out);
        s3.client().putObject(r -> r.bucket(bucket).key(key), RequestBody.fromBytes(out.toByteArray()));
    }
}
