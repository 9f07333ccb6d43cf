package dev.vecpersist.core;

import dev.vecpersist.api.EncryptionException;
import dev.vecpersist.api.Metric;
import dev.vecpersist.api.PersistenceException;
import dev.vecpersist.api.Progress;
import dev.vecpersist.api.ProgressListener;
import dev.vecpersist.api.SnapshotListing;
import dev.vecpersist.api.SnapshotMetadata;
import dev.vecpersist.api.SnapshotPiece;
import dev.vecpersist.api.SnapshotStore;
import dev.vecpersist.api.VectorEntry;
import dev.vecpersist.core.crypto.EncryptionKeys;
import dev.vecpersist.core.io.FileOps;
import dev.vecpersist.core.snapshot.FileSystemSnapshotStore;
import dev.vecpersist.testkit.MutableClock;
import dev.vecpersist.testkit.TestStates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static dev.vecpersist.core.DbAssertions.assertSameContent;
import static dev.vecpersist.core.DbAssertions.contents;
import static dev.vecpersist.core.EncryptionTest.KEY1;
import static dev.vecpersist.core.EncryptionTest.KEY2;
import static dev.vecpersist.core.KeyRotationTest.keyIdOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Key rotation of differential snapshots: their pieces are re-encrypted, once each, so the old key can be dropped. */
class DifferentialKeyRotationTest {

    private static final int DIM = 8;
    private static final EncryptionKeys K1 = EncryptionKeys.of("k1", KEY1);
    private static final EncryptionKeys K2_AND_K1 = EncryptionKeys.of("k2", KEY2).withOlder("k1", KEY1);
    private static final EncryptionKeys K2 = EncryptionKeys.of("k2", KEY2);

