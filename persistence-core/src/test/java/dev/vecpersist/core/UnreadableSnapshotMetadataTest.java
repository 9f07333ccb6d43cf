package dev.vecpersist.core;

import dev.vecpersist.api.Metric;
import dev.vecpersist.api.PersistenceException;
import dev.vecpersist.api.SnapshotMetadata;
import dev.vecpersist.api.SnapshotPiece;
import dev.vecpersist.api.VectorEntry;
import dev.vecpersist.testkit.TestStates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.vecpersist.core.DbAssertions.assertSameContent;
import static dev.vecpersist.core.DbAssertions.contents;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Piece collection on the filesystem store while a snapshot's metadata document cannot be read: it
 * deletes nothing, so the snapshot comes back once its metadata is repaired.
 */
class UnreadableSnapshotMetadataTest {

    private static final int DIM = 8;

    @TempDir
    Path dir;

    private PersistenceOptions options() {
        return PersistenceOptions.builder().baseDir(dir).format("json").compression("gzip")
                .snapshotMode(SnapshotMode.DIFFERENTIAL).maxSnapshots(50).auditLog(true).build();
    }

    private Path metadataOf(SnapshotMetadata s) {
        return dir.resolve("snapshots").resolve(s.id() + ".meta.json");
    }

    private List<String> pieceFiles() throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve("snapshots").resolve("pieces"))) {
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
    void deletingSnapshotsKeepsEveryPieceWhileAMetadataDocumentIsUnreadable() throws IOException {
        VectorDB db = new VectorDB(DIM, Metric.COSINE);
        db.insertBatch(TestStates.entries(60, DIM, 31));
        try (DatabasePersistence p = new DatabasePersistence(db, options())) {
            SnapshotMetadata first = p.createSnapshot("first");
            db.insert(entry("a", 1));
            db.delete(contents(db).get(3).id());
            SnapshotMetadata a = p.createSnapshot("a");
            List<VectorEntry> atA = contents(db);
            db.insert(entry("b", 2));
            SnapshotMetadata b = p.createSnapshot("b");
            assertThat(ids(a)).hasSize(2);
            assertThat(ids(b)).containsAll(ids(a)).hasSize(3);
            List<String> allPieces = pieceFiles();

            byte[] intact = Files.readAllBytes(metadataOf(a));
            Files.writeString(metadataOf(a), "{\"version\": 2, \"id\": \"" + a.id() + "\", \"na"); // truncated
            assertThat(p.listSnapshots()).extracting(SnapshotMetadata::id).containsExactly(b.id(), first.id());
            assertThatThrownBy(() -> p.restoreSnapshot(a.id())).isInstanceOf(PersistenceException.class)
                    .hasMessageContaining("snapshot " + a.id() + " cannot be used: its metadata is unreadable")
                    .hasMessageContaining(metadataOf(a).toString());

            // without the fix, these deletions listed no snapshot needing A's pieces and deleted them all
            p.deleteSnapshot(b.id());
            p.deleteSnapshot(first.id());
            assertThat(pieceFiles()).as("A's pieces, and the rest, kept").containsExactlyElementsOf(allPieces);
            db.insert(entry("c", 3));
            SnapshotMetadata c = p.createSnapshot("c"); // a new base: collection is tried again, and refused
            assertThat(pieceFiles()).containsAll(allPieces).containsAll(ids(c));
            assertThat(Files.readString(dir.resolve("audit.log"))).contains("piecesKeptForUnreadableMetadata")
                    .contains(metadataOf(a).getFileName().toString());

            Files.write(metadataOf(a), intact); // repaired by hand
            db.clear();
            p.restoreSnapshot(a.id());
            assertSameContent(db, atA);

            p.deleteSnapshot(c.id()); // a complete listing again: what only b, first and c needed goes
            assertThat(pieceFiles()).containsExactlyInAnyOrderElementsOf(ids(a));
            p.restoreSnapshot(a.id());
            assertSameContent(db, atA);
        }
    }

    @Test
    void aSnapshotWithUnreadableMetadataCanBeDeletedAndThenCollectionResumes() throws IOException {
        VectorDB db = new VectorDB(DIM, Metric.COSINE);
        db.insertBatch(TestStates.entries(40, DIM, 5));
        try (DatabasePersistence p = new DatabasePersistence(db, options())) {
            SnapshotMetadata base = p.createSnapshot("base");
            db.insert(entry("a", 1));
            SnapshotMetadata a = p.createSnapshot("a");
            List<VectorEntry> atA = contents(db);
            db.insert(entry("b", 2));
            SnapshotMetadata b = p.createSnapshot("b");
            List<VectorEntry> atB = contents(db);
            p.deleteSnapshot(base.id()); // its one piece is still needed by a and b
            Files.writeString(metadataOf(b), "not json at all");

            p.deleteSnapshot(b.id()); // given up by its owner: allowed though unreadable

            assertThat(Files.exists(metadataOf(b))).isFalse();
            assertThat(p.listSnapshots()).extracting(SnapshotMetadata::id).containsExactly(a.id());
            // the listing is complete again: b's own delta piece went, a's pieces stayed
            assertThat(pieceFiles()).containsExactlyInAnyOrderElementsOf(ids(a));
            assertThat(ids(b)).hasSize(3);
            db.clear();
            p.restoreSnapshot(a.id());
            assertSameContent(db, atA);
            assertThat(atB).hasSize(atA.size() + 1);
            assertThatThrownBy(() -> p.deleteSnapshot(b.id())).isInstanceOf(PersistenceException.class)
                    .hasMessageContaining("no snapshot with id");
        }
    }
}
