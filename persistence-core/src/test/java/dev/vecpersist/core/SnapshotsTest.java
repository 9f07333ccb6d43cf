package dev.vecpersist.core;

import dev.vecpersist.api.CorruptedStateException;
import dev.vecpersist.api.Metric;
import dev.vecpersist.api.PersistenceException;
import dev.vecpersist.api.SnapshotMetadata;
import dev.vecpersist.api.VectorEntry;
import dev.vecpersist.testkit.TestStates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static dev.vecpersist.core.DbAssertions.assertSameContent;
import static dev.vecpersist.core.DbAssertions.contents;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SnapshotsTest {

    @TempDir
    Path dir;

    private PersistenceOptions.Builder opts() {
        return PersistenceOptions.builder().baseDir(dir).format("json").compression("gzip");
    }

    @Test
    void createsListsRestoresAndDeletes() throws Exception {
        VectorDB db = new VectorDB(8, Metric.COSINE);
        db.insertBatch(TestStates.mixedMetadataEntries(300, 8, 1));
        List<VectorEntry> before = contents(db);
        try (DatabasePersistence p = new DatabasePersistence(db, opts().build())) {
            SnapshotMetadata s = p.createSnapshot("before-update", Map.of("note", "nightly"));
            assertThat(s.name()).isEqualTo("before-update");
            assertThat(s.vectorCount()).isEqualTo(300);
            assertThat(s.dimension()).isEqualTo(8);
            assertThat(s.format()).isEqualTo("json");
            assertThat(s.compression()).isEqualTo("gzip");
            assertThat(s.metadata()).isEqualTo(Map.of("note", "nightly"));
            Path data = dir.resolve("snapshots").resolve(s.id() + ".data");
            assertThat(s.fileSize()).isEqualTo(Files.size(data));
            assertThat(s.checksum()).isEqualTo(HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(data))));

            db.clear();
            db.insertBatch(TestStates.entries(5, 8, 2));
            SnapshotMetadata later = p.createSnapshot("after", Map.of());
            assertThat(p.listSnapshots()).extracting(SnapshotMetadata::id).containsExactly(later.id(), s.id());

            p.restoreSnapshot(s.id());
            assertSameContent(db, before);

            p.deleteSnapshot(s.id());
            assertThat(p.listSnapshots()).extracting(SnapshotMetadata::id).containsExactly(later.id());
            p.restoreSnapshot(later.id());
            assertThat(db.size()).isEqualTo(5);
        }
    }

    @Test
    void retentionKeepsTheNewestMaxSnapshots() {
        VectorDB db = new VectorDB(2, Metric.DOT);
        try (DatabasePersistence p = new DatabasePersistence(db, opts().maxSnapshots(3).build())) {
            for (int i = 0; i < 5; i++) {
                db.insert(new VectorEntry("v" + i, new float[] {i, i}));
                p.createSnapshot("s" + i);
            }
            assertThat(p.listSnapshots()).extracting(SnapshotMetadata::name).containsExactly("s4", "s3", "s2");
            p.restoreSnapshot(p.listSnapshots().get(2).id());
            assertThat(db.size()).isEqualTo(3);
        }
    }

    @Test
    void rejectsIdsItDidNotIssueBeforeTouchingAnyFile() throws IOException {
        Path secret = dir.resolve("secret.json");
        Files.writeString(secret, "{}");
        VectorDB db = new VectorDB(2, Metric.DOT);
        try (DatabasePersistence p = new DatabasePersistence(db, opts().build())) {
            p.createSnapshot("real");
            for (String id : List.of("../../etc/passwd", "../secret", secret.toString(), "a/b", "..", "", "x\u0000",
                    "00000000-0000-0000-0000-000000000000")) {
                assertThatThrownBy(() -> p.restoreSnapshot(id)).as(id).isInstanceOf(PersistenceException.class);
                assertThatThrownBy(() -> p.deleteSnapshot(id)).as(id).isInstanceOf(PersistenceException.class);
            }
            assertThat(p.listSnapshots()).hasSize(1);
        }
        assertThat(secret).exists();
    }

    @Test
    void restoreVerifiesTheSha256AndIsAllOrNothing() throws IOException {
        VectorDB db = new VectorDB(4, Metric.COSINE);
        db.insertBatch(TestStates.entries(50, 4, 3));
        try (DatabasePersistence p = new DatabasePersistence(db, opts().build())) {
            SnapshotMetadata s = p.createSnapshot("x");
            Path data = dir.resolve("snapshots").resolve(s.id() + ".data");
            byte[] bytes = Files.readAllBytes(data);
            bytes[bytes.length / 2] ^= 0x40;
            Files.write(data, bytes);
            db.insert(new VectorEntry("extra", new float[] {1, 2, 3, 4}));
            List<VectorEntry> before = contents(db);
            assertThatThrownBy(() -> p.restoreSnapshot(s.id())).isInstanceOf(CorruptedStateException.class)
                    .hasMessageContaining("SHA-256");
            assertSameContent(db, before);
        }
    }

    @Test
    void restoresASnapshotTakenInAnotherFormatAndCodec() {
        VectorDB db = new VectorDB(4, Metric.COSINE);
        db.insertBatch(TestStates.entries(20, 4, 4));
        List<VectorEntry> before = contents(db);
        String id;
        try (DatabasePersistence p = new DatabasePersistence(db, opts().compression("none").build())) {
            id = p.createSnapshot("plain json").id();
        }
        db.clear();
        try (DatabasePersistence p = new DatabasePersistence(db, opts().compression("gzip").build())) {
            p.restoreSnapshot(id);
        }
        assertSameContent(db, before);
    }
}