    @TempDir
    Path dir;
    /** Steps between snapshots: the store lists them newest first, in a known order. */
    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));

    private PersistenceOptions.Builder opts(EncryptionKeys keys) {
        return PersistenceOptions.builder().baseDir(dir).format("json").compression("gzip").encryption(keys)
                .snapshotMode(SnapshotMode.DIFFERENTIAL).maxSnapshots(50).incrementalRestoreRatio(0.5).clock(clock);
    }

    private Path piecesDir() {
        return dir.resolve("snapshots").resolve("pieces");
    }

    private Set<String> pieceFiles() throws IOException {
        try (Stream<Path> files = Files.list(piecesDir())) {
            return files.map(f -> f.getFileName().toString().replace(".piece", "")).collect(
                    java.util.stream.Collectors.toCollection(TreeSet::new));
        }
    }

    private static Set<String> referenced(List<SnapshotMetadata> snapshots) {
        Set<String> ids = new TreeSet<>();
        snapshots.forEach(s -> s.pieces().forEach(p -> ids.add(p.id())));
        return ids;
    }

    private static List<String> ids(SnapshotMetadata s) {
        return s.pieces().stream().map(SnapshotPiece::id).toList();
    }

    private static SnapshotMetadata named(List<SnapshotMetadata> snapshots, String name) {
        return snapshots.stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    private static void change(VectorDB db, int round) {
        db.insert(new VectorEntry("id-" + (10 + round), new float[] {1, 1, 1, 1, 1, 1, 1, round}, Map.of("round", (long) round)));
        db.delete("id-" + (30 + round));
        db.insert(new VectorEntry("new-" + round, new float[] {2, 1, 1, 1, 1, 1, 1, 1}));
    }

    /**
     * Under k1: a base snapshot, two deltas over it (all three share the base piece, the last two the
     * first delta), and a full snapshot. Returns each snapshot's content by name.
     */
    private Map<String, List<VectorEntry>> snapshotsUnderK1(VectorDB db) {
        Map<String, List<VectorEntry>> states = new LinkedHashMap<>();
        try (DatabasePersistence p = new DatabasePersistence(db, opts(K1).build())) {
            p.createSnapshot("base", Map.of("n", 1L));
            states.put("base", contents(db));
            change(db, 1);
            clock.advance(Duration.ofMinutes(1));
            p.createSnapshot("delta-1");
            states.put("delta-1", contents(db));
            change(db, 2);
            clock.advance(Duration.ofMinutes(1));
            p.createSnapshot("delta-2", Map.of("tag", "last"));
            states.put("delta-2", contents(db));
        }
        try (DatabasePersistence p = new DatabasePersistence(db, opts(K1).snapshotMode(SnapshotMode.FULL).build())) {
            clock.advance(Duration.ofMinutes(1));
            p.createSnapshot("full");
            states.put("full", contents(db));
        }
        return states;
    }

    private void assertEveryPieceAndSnapshotUnderK2(List<SnapshotMetadata> snapshots) throws IOException {
        for (String piece : pieceFiles()) {
            assertThat(keyIdOf(piecesDir().resolve(piece + ".piece"))).as("piece " + piece).isEqualTo("k2");
        }
        for (SnapshotMetadata s : snapshots) {
            if (!s.isDifferential()) {
                assertThat(keyIdOf(dir.resolve("snapshots").resolve(s.id() + ".data"))).isEqualTo("k2");
            }
        }
    }

    /** Restores every snapshot with {@code keys} into a fresh database and checks its exact content. */
    private void assertEachRestores(EncryptionKeys keys, Map<String, List<VectorEntry>> states) {
        VectorDB fresh = new VectorDB(DIM, Metric.COSINE);
        try (DatabasePersistence p = new DatabasePersistence(fresh, opts(keys).build())) {
            List<SnapshotMetadata> listed = p.listSnapshots();
            for (Map.Entry<String, List<VectorEntry>> state : states.entrySet()) {
                for (SnapshotMetadata s : listed.stream().filter(m -> m.name().equals(state.getKey())).toList()) {
                    fresh.clear();
                    p.restoreSnapshot(s.id());
                    assertSameContent(fresh, state.getValue());
                }
            }
        }
    }

    @Test
    void rotationReencryptsEachSharedPieceOnceSoEveryDifferentialSnapshotRestoresWithTheNewKeyAlone() throws IOException {
        VectorDB db = new VectorDB(DIM, Metric.COSINE);
        db.insertBatch(TestStates.mixedMetadataEntries(300, DIM, 1));
        Map<String, List<VectorEntry>> states = snapshotsUnderK1(db);
        Set<String> oldPieces = pieceFiles();
        assertThat(oldPieces).hasSize(3); // the base and two deltas, shared
        try (DatabasePersistence p = new DatabasePersistence(db, opts(K2_AND_K1).build())) {
            List<SnapshotMetadata> before = p.listSnapshots();
            p.restoreSnapshot(named(before, "delta-2").id()); // the manager's tip, and the known state, is delta-2
            p.reencrypt();
            List<SnapshotMetadata> after = p.listSnapshots();
            assertThat(after).hasSize(4);
            for (SnapshotMetadata old : before) {
                SnapshotMetadata copy = named(after, old.name());
                assertThat(copy.id()).isNotEqualTo(old.id());
                assertThat(copy.timestamp()).isEqualTo(old.timestamp());
                assertThat(copy.metadata()).isEqualTo(old.metadata());
                assertThat(copy.vectorCount()).isEqualTo(old.vectorCount());
                assertThat(copy.pieces()).hasSameSizeAs(old.pieces());
                for (int i = 0; i < old.pieces().size(); i++) {
                    SnapshotPiece was = old.pieces().get(i);
                    SnapshotPiece now = copy.pieces().get(i);
                    assertThat(now.id()).isNotEqualTo(was.id());
                    assertThat(now.sha256()).isNotEqualTo(was.sha256());
                    assertThat(List.of(now.kind(), now.entries(), now.deletions(), now.contentChecksum()))
                            .isEqualTo(List.of(was.kind(), was.entries(), was.deletions(), was.contentChecksum()));
                    assertThat(now.size()).isEqualTo(Files.size(piecesDir().resolve(now.id() + ".piece")));
                }
            }
            // still shared: the base piece of all three, the first delta of the last two
            assertThat(ids(named(after, "delta-2")).subList(0, 2)).isEqualTo(ids(named(after, "delta-1")));
            assertThat(ids(named(after, "delta-1")).get(0)).isEqualTo(ids(named(after, "base")).get(0));
            // each old piece re-encrypted once, and collected
            assertThat(pieceFiles()).isEqualTo(referenced(after)).hasSize(3).doesNotContainAnyElementsOf(oldPieces);
            assertEveryPieceAndSnapshotUnderK2(after);

            // the next differential snapshot extends the re-encrypted pieces of the one restored before
            change(db, 3);
            clock.advance(Duration.ofMinutes(1));
            SnapshotMetadata next = p.createSnapshot("after-rotation");
            states.put("after-rotation", contents(db));
            assertThat(ids(next)).hasSize(4).startsWith(ids(named(after, "delta-2")).toArray(String[]::new));

            // nothing left to do: same snapshots, same pieces
            Set<String> piecesNow = pieceFiles();
            List<SnapshotMetadata> listed = p.listSnapshots();
            p.reencrypt();
            assertThat(p.listSnapshots()).isEqualTo(listed);
            assertThat(pieceFiles()).isEqualTo(piecesNow);
        }
        assertEachRestores(K2, states);
        VectorDB other = new VectorDB(DIM, Metric.COSINE);
        try (DatabasePersistence p = new DatabasePersistence(other, opts(K1).build())) {
            String id = named(p.listSnapshots(), "delta-1").id();
            assertThatThrownBy(() -> p.restoreSnapshot(id)).isInstanceOf(EncryptionException.class)
                    .hasMessageContaining("'k2'");
        }
    }

    @Test
    void theDatabaseHoldingASnapshotBeforeTheRotationHoldsItsCopyAfter() {
        VectorDB db = new VectorDB(DIM, Metric.COSINE);
        db.insertBatch(TestStates.mixedMetadataEntries(200, DIM, 5));
        Map<String, List<VectorEntry>> states = snapshotsUnderK1(db);
        try (DatabasePersistence p = new DatabasePersistence(db, opts(K2_AND_K1).build())) {
            p.restoreSnapshot(named(p.listSnapshots(), "delta-1").id());
            p.reencrypt();
            String copy = named(p.listSnapshots(), "delta-2").id();
            change(db, 7);
            // delta-2's copy extends the copy of delta-1, which the database holds: only its last piece is read
            Operations ops = new Operations();
            p.restoreSnapshot(copy, true, ops);
            assertThat(ops.seen).containsExactly("restore-incremental");
            // an incremental restore puts an entry deleted and brought back at the end: the same entries
            assertThat(contents(db)).containsExactlyInAnyOrderElementsOf(states.get("delta-2"));
            change(db, 8);
            Operations full = new Operations();
            p.restoreSnapshot(named(p.listSnapshots(), "full").id(), true, full);
            assertSameContent(db, states.get("full"));
        }
    }

    @Test
    void aRotationInterruptedBetweenACopysCommitAndTheOldOnesDeleteLosesNothingAndTheNextOneHeals() throws IOException {
        VectorDB db = new VectorDB(DIM, Metric.COSINE);
        db.insertBatch(TestStates.mixedMetadataEntries(120, DIM, 2));
        Map<String, List<VectorEntry>> states = snapshotsUnderK1(db);
        Set<String> oldPieces = pieceFiles();
        try (URLClassLoader loader = pluginLoader();
             DatabasePersistence p = new DatabasePersistence(db, failing("delete").build(), Plugins.discover(loader))) {
            assertThatThrownBy(p::reencrypt).isInstanceOf(PersistenceException.class)
                    .hasMessageContaining("injected delete failure");
            // the full snapshot's copy is committed, its old copy still there; the differential ones untouched
            assertThat(p.listSnapshots()).hasSize(5);
        }
        assertThat(pieceFiles()).isEqualTo(oldPieces);
        try (URLClassLoader loader = pluginLoader();
             DatabasePersistence p = new DatabasePersistence(db, failing("delete-after:1").build(), Plugins.discover(loader))) {
            assertThatThrownBy(p::reencrypt).isInstanceOf(PersistenceException.class);
            List<SnapshotMetadata> both = p.listSnapshots();
            // the full snapshot healed (its old copy deleted), then delta-2 copied with its 3 pieces, its old copy kept
            assertThat(both).hasSize(5);
            assertThat(both.stream().filter(s -> s.name().equals("delta-2"))).hasSize(2);
            assertThat(pieceFiles()).hasSize(6).containsAll(oldPieces);
        }
        assertEachRestores(K2_AND_K1, states); // both copies of delta-2 restore its content
        try (DatabasePersistence p = new DatabasePersistence(db, opts(K2_AND_K1).build())) {
            p.reencrypt();
            List<SnapshotMetadata> healed = p.listSnapshots();
            assertThat(healed).hasSize(4).extracting(SnapshotMetadata::name)
                    .containsExactlyInAnyOrder("base", "delta-1", "delta-2", "full");
            // the pieces of the copy of delta-2 served the others too: none was re-encrypted twice
            assertThat(pieceFiles()).isEqualTo(referenced(healed)).hasSize(3).doesNotContainAnyElementsOf(oldPieces);
            assertEveryPieceAndSnapshotUnderK2(healed);
        }
        assertEachRestores(K2, states);
    }

    @Test
    void aFailedPieceUploadChangesNoSnapshotAndTheNextRotationCollectsWhatItLeft() throws IOException {
        VectorDB db = new VectorDB(DIM, Metric.COSINE);
        db.insertBatch(TestStates.mixedMetadataEntries(80, DIM, 3));
        Map<String, List<VectorEntry>> states = snapshotsUnderK1(db);
        Set<String> oldPieces = pieceFiles();
        List<SnapshotMetadata> before;
        try (URLClassLoader loader = pluginLoader();
             DatabasePersistence p = new DatabasePersistence(db, failing("piece-commit:2").build(), Plugins.discover(loader))) {
            assertThatThrownBy(p::reencrypt).isInstanceOf(PersistenceException.class)
                    .hasMessageContaining("injected piece commit failure");
            before = p.listSnapshots().stream().filter(SnapshotMetadata::isDifferential).toList();
        }
        // the differential snapshots are as they were; the one piece committed is referenced by nothing
        assertThat(before).extracting(SnapshotMetadata::name).containsExactlyInAnyOrder("base", "delta-1", "delta-2");
        assertThat(referenced(before)).isEqualTo(oldPieces);
        assertThat(pieceFiles()).hasSize(4).containsAll(oldPieces);
        assertEachRestores(K2_AND_K1, states);
        try (DatabasePersistence p = new DatabasePersistence(db, opts(K2_AND_K1).build())) {
            p.reencrypt();
            assertThat(pieceFiles()).isEqualTo(referenced(p.listSnapshots())).hasSize(3)
                    .doesNotContainAnyElementsOf(oldPieces);
        }
        assertEachRestores(K2, states);
    }

    @Test
    void reencryptAdoptsDifferentialSnapshotsTakenBeforeEncryption() throws IOException {
        VectorDB db = new VectorDB(DIM, Metric.COSINE);
        db.insertBatch(TestStates.mixedMetadataEntries(90, DIM, 6));
        Map<String, List<VectorEntry>> states = new LinkedHashMap<>();
        try (DatabasePersistence p = new DatabasePersistence(db, opts(null).build())) {
            p.createSnapshot("plain-base");
            states.put("plain-base", contents(db));
            change(db, 1);
            clock.advance(Duration.ofMinutes(1));
            p.createSnapshot("plain-delta");
            states.put("plain-delta", contents(db));
        }
        Set<String> clear = pieceFiles();
        for (String piece : clear) {
            assertThat(keyIdOf(piecesDir().resolve(piece + ".piece"))).isNull();
        }
        try (DatabasePersistence p = new DatabasePersistence(db, opts(K1).build())) {
            p.reencrypt();
            assertThat(pieceFiles()).hasSize(2).doesNotContainAnyElementsOf(clear);
            for (String piece : pieceFiles()) {
                assertThat(keyIdOf(piecesDir().resolve(piece + ".piece"))).isEqualTo("k1");
            }
        }
        assertEachRestores(K1, states);
    }

    @Test
    void aDamagedPieceStopsTheRotationOfItsSnapshotNamingItAndKeepsIt() throws IOException {
        VectorDB db = new VectorDB(DIM, Metric.COSINE);
        db.insertBatch(TestStates.mixedMetadataEntries(60, DIM, 4));
        SnapshotMetadata base;
        try (DatabasePersistence p = new DatabasePersistence(db, opts(K1).build())) {
            base = p.createSnapshot("base");
        }
        Path piece = piecesDir().resolve(base.pieces().get(0).id() + ".piece");
        byte[] bytes = Files.readAllBytes(piece);
        bytes[bytes.length / 2] ^= 0x10;
        Files.write(piece, bytes);
        try (DatabasePersistence p = new DatabasePersistence(db, opts(K2_AND_K1).build())) {
            assertThatThrownBy(p::reencrypt).isInstanceOf(PersistenceException.class)
                    .hasMessageContaining(base.pieces().get(0).id()).hasMessageContaining(base.id());
            assertThat(p.listSnapshots()).extracting(SnapshotMetadata::id).containsExactly(base.id());
        }
        assertThat(pieceFiles()).containsExactly(base.pieces().get(0).id());
    }

    // ------------------------------------------------------------------ a store that fails on cue

    private PersistenceOptions.Builder failing(String failure) {
        return opts(K2_AND_K1).snapshotStore("failing").snapshotStoreSettings(
                Map.of("dir", dir.resolve("snapshots").toString(), "fail", failure));
    }

    private URLClassLoader pluginLoader() throws IOException {
        Path services = dir.getParent().resolve(dir.getFileName() + "-plugin/META-INF/services");
        Files.createDirectories(services);
        Files.writeString(services.resolve(SnapshotStore.Provider.class.getName()), FailingStore.Provider.class.getName());
        return new URLClassLoader(new URL[] {services.getParent().getParent().toUri().toURL()}, getClass().getClassLoader());
    }

    /** The operations a listener was told about: "...-incremental" only on the incremental path. */
    private static final class Operations implements ProgressListener {
        final Set<String> seen = new LinkedHashSet<>();

        @Override
        public void onProgress(Progress progress) {
            seen.add(progress.operation());
        }
    }

    /**
     * The filesystem store, failing as its {@code fail} setting says: {@code delete} (every snapshot
     * delete), {@code delete-after:N} (every snapshot delete after the first N), {@code piece-commit:N}
     * (the Nth piece commit, before anything is committed).
     */
    public static final class FailingStore implements SnapshotStore {
        private final SnapshotStore inner;
        private final String failure;
        private final AtomicInteger deletes = new AtomicInteger();
        private final AtomicInteger pieceCommits = new AtomicInteger();

        FailingStore(SnapshotStore inner, String failure) {
            this.inner = inner;
            this.failure = failure;
        }

        private static int count(String failure, String kind) {
            return failure.startsWith(kind + ":") ? Integer.parseInt(failure.substring(kind.length() + 1)) : -1;
        }

        @Override
        public Upload begin() throws IOException {
            return inner.begin();
        }

        @Override
        public List<SnapshotMetadata> list() throws IOException {
            return inner.list();
        }

        @Override
        public SnapshotListing listing() throws IOException {
            return inner.listing();
        }

        @Override
        public InputStream open(String id) throws IOException {
            return inner.open(id);
        }

        @Override
        public void delete(String id) throws IOException {
            int n = deletes.incrementAndGet();
            if (failure.equals("delete") || (count(failure, "delete-after") >= 0 && n > count(failure, "delete-after"))) {
                throw new IOException("injected delete failure of snapshot " + id);
            }
            inner.delete(id);
        }

        @Override
        public boolean supportsPieces() {
            return true;
        }

        @Override
        public PieceUpload beginPiece() throws IOException {
            PieceUpload upload = inner.beginPiece();
            return new PieceUpload() {
                @Override
                public String id() {
                    return upload.id();
                }

                @Override
                public OutputStream data() throws IOException {
                    return upload.data();
                }

                @Override
                public void commit(long size, String sha256) throws IOException {
                    if (pieceCommits.incrementAndGet() == count(failure, "piece-commit")) {
                        throw new IOException("injected piece commit failure of piece " + upload.id());
                    }
                    upload.commit(size, sha256);
                }

                @Override
                public void close() throws IOException {
                    upload.close();
                }
            };
        }

        @Override
        public InputStream openPiece(String pieceId) throws IOException {
            return inner.openPiece(pieceId);
        }

        @Override
        public void deletePiece(String pieceId) throws IOException {
            inner.deletePiece(pieceId);
        }

        @Override
        public List<String> listPieces() throws IOException {
            return inner.listPieces();
        }

        @Override
        public void close() throws IOException {
            inner.close();
        }

        /** Registers the store as {@code failing}. */
        public static final class Provider implements SnapshotStore.Provider {
            @Override
            public String name() {
                return "failing";
            }

            @Override
            public SnapshotStore open(Map<String, String> settings) throws IOException {
                return new FailingStore(FileSystemSnapshotStore.openAsOwner(Path.of(settings.get("dir")), FileOps.SYSTEM),
                        settings.get("fail"));
            }
        }
    }
}
