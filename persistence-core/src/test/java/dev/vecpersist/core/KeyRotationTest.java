package dev.vecpersist.core;

import dev.vecpersist.api.EncryptionException;
import dev.vecpersist.api.Metric;
import dev.vecpersist.api.SnapshotMetadata;
import dev.vecpersist.api.VectorEntry;
import dev.vecpersist.core.crypto.EncryptionKeys;
import dev.vecpersist.core.crypto.Envelope;
import dev.vecpersist.testkit.TestStates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.vecpersist.core.DbAssertions.assertSameContent;
import static dev.vecpersist.core.DbAssertions.contents;
import static dev.vecpersist.core.EncryptionTest.KEY1;
import static dev.vecpersist.core.EncryptionTest.KEY2;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KeyRotationTest {

    @TempDir
    Path dir;

    private PersistenceOptions opts(EncryptionKeys keys) {
        return PersistenceOptions.builder().baseDir(dir).format("json").compression("gzip").encryption(keys).build();
    }

    @Test
    void reencryptMovesTheChainAndSnapshotsToThePrimaryKeySoOlderKeysCanBeDropped() throws IOException {
        VectorDB db = new VectorDB(8, Metric.COSINE);
        db.insertBatch(TestStates.mixedMetadataEntries(100, 8, 1));
        SnapshotMetadata snap;
        try (DatabasePersistence p = new DatabasePersistence(db, opts(EncryptionKeys.of("k1", KEY1)))) {
            p.save();
            db.insert(new VectorEntry("late", new float[8]));
            p.saveIncremental();
            snap = p.createSnapshot("s", Map.of("n", 1L));
        }
        List<VectorEntry> expected = contents(db);
        try (DatabasePersistence p = new DatabasePersistence(db, opts(EncryptionKeys.of("k2", KEY2).withOlder("k1", KEY1)))) {
            List<Path> before = p.committedFiles();
            p.reencrypt();
            List<Path> after = p.committedFiles();
            assertThat(after).hasSize(2).doesNotContainAnyElementsOf(before);
            assertThat(before).noneMatch(Files::exists);
            for (Path f : after) {
                assertThat(keyIdOf(f)).isEqualTo("k2");
            }
            List<SnapshotMetadata> snaps = p.listSnapshots();
            assertThat(snaps).hasSize(1);
            assertThat(snaps.get(0).name()).isEqualTo("s");
            assertThat(snaps.get(0).metadata()).isEqualTo(Map.of("n", 1L));
            assertThat(snaps.get(0).timestamp()).isEqualTo(snap.timestamp());
            assertThat(keyIdOf(dir.resolve("snapshots").resolve(snaps.get(0).id() + ".data"))).isEqualTo("k2");
            p.reencrypt(); // nothing left to do: same files
            assertThat(p.committedFiles()).isEqualTo(after);
        }
        VectorDB loaded = new VectorDB(8, Metric.COSINE);
        try (DatabasePersistence p = new DatabasePersistence(loaded, opts(EncryptionKeys.of("k2", KEY2)))) {
            p.load();
            assertSameContent(loaded, expected);
            loaded.clear();
            p.restoreSnapshot(p.listSnapshots().get(0).id());
            assertSameContent(loaded, expected);
        }
        try (DatabasePersistence p = new DatabasePersistence(loaded, opts(EncryptionKeys.of("k1", KEY1)))) {
            assertThatThrownBy(p::load).isInstanceOf(EncryptionException.class).hasMessageContaining("'k2'");
        }
    }

    @Test
    void reencryptAdoptsADirectorySavedBeforeEncryption() throws IOException {
        VectorDB db = new VectorDB(8, Metric.COSINE);
        db.insertBatch(TestStates.entries(50, 8, 4));
        try (DatabasePersistence p = new DatabasePersistence(db, opts(null))) {
            p.save();
            p.createSnapshot("plain");
        }
        List<VectorEntry> expected = contents(db);
        VectorDB loaded = new VectorDB(8, Metric.COSINE);
        try (DatabasePersistence p = new DatabasePersistence(loaded, opts(EncryptionKeys.of("k1", KEY1)))) {
            assertThatThrownBy(p::load).hasMessageContaining("not authenticated");
            p.reencrypt();
            p.load();
            assertSameContent(loaded, expected);
            assertThat(keyIdOf(p.committedFiles().get(0))).isEqualTo("k1");
        }
    }

    @Test
    void anInterruptedSnapshotRotationIsCompletedByTheNextOne() throws IOException {
        VectorDB db = new VectorDB(8, Metric.COSINE);
        db.insertBatch(TestStates.entries(10, 8, 4));
        try (DatabasePersistence p = new DatabasePersistence(db, opts(EncryptionKeys.of("k1", KEY1)))) {
            p.save();
            p.createSnapshot("one");
        }
        Path snapshots = dir.resolve("snapshots");
        // simulate a crash after the re-encrypted copy was committed but before the old one was deleted
        Path saved = Files.createTempDirectory("old-snapshot");
        try (var files = Files.list(snapshots)) {
            for (Path f : files.toList()) {
                Files.copy(f, saved.resolve(f.getFileName()));
            }
        }
        try (DatabasePersistence p = new DatabasePersistence(db, opts(EncryptionKeys.of("k2", KEY2).withOlder("k1", KEY1)))) {
            p.reencrypt();
        }
        try (var files = Files.list(saved)) {
            for (Path f : files.toList()) {
                Files.copy(f, snapshots.resolve(f.getFileName()));
            }
        }
        try (DatabasePersistence p = new DatabasePersistence(db, opts(EncryptionKeys.of("k2", KEY2).withOlder("k1", KEY1)))) {
            assertThat(p.listSnapshots()).hasSize(2);
            p.reencrypt();
            List<SnapshotMetadata> left = p.listSnapshots();
            assertThat(left).hasSize(1);
            assertThat(keyIdOf(snapshots.resolve(left.get(0).id() + ".data"))).isEqualTo("k2");
        }
    }

    @Test
    void reencryptNeverOverwritesAStateFileAManifestKeptAsideMayList() throws IOException {
        VectorDB db = new VectorDB(8, Metric.COSINE);
        db.insertBatch(TestStates.entries(30, 8, 6));
        try (DatabasePersistence p = new DatabasePersistence(db, opts(EncryptionKeys.of("k1", KEY1)))) {
            p.save(); // generation 1
        }
        // a later generation on disk that a damaged manifest, kept aside, may list: never removed, never overwritten
        Path later = dir.resolve(Manifest.baseFileName(2, "json.gz"));
        Files.writeString(later, "listed by the damaged manifest");
        Files.writeString(dir.resolve(DamagedManifest.CORRUPT_PREFIX + "20260101T000000.000Z"), "{");
        List<VectorEntry> expected = contents(db);
        try (DatabasePersistence p = new DatabasePersistence(db, opts(EncryptionKeys.of("k2", KEY2).withOlder("k1", KEY1)))) {
            p.reencrypt();
            assertThat(p.committedFiles()).extracting(f -> f.getFileName().toString())
                    .containsExactly(Manifest.baseFileName(3, "json.gz"));
        }
        assertThat(Files.readString(later)).isEqualTo("listed by the damaged manifest");
        VectorDB loaded = new VectorDB(8, Metric.COSINE);
        try (DatabasePersistence p = new DatabasePersistence(loaded, opts(EncryptionKeys.of("k2", KEY2)))) {
            p.load();
            assertSameContent(loaded, expected);
        }
    }

    static String keyIdOf(Path file) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            return Envelope.readKeyId(in, file);
        }
    }
}
