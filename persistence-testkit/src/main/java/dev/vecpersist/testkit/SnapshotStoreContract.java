package dev.vecpersist.testkit;

import dev.vecpersist.api.PersistenceException;
import dev.vecpersist.api.SnapshotMetadata;
import dev.vecpersist.api.SnapshotStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The behaviour every {@link SnapshotStore} must have. Extend it and open a fresh, empty store in
 * {@link #openStore()}; every test here then runs against it.
 */
public abstract class SnapshotStoreContract {

    protected SnapshotStore store;

    /** A fresh, empty store. */
    protected abstract SnapshotStore openStore() throws Exception;

    @BeforeEach
    void open() throws Exception {
        store = openStore();
    }

    @AfterEach
    void closeStore() throws IOException {
        if (store != null) {
            store.close();
        }
    }

    protected SnapshotMetadata put(String name, byte[] data, long timestampMillis) throws IOException {
        try (SnapshotStore.Upload upload = store.begin()) {
            try (OutputStream out = upload.data()) {
                out.write(data);
            }
            return upload.commit(new SnapshotMetadata(upload.id(), name, Instant.ofEpochMilli(timestampMillis), 3, 8,
                    "json", "none", data.length, sha256Of(data), Map.of("note", name, "n", 1L)));
        }
    }

    /**
     * The SHA-256 of data, as snapshot metadata records it (stores may check it).
     *
     * @param data the bytes
     * @return lower-case hex
     */
    public static String sha256Of(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    protected static byte[] data(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    protected byte[] read(String id) throws IOException {
        try (InputStream in = store.open(id)) {
            return in.readAllBytes();
        }
    }

    @Test
    void storesListsOpensAndDeletes() throws IOException {
        byte[] a = data(10_000, 1);
        byte[] b = data(3_000_000, 2);
        SnapshotMetadata first = put("first", a, 1_000);
        SnapshotMetadata second = put("second", b, 2_000);
        assertThat(first.id()).isNotEqualTo(second.id());
        assertThat(store.list()).extracting(SnapshotMetadata::id).containsExactly(second.id(), first.id());
        assertThat(store.list().get(1)).isEqualTo(first);
        assertThat(read(first.id())).isEqualTo(a);
        assertThat(read(second.id())).isEqualTo(b);

        store.delete(first.id());
        assertThat(store.list()).extracting(SnapshotMetadata::id).containsExactly(second.id());
        assertThat(read(second.id())).isEqualTo(b);
        assertThatThrownBy(() -> store.open(first.id())).isInstanceOf(PersistenceException.class);
    }

    @Test
    void anUncommittedUploadIsNeverListedAndLeavesNothingBehind() throws IOException {
        String id;
        try (SnapshotStore.Upload upload = store.begin()) {
            id = upload.id();
            upload.data().write(data(1000, 3));
            assertThat(store.list()).isEmpty();
        }
        assertThat(store.list()).isEmpty();
        assertThatThrownBy(() -> store.open(id)).isInstanceOf(PersistenceException.class);
    }

    @Test
    void rejectsIdsItDidNotIssueBeforeTouchingAnything() throws IOException {
        put("real", data(10, 4), 5);
        for (String hostile : List.of("../../etc/passwd", "/etc/passwd", "..", ".", "", "a/b", "a\\b",
                "00000000-0000-0000-0000-000000000000", "x\u0000y", "snapshots/../x", "%2e%2e%2f")) {
            assertThatThrownBy(() -> store.open(hostile)).as(hostile).isInstanceOf(PersistenceException.class);
            assertThatThrownBy(() -> store.delete(hostile)).as(hostile).isInstanceOf(PersistenceException.class);
        }
        assertThat(store.list()).hasSize(1);
    }

    @Test
    void namesAndMetadataAreFreeTextAndRoundTrip() throws IOException {
        String name = "../../etc/passwd \"quoted\" 日本語 \uD83D\uDE80";
        SnapshotMetadata m = put(name, data(100, 5), 42);
        SnapshotMetadata listed = store.list().get(0);
        assertThat(listed.name()).isEqualTo(name);
        assertThat(listed.metadata()).isEqualTo(Map.of("note", name, "n", 1L));
        assertThat(listed).isEqualTo(m);
    }
}
