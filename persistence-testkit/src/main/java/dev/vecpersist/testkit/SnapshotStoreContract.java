package dev.vecpersist.testkit;

import dev.vecpersist.api.PersistenceException;
import dev.vecpersist.api.PiecesUnsupportedException;
import dev.vecpersist.api.SnapshotMetadata;
import dev.vecpersist.api.SnapshotPiece;
import dev.vecpersist.api.SnapshotStore;
import dev.vecpersist.api.SnapshotListing;
import dev.vecpersist.api.UnreadableSnapshot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The behaviour every {@link SnapshotStore} must have. Extend it and open a fresh, empty store in
 * {@link #openStore()}; every test here then runs against it. A store that
 * {@link SnapshotStore#supportsPieces() supports pieces} must keep them apart from snapshots; one that
 * does not must refuse them with {@link PiecesUnsupportedException}.
 *
 * <p>Override {@link #readMetadataDocument} and {@link #writeMetadataDocument} (they reach the
 * store's backing storage directly: its files, objects or blobs) to also check that the store
 * reports a damaged metadata document in {@link SnapshotStore#listing()}; without them that test is
 * skipped.
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

    /**
     * Writes a piece and commits it.
     *
     * @param bytes the piece's bytes
     * @return its id
     * @throws IOException when the store fails
     */
    protected String putPiece(byte[] bytes) throws IOException {
        try (SnapshotStore.PieceUpload upload = store.beginPiece()) {
            upload.data().write(bytes);
            upload.commit(bytes.length, sha256Of(bytes));
            return upload.id();
        }
    }

    protected byte[] readPiece(String id) throws IOException {
        try (InputStream in = store.openPiece(id)) {
            return in.readAllBytes();
        }
    }

    @Test
    void piecesAreStoredListedOpenedAndDeletedApartFromSnapshots() throws IOException {
        if (!store.supportsPieces()) {
            assertThatThrownBy(() -> store.beginPiece()).isInstanceOf(PiecesUnsupportedException.class)
                    .hasMessageContaining(store.getClass().getName());
            assertThat(store.listPieces()).isEmpty();
            return;
        }
        byte[] a = data(5_000, 11);
        byte[] b = data(3_000_000, 12);
        String first = putPiece(a);
        String second = putPiece(b);
        assertThat(first).isNotEqualTo(second);
        assertThat(store.listPieces()).containsExactlyInAnyOrder(first, second);
        assertThat(store.list()).isEmpty();
        assertThat(readPiece(first)).isEqualTo(a);
        assertThat(readPiece(second)).isEqualTo(b);

        SnapshotMetadata snapshot = put("uses pieces", data(10, 13), 1_000);
        store.delete(snapshot.id());
        assertThat(store.listPieces()).as("deleting a snapshot leaves pieces alone").containsExactlyInAnyOrder(first, second);

        store.deletePiece(first);
        assertThat(store.listPieces()).containsExactly(second);
        assertThatThrownBy(() -> store.openPiece(first)).isInstanceOf(PersistenceException.class);
        assertThatThrownBy(() -> store.deletePiece(first)).isInstanceOf(PersistenceException.class);
        assertThat(readPiece(second)).isEqualTo(b);
    }

    @Test
    void anUncommittedOrMisstatedPieceIsNeverListedAndLeavesNothingBehind() throws IOException {
        if (!store.supportsPieces()) {
            return;
        }
        String id;
        try (SnapshotStore.PieceUpload upload = store.beginPiece()) {
            id = upload.id();
            upload.data().write(data(1000, 14));
            assertThat(store.listPieces()).isEmpty();
        }
        assertThat(store.listPieces()).isEmpty();
        assertThatThrownBy(() -> store.openPiece(id)).isInstanceOf(PersistenceException.class);

        byte[] bytes = data(2000, 15);
        try (SnapshotStore.PieceUpload upload = store.beginPiece()) {
            upload.data().write(bytes);
            assertThatThrownBy(() -> upload.commit(bytes.length + 1, sha256Of(bytes)))
                    .isInstanceOfAny(IOException.class, PersistenceException.class);
        }
        assertThat(store.listPieces()).isEmpty();
    }

    @Test
    void rejectsPieceIdsItDidNotIssueBeforeTouchingAnything() throws IOException {
        if (!store.supportsPieces()) {
            return;
        }
        String real = putPiece(data(10, 16));
        for (String hostile : List.of("../../etc/passwd", "/etc/passwd", "..", "", "a/b", "a\\b",
                "00000000-0000-0000-0000-000000000000", "x\u0000y", "pieces/../x", "%2e%2e%2f")) {
            assertThatThrownBy(() -> store.openPiece(hostile)).as(hostile).isInstanceOf(PersistenceException.class);
            assertThatThrownBy(() -> store.deletePiece(hostile)).as(hostile).isInstanceOf(PersistenceException.class);
        }
        assertThat(store.listPieces()).containsExactly(real);
    }

    @Test
    void aDifferentialSnapshotsMetadataKeepsItsPieces() throws IOException {
        if (!store.supportsPieces()) {
            return;
        }
        byte[] base = data(4000, 17);
        byte[] delta = data(300, 18);
        List<SnapshotPiece> pieces = List.of(
                new SnapshotPiece(putPiece(base), SnapshotPiece.Kind.BASE, 3, 0, base.length, sha256Of(base), "c1"),
                new SnapshotPiece(putPiece(delta), SnapshotPiece.Kind.DELTA, 1, 1, delta.length, sha256Of(delta), "c2"));
        byte[] empty = new byte[0];
        SnapshotMetadata committed;
        try (SnapshotStore.Upload upload = store.begin()) {
            upload.data();
            committed = upload.commit(new SnapshotMetadata(upload.id(), "diff", Instant.ofEpochMilli(7_000), 3, 8,
                    "json", "none", 0, sha256Of(empty), Map.of(), pieces));
        }
        assertThat(committed.pieces()).isEqualTo(pieces);
        SnapshotMetadata listed = store.list().get(0);
        assertThat(listed).isEqualTo(committed);
        assertThat(listed.isDifferential()).isTrue();
        assertThat(read(listed.id())).isEmpty();
        assertThat(readPiece(listed.pieces().get(1).id())).isEqualTo(delta);
    }

    /**
     * The bytes of a snapshot's metadata document, read from the store's backing storage directly
     * (its file, object or blob), not through the store.
     *
     * @param id a committed snapshot's id
     * @return the document's bytes; null (the default) when the store's test gives no such access,
     *         which skips {@link #aDamagedMetadataDocumentIsReportedAndKeepsItsPiecesUntilRepaired()}
     * @throws Exception when the backing storage fails
     */
    protected byte[] readMetadataDocument(String id) throws Exception {
        return null;
    }

    /**
     * Replaces a snapshot's metadata document in the store's backing storage directly, as damage
     * (or a repair by hand) would. Needed when {@link #readMetadataDocument} is overridden.
     *
     * @param id       a committed snapshot's id
     * @param document the new bytes of its metadata document
     * @throws Exception when the backing storage fails
     */
    protected void writeMetadataDocument(String id, byte[] document) throws Exception {
        throw new UnsupportedOperationException("override writeMetadataDocument along with readMetadataDocument");
    }

    private SnapshotMetadata putDifferential(String name, long timestampMillis, List<SnapshotPiece> pieces)
            throws IOException {
        try (SnapshotStore.Upload upload = store.begin()) {
            upload.data();
            return upload.commit(new SnapshotMetadata(upload.id(), name, Instant.ofEpochMilli(timestampMillis), 3, 8,
                    "json", "none", 0, sha256Of(new byte[0]), Map.of(), pieces));
        }
    }

    private SnapshotPiece piece(SnapshotPiece.Kind kind, byte[] bytes) throws IOException {
        return new SnapshotPiece(putPiece(bytes), kind, 1, 0, bytes.length, sha256Of(bytes), "c");
    }

    /** Ways a metadata document gets damaged, each applied to the intact document. */
    private static Map<String, byte[]> damages(byte[] intact, String id) {
        String text = new String(intact, StandardCharsets.UTF_8);
        Map<String, byte[]> damages = new LinkedHashMap<>();
        damages.put("not JSON", "{not json".getBytes(StandardCharsets.UTF_8));
        damages.put("truncated", java.util.Arrays.copyOf(intact, intact.length / 2));
        damages.put("empty", new byte[0]);
        if (text.matches("(?s).*\"version\"\\s*:\\s*\\d+.*")) { // this project's JSON layout
            damages.put("of an unknown version", text.replaceFirst("\"version\"\\s*:\\s*\\d+", "\"version\":99")
                    .getBytes(StandardCharsets.UTF_8));
        }
        if (text.contains(id)) {
            damages.put("naming another id", text.replace(id, UUID.randomUUID().toString()).getBytes(StandardCharsets.UTF_8));
        }
        return damages;
    }

    @Test
    void aDamagedMetadataDocumentIsReportedAndKeepsItsPiecesUntilRepaired() throws Exception {
        List<SnapshotPiece> noPieces = List.of();
        boolean pieces = store.supportsPieces();
        SnapshotPiece base = pieces ? piece(SnapshotPiece.Kind.BASE, data(3000, 21)) : null;
        List<SnapshotPiece> ofA = pieces ? List.of(base, piece(SnapshotPiece.Kind.DELTA, data(200, 22))) : noPieces;
        List<SnapshotPiece> ofB = pieces ? List.of(base, piece(SnapshotPiece.Kind.DELTA, data(300, 23))) : noPieces;
        List<String> allPieces = store.listPieces();
        SnapshotMetadata a = putDifferential("a", 1_000, ofA);
        SnapshotMetadata b = putDifferential("b", 2_000, ofB);
        byte[] intact = readMetadataDocument(a.id());
        Assumptions.assumeTrue(intact != null, "the store's test does not override readMetadataDocument");
        assertThat(store.listing().complete()).isTrue();

        for (Map.Entry<String, byte[]> damage : damages(intact, a.id()).entrySet()) {
            writeMetadataDocument(a.id(), damage.getValue());
            SnapshotListing listing = store.listing();
            assertThat(listing.snapshots()).as(damage.getKey()).containsExactly(b);
            assertThat(store.list()).as(damage.getKey()).containsExactly(b);
            assertThat(listing.complete()).as(damage.getKey()).isFalse();
            UnreadableSnapshot reported = listing.unreadable().get(0);
            assertThat(listing.unreadable()).as(damage.getKey()).hasSize(1);
            assertThat(reported.id()).as(damage.getKey()).isEqualTo(a.id());
            assertThat(reported.location()).as(damage.getKey()).contains(a.id());
            assertThat(reported.reason()).as(damage.getKey()).isNotBlank();
            assertThat(store.listPieces()).as(damage.getKey()).containsExactlyInAnyOrderElementsOf(allPieces);
        }

        writeMetadataDocument(a.id(), intact); // repaired by hand
        SnapshotListing repaired = store.listing();
        assertThat(repaired.complete()).isTrue();
        assertThat(repaired.snapshots()).containsExactly(b, a);
        for (SnapshotPiece p : ofA) {
            assertThat(sha256Of(readPiece(p.id()))).isEqualTo(p.sha256());
        }

        writeMetadataDocument(a.id(), "{not json".getBytes(StandardCharsets.UTF_8));
        store.delete(a.id()); // a damaged snapshot can be deleted, which ends the report
        assertThat(store.listing()).isEqualTo(new SnapshotListing(List.of(b), List.of()));
        assertThat(store.listPieces()).containsExactlyInAnyOrderElementsOf(allPieces);
    }
}
