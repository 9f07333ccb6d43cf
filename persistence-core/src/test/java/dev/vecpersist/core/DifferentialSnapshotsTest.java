package dev.vecpersist.core;

import dev.vecpersist.api.CorruptedStateException;
import dev.vecpersist.api.Metric;
import dev.vecpersist.api.PersistenceException;
import dev.vecpersist.api.SnapshotMetadata;
import dev.vecpersist.api.SnapshotPiece;
import dev.vecpersist.api.SnapshotStore;
import dev.vecpersist.api.VectorEntry;
import dev.vecpersist.core.io.FileOps;
import dev.vecpersist.core.snapshot.FileSystemSnapshotStore;
import dev.vecpersist.testkit.MutableClock;
import dev.vecpersist.testkit.TestStates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.vecpersist.core.DbAssertions.assertSameContent;
import static dev.vecpersist.core.DbAssertions.contents;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DifferentialSnapshotsTest {

    private static final int DIM = 8;

    @TempDir
    Path dir;

    private PersistenceOptions.Builder opts() {
        return PersistenceOptions.builder().baseDir(dir).format("json").compression("gzip")
                .snapshotMode(SnapshotMode.DIFFERENTIAL).maxSnapshots(50);
    }

    private Path piecesDir() {
        return dir.resolve("snapshots").resolve("pieces");
    }

    private List<String> pieceFiles() throws IOException {
        if (!Files.isDirectory(piecesDir())) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(piecesDir())) {
            return files.map(f -> f.getFileName().toString().replace(".piece", "")).sorted().toList();
        }
    }

    private static List<String> ids(SnapshotMetadata m) {
        return m.pieces().stream().map(SnapshotPiece::id).toList();
    }

    private static VectorEntry entry(String id, float x) {
        float[] v = new float[DIM];
        v[0] = x;
        v[1] = 1;
        return new VectorEntry(id, v, Map.of("x", (double) x));
    }

    @Test
    void eachSnapshotAddsOneDeltaPieceOfWhatChangedAndRestoresExactlyItsState() {
        VectorDB db = new VectorDB(DIM, Metric.COSINE);
        db.insertBatch(TestStates.mixedMetadataEntries(500, DIM, 1));
        Map<String, List<VectorEntry>> states = new LinkedHashMap<>();
        List<SnapshotMetadata> taken = new ArrayList<>();
        try (DatabasePersistence p = new DatabasePersistence(db, opts().build())) {
            taken.add(p.createSnapshot("base"));
            states.put(taken.get(0).id(), contents(db));

            db.insert(entry("new-1", 1));
            db.insert(entry(contents(db).get(3).id(), 7)); // update in place
            db.delete(contents(db).get(10).id());
            String reinserted = contents(db).get(0).id();
            db.delete(reinserted);
            db.insert(entry(reinserted, 9)); // moves to the end
            taken.add(p.createSnapshot("d1"));
            states.put(taken.get(1).id(), contents(db));

            db.delete("new-1");
            db.insert(entry("new-2", 2));
            taken.add(p.createSnapshot("d2"));
            states.put(taken.get(2).id(), contents(db));

            assertThat(taken.get(0).pieces()).extracting(SnapshotPiece::kind).containsExactly(SnapshotPiece.Kind.BASE);
            assertThat(taken.get(0).vectorCount()).isEqualTo(500);
            assertThat(taken.get(0).fileSize()).isZero();
            assertThat(ids(taken.get(1))).hasSize(2).startsWith(ids(taken.get(0)).get(0));
            assertThat(ids(taken.get(2))).hasSize(3).startsWith(ids(taken.get(1)).toArray(String[]::new));
            SnapshotPiece d1 = taken.get(1).pieces().get(1);
            assertThat(d1.entries()).isEqualTo(3);
            assertThat(d1.deletions()).isEqualTo(2);
            assertThat(d1.size()).isLessThan(taken.get(0).pieces().get(0).size() / 20);
            assertThat(taken.get(1).vectorCount()).isEqualTo(500); // +1 inserted, -1 deleted

            db.clear();
            for (SnapshotMetadata s : taken) {
                p.restoreSnapshot(s.id());
                assertSameContent(db, states.get(s.id()));
            }
        }
    }

    @Test
    void aSnapshotWithoutChangesSharesThePreviousPiecesAndWritesNone() throws IOException {
        VectorDB db = new VectorDB(DIM, Metric.COSINE);
        db.insertBatch(TestStates.entries(50, DIM, 2));
        try (DatabasePersistence p = new DatabasePersistence(db, opts().build())) {
            SnapshotMetadata first = p.createSnapshot("a");
            SnapshotMetadata second = p.createSnapshot("b");
            assertThat(second.pieces()).isEqualTo(first.pieces());
            assertThat(pieceFiles()).hasSize(1);
        }
    }

    @Test
    void savesBetweenSnapshotsDoNotMakeTheDatabaseForgetDeletionsTheNextSnapshotNeeds() {
        VectorDB db = new VectorDB(DIM, Metric.COSINE);
        db.insertBatch(TestStates.entries(100, DIM, 3));
        try (DatabasePersistence p = new DatabasePersistence(db, opts().build())) {
            SnapshotMetadata first = p.createSnapshot("a");
            String gone = contents(db).get(5).id();
            db.delete(gone);
            p.save();
            db.insert(entry("after-save", 3));
            p.saveIncremental();
            SnapshotMetadata second = p.createSnapshot("b");
            assertThat(second.pieces()).as("a delta, not a new base").hasSize(2);
            assertThat(second.pieces().get(1).deletions()).isEqualTo(1);
            List<VectorEntry> expected = contents(db);
            db.clear();
            p.restoreSnapshot(second.id());
            assertSameContent(db, expected);
            assertThat(db.get(gone)).isEmpty();
            p.restoreSnapshot(first.id());
            assertThat(db.get(gone)).isPresent();
        }
    }

    @Test
    void whenTheDatabaseForgotWhatChangedANewBasePieceIsWritten() {
        VectorDB db = new VectorDB(DIM, Metric.COSINE);
        db.insertBatch(TestStates.entries(100, DIM, 4));
        try (DatabasePersistence p = new DatabasePersistence(db, opts().build())) {
            p.createSnapshot("a");
            db.delete(contents(db).get(0).id());
            db.changesSaved(db.currentSequence()); // someone else told it to forget: changesSince returns null
            SnapshotMetadata second = p.createSnapshot("b");
            assertThat(second.pieces()).extracting(SnapshotPiece::kind).containsExactly(SnapshotPiece.Kind.BASE);
            List<VectorEntry> expected = contents(db);
            db.clear();
            p.restoreSnapshot(second.id());
            assertSameContent(db, expected);
        }
    }

    @Test
    void aLongChainGetsANewBasePieceByTheCompactionKnobs() {
        VectorDB db = new VectorDB(DIM, Metric.COSINE);
        db.insertBatch(TestStates.entries(200, DIM, 5));
        try (DatabasePersistence p = new DatabasePersistence(db, opts().maxDeltas(2).build())) {
            List<Integer> sizes = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                db.insert(entry("n" + i, i));
                sizes.add(p.createSnapshot("s" + i).pieces().size());
            }
            assertThat(sizes).containsExactly(1, 2, 3, 1, 2);
        }
        VectorDB other = new VectorDB(DIM, Metric.COSINE);
        other.insertBatch(TestStates.entries(20, DIM, 6));
        try (DatabasePersistence p = new DatabasePersistence(other, opts().baseDir(dir.resolve("ratio"))
                .maxDeltaRatio(0.3).build())) {
            p.createSnapshot("base");
            other.insertBatch(TestStates.entries(15, DIM, 7).stream()
                    .map(e -> new VectorEntry("big-" + e.id(), e.vector(), e.metadata())).toList());
            assertThat(p.createSnapshot("grown").pieces()).hasSize(2);
            other.insert(entry("one-more", 1));
            assertThat(p.createSnapshot("next").pieces()).as("the delta outgrew 0.3 of the base").hasSize(1);
        }
    }

    @Test
    void deletingOrPruningSnapshotsNeverDeletesAPieceAnotherStillNeeds() throws IOException {
        VectorDB db = new VectorDB(DIM, Metric.COSINE);
        db.insertBatch(TestStates.entries(100, DIM, 8));
        try (DatabasePersistence p = new DatabasePersistence(db, opts().build())) {
            List<SnapshotMetadata> s = new ArrayList<>();
            List<List<VectorEntry>> states = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                db.insert(entry("n" + i, i));
                s.add(p.createSnapshot("s" + i));
                states.add(contents(db));
            }
            assertThat(pieceFiles()).hasSize(4);
            p.deleteSnapshot(s.get(0).id()); // its base is shared by all the others
            assertThat(pieceFiles()).hasSize(4);
            p.deleteSnapshot(s.get(2).id()); // its delta is shared by s3
            assertThat(pieceFiles()).hasSize(4);
            p.deleteSnapshot(s.get(3).id()); // its own delta and s2's are needed by no one now
            assertThat(pieceFiles()).containsExactlyInAnyOrderElementsOf(ids(s.get(1)));
            db.clear();
            p.restoreSnapshot(s.get(1).id());
            assertSameContent(db, states.get(1));
        }
        try (DatabasePersistence p = new DatabasePersistence(db, opts().maxSnapshots(2).build())) {
            List<List<VectorEntry>> states = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                db.insert(entry("m" + i, i));
                p.createSnapshot("t" + i);
                states.add(contents(db));
            }
            List<SnapshotMetadata> kept = p.listSnapshots();
            assertThat(kept).extracting(SnapshotMetadata::name).containsExactly("t2", "t1");
            assertThat(pieceFiles()).containsExactlyInAnyOrderElementsOf(
                    kept.stream().flatMap(m -> ids(m).stream()).distinct().toList());
            p.restoreSnapshot(kept.get(1).id());
            assertSameContent(db, states.get(1));
            p.restoreSnapshot(kept.get(0).id());
            assertSameContent(db, states.get(2));
        }
    }

    @Test
    void aPieceACrashLeftUnreferencedIsCollectedByTheNextSnapshot() throws IOException {
        VectorDB db = new VectorDB(DIM, Metric.COSINE);
        db.insertBatch(TestStates.entries(30, DIM, 9));
        String orphan;
        try (SnapshotStore store = FileSystemSnapshotStore.openAsOwner(dir.resolve("snapshots"), FileOps.SYSTEM);
             SnapshotStore.PieceUpload upload = store.beginPiece()) {
            upload.data().write(new byte[] {1, 2, 3});
            upload.commit(3, "unchecked-by-the-filesystem-store");
            orphan = upload.id();
        }
        assertThat(pieceFiles()).containsExactly(orphan);
        try (DatabasePersistence p = new DatabasePersistence(db, opts().build())) {
            SnapshotMetadata s = p.createSnapshot("a");
            assertThat(pieceFiles()).containsExactlyElementsOf(ids(s));
        }
    }

    @Test
    void aDamagedOrMissingPieceFailsTheRestoreAndLeavesTheDatabaseUntouched() throws IOException {
        VectorDB db = new VectorDB(DIM, Metric.COSINE);
        db.insertBatch(TestStates.entries(100, DIM, 10));
        try (DatabasePersistence p = new DatabasePersistence(db, opts().build())) {
            p.createSnapshot("a");
            db.insert(entry("x", 1));
            SnapshotMetadata s = p.createSnapshot("b");
            db.insert(entry("y", 2));
            List<VectorEntry> now = contents(db);

            Path delta = piecesDir().resolve(s.pieces().get(1).id() + ".piece");
            byte[] bytes = Files.readAllBytes(delta);
            bytes[bytes.length / 2] ^= 0x40;
            Files.write(delta, bytes);
            assertThatThrownBy(() -> p.restoreSnapshot(s.id())).isInstanceOf(CorruptedStateException.class)
                    .hasMessageContaining(s.pieces().get(1).id()).hasMessageContaining("SHA-256");
            assertSameContent(db, now);

            Files.delete(delta);
            assertThatThrownBy(() -> p.restoreSnapshot(s.id())).isInstanceOf(PersistenceException.class)
                    .hasMessageContaining(s.pieces().get(1).id());
            assertSameContent(db, now);
            try (Stream<Path> left = Files.list(dir)) {
                assertThat(left.map(f -> f.getFileName().toString())).noneMatch(n -> n.startsWith("restore-"));
            }
        }
    }

    @Test
    void aRestoredDifferentialSnapshotIsExtendedByTheNextOne() {
        VectorDB db = new VectorDB(DIM, Metric.COSINE);
        db.insertBatch(TestStates.entries(100, DIM, 11));
        try (DatabasePersistence p = new DatabasePersistence(db, opts().build())) {
            SnapshotMetadata a = p.createSnapshot("a");
            db.insert(entry("x", 1));
            p.createSnapshot("b");
            p.restoreSnapshot(a.id());
            db.insert(entry("z", 3));
            SnapshotMetadata c = p.createSnapshot("c");
            assertThat(ids(c)).hasSize(2).startsWith(ids(a).get(0));
            List<VectorEntry> expected = contents(db);
            db.clear();
            p.restoreSnapshot(c.id());
            assertSameContent(db, expected);
            assertThat(db.get("x")).isEmpty();
        }
    }

    @Test
    void aDifferentialSnapshotIsDatedToTheMillisecondAsItIsListedAndAsAFullOne() {
        // a clock with nanoseconds: the stored metadata document keeps epoch milliseconds, so the
        // snapshot createSnapshot returns must carry the same time the listing reads back
        MutableClock clock = new MutableClock(Instant.parse("2026-12-01T10:15:30.123456789Z"));
        VectorDB db = new VectorDB(DIM, Metric.COSINE);
        db.insertBatch(TestStates.entries(10, DIM, 13));
        try (DatabasePersistence p = new DatabasePersistence(db, opts().clock(clock).build())) {
            SnapshotMetadata base = p.createSnapshot("base");
            db.insert(entry("x", 1));
            clock.advance(Duration.ofNanos(1_500_000));
            SnapshotMetadata delta = p.createSnapshot("delta");
            assertThat(base.timestamp()).isEqualTo(Instant.parse("2026-12-01T10:15:30.123Z"));
            assertThat(delta.timestamp()).isEqualTo(Instant.parse("2026-12-01T10:15:30.124Z"));
            assertThat(p.listSnapshots()).extracting(SnapshotMetadata::timestamp)
                    .containsExactly(delta.timestamp(), base.timestamp());
        }
        try (DatabasePersistence p = new DatabasePersistence(db, opts().clock(clock).snapshotMode(SnapshotMode.FULL).build())) {
            assertThat(p.createSnapshot("full").timestamp()).isEqualTo(Instant.parse("2026-12-01T10:15:30.124Z"));
        }
    }

    @Test
    void fullModeIsTheDefaultAndWritesNoPieces() throws IOException {
        VectorDB db = new VectorDB(DIM, Metric.COSINE);
        db.insertBatch(TestStates.entries(20, DIM, 12));
        PersistenceOptions full = opts().snapshotMode(SnapshotMode.FULL).build();
        assertThat(PersistenceOptions.builder().baseDir(dir).build().snapshotMode()).isEqualTo(SnapshotMode.FULL);
        try (DatabasePersistence p = new DatabasePersistence(db, full)) {
            SnapshotMetadata s = p.createSnapshot("full");
            assertThat(s.pieces()).isEmpty();
            assertThat(s.fileSize()).isEqualTo(Files.size(dir.resolve("snapshots").resolve(s.id() + ".data")));
            assertThat(Files.readString(dir.resolve("snapshots").resolve(s.id() + ".meta.json")))
                    .doesNotContain("pieces").doesNotContain("version");
        }
        assertThat(Files.exists(piecesDir())).isFalse();
    }

    @Test
    void aStoreWithoutPiecesKeepsFullSnapshotsAndRefusesDifferentialOnesNamingIt() throws IOException {
        Path services = dir.resolve("plugin/META-INF/services");
        Files.createDirectories(services);
        Files.writeString(services.resolve(SnapshotStore.Provider.class.getName()), FullOnlyStore.Provider.class.getName());
        try (java.net.URLClassLoader loader = new java.net.URLClassLoader(
                new java.net.URL[] {dir.resolve("plugin").toUri().toURL()}, getClass().getClassLoader())) {
            Plugins plugins = Plugins.discover(loader);
            VectorDB db = new VectorDB(DIM, Metric.COSINE);
            db.insertBatch(TestStates.entries(20, DIM, 13));
            PersistenceOptions.Builder legacy = opts().baseDir(dir.resolve("db")).snapshotStore("full-only").snapshotStoreSettings(
                    Map.of("dir", dir.resolve("legacy").toString()));
            try (DatabasePersistence p = new DatabasePersistence(db, legacy.snapshotMode(SnapshotMode.FULL).build(), plugins)) {
                SnapshotMetadata s = p.createSnapshot("works");
                db.clear();
                p.restoreSnapshot(s.id());
                assertThat(db.size()).isEqualTo(20);
            }
            try (DatabasePersistence p = new DatabasePersistence(db, legacy.snapshotMode(SnapshotMode.DIFFERENTIAL).build(),
                    plugins)) {
                assertThatThrownBy(() -> p.createSnapshot("refused"))
                        .isInstanceOf(dev.vecpersist.api.PiecesUnsupportedException.class)
                        .hasMessageContaining(FullOnlyStore.class.getName());
                assertThat(p.listSnapshots()).hasSize(1);
            }
        }
    }

    /** A store written against the SPI before pieces: only the four snapshot methods. */
    public static final class FullOnlyStore implements SnapshotStore {
        private final SnapshotStore inner;

        FullOnlyStore(SnapshotStore inner) {
            this.inner = inner;
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
        public java.io.InputStream open(String id) throws IOException {
            return inner.open(id);
        }

        @Override
        public void delete(String id) throws IOException {
            inner.delete(id);
        }

        @Override
        public void close() throws IOException {
            inner.close();
        }

        /** Registers the store as {@code full-only}. */
        public static final class Provider implements SnapshotStore.Provider {
            @Override
            public String name() {
                return "full-only";
            }

            @Override
            public SnapshotStore open(Map<String, String> settings) throws IOException {
                return new FullOnlyStore(FileSystemSnapshotStore.openAsOwner(Path.of(settings.get("dir")), FileOps.SYSTEM));
            }
        }
    }
}
