package dev.vecpersist.core;

import dev.vecpersist.api.SnapshotMetadata;
import dev.vecpersist.api.SnapshotStore;
import dev.vecpersist.core.io.FileOps;
import dev.vecpersist.core.snapshot.FileSystemSnapshotStore;
import dev.vecpersist.testkit.Fixtures;
import dev.vecpersist.testkit.SnapshotStoreContract;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class FileSystemSnapshotStoreTest extends SnapshotStoreContract {

    @TempDir
    Path dir;

    @Override
    protected SnapshotStore openStore() throws IOException {
        return new FileSystemSnapshotStore(dir.resolve("snapshots"), FileOps.SYSTEM);
    }

    @Override
    protected byte[] readMetadataDocument(String id) throws IOException {
        return Files.readAllBytes(dir.resolve("snapshots").resolve(id + ".meta.json"));
    }

    @Override
    protected void writeMetadataDocument(String id, byte[] document) throws IOException {
        Files.write(dir.resolve("snapshots").resolve(id + ".meta.json"), document);
    }

    @Test
    void theProviderOpensTheDirectoryOfItsSettingAndNeedsOne() throws IOException {
        SnapshotStore.Provider provider = new FileSystemSnapshotStore.Provider();
        Path custom = dir.resolve("custom");
        try (SnapshotStore store = provider.open(java.util.Map.of(FileSystemSnapshotStore.DIR_SETTING, custom.toString()))) {
            try (SnapshotStore.Upload upload = store.begin()) {
                upload.data().write(data(10, 1));
                upload.commit(new SnapshotMetadata(upload.id(), "x", java.time.Instant.now(), 1, 1, "json", "none", 10,
                        "00", java.util.Map.of()));
                assertThat(custom.resolve(upload.id() + ".data")).exists();
            }
            assertThat(store.list()).singleElement().extracting(SnapshotMetadata::name).isEqualTo("x");
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> provider.open(java.util.Map.of()))
                .isInstanceOf(dev.vecpersist.api.PersistenceException.class).hasMessageContaining("'dir'");
    }

    @Test
    void aCrashBetweenDataAndMetadataListsNothingAndIsCleanedOnOpen() throws IOException {
        FaultyFileOps faulty = new FaultyFileOps();
        Path snapshots = dir.resolve("crashy");
        FileSystemSnapshotStore crashy = new FileSystemSnapshotStore(snapshots, faulty);
        // the data file's rename is the 1st move; the metadata's is the 2nd: fail that one
        faulty.failStep(FaultyFileOps.Step.MOVE, 2);
        SnapshotStore.Upload upload = crashy.begin();
        upload.data().write(data(1000, 1));
        try {
            upload.commit(new SnapshotMetadata(upload.id(), "x", java.time.Instant.now(), 1, 1, "json", "none", 1000,
                    "00", java.util.Map.of()));
        } catch (IOException expected) {
            // simulate the crash: no close(), the process is gone
        }
        assertThat(Files.exists(snapshots.resolve(upload.id() + ".data"))).isTrue();
        assertThat(crashy.list()).isEmpty();
        FileSystemSnapshotStore readOnly = new FileSystemSnapshotStore(snapshots, FileOps.SYSTEM);
        assertThat(readOnly.list()).isEmpty();
        assertThat(Files.exists(snapshots.resolve(upload.id() + ".data"))).as("only the owner cleans").isTrue();
        FileSystemSnapshotStore reopened = FileSystemSnapshotStore.openAsOwner(snapshots, FileOps.SYSTEM);
        assertThat(reopened.list()).isEmpty();
        try (var files = Files.list(snapshots)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void theListingReportsMetadataWithoutItsDataFileButNotFilesItNeverWrites() throws IOException {
        SnapshotMetadata kept = put("kept", data(10, 2), 1_000);
        SnapshotMetadata orphan = put("orphan", data(10, 3), 2_000);
        Path snapshots = dir.resolve("snapshots");
        Files.delete(snapshots.resolve(orphan.id() + ".data"));
        Files.writeString(snapshots.resolve("notes.meta.json"), "{not a snapshot");

        dev.vecpersist.api.SnapshotListing listing = store.listing();
        assertThat(listing.snapshots()).containsExactly(kept);
        assertThat(listing.unreadable()).singleElement().satisfies(u -> {
            assertThat(u.id()).isEqualTo(orphan.id());
            assertThat(u.location()).isEqualTo(snapshots.resolve(orphan.id() + ".meta.json").toAbsolutePath().toString());
            assertThat(u.reason()).isEqualTo("its data file " + orphan.id() + ".data is missing");
        });
        assertThat(store.list()).containsExactly(kept);
    }

    @Test
    void readsTheReferenceModulesSnapshots() throws IOException {
        Path copy = dir.resolve("ref");
        Files.createDirectories(copy);
        try (var files = Files.list(Fixtures.referenceModule().resolve("snapshots"))) {
            for (Path f : files.toList()) {
                Files.copy(f, copy.resolve(f.getFileName()));
            }
        }
        FileSystemSnapshotStore ref = new FileSystemSnapshotStore(copy, FileOps.SYSTEM);
        assertThat(ref.list()).singleElement().satisfies(m -> {
            assertThat(m.name()).isEqualTo("seed-snapshot");
            assertThat(m.vectorCount()).isEqualTo(20);
            assertThat(m.compression()).isEqualTo("none");
            assertThat(m.fileSize()).isEqualTo(15730);
        });
    }

    @Test
    void listsByCreationSequenceAndOlderDocumentsWithoutOneByTimeThenId() throws IOException {
        Path snapshots = dir.resolve("mixed");
        FileSystemSnapshotStore store = FileSystemSnapshotStore.openAsOwner(snapshots, FileOps.SYSTEM);
        java.time.Instant t = java.time.Instant.parse("2026-01-01T00:00:00Z");
        // written by an earlier version: no sequence, ordered by time then id
        legacy(snapshots, "00000000-0000-0000-0000-00000000000b", "old-b", t.plusSeconds(10));
        legacy(snapshots, "00000000-0000-0000-0000-00000000000a", "old-a", t.plusSeconds(10));
        legacy(snapshots, "00000000-0000-0000-0000-00000000000c", "old-c", t.plusSeconds(5));
        // the store's own, with a clock that goes backwards: the creation order wins
        String first = commit(store, "new-1", t.plusSeconds(100));
        String second = commit(store, "new-2", t.minusSeconds(100));
        assertThat(store.list()).extracting(SnapshotMetadata::name)
                .containsExactly("new-2", "new-1", "old-b", "old-a", "old-c");
        assertThat(new FileSystemSnapshotStore(snapshots, FileOps.SYSTEM).list()).extracting(SnapshotMetadata::id)
                .startsWith(second, first);
    }

    private static String commit(SnapshotStore store, String name, java.time.Instant at) throws IOException {
        try (SnapshotStore.Upload upload = store.begin()) {
            upload.data().write(new byte[] {1, 2, 3});
            return upload.commit(new SnapshotMetadata(upload.id(), name, at, 1, 1, "json", "none", 3, "00",
                    java.util.Map.of())).id();
        }
    }

    private static void legacy(Path snapshots, String id, String name, java.time.Instant at) throws IOException {
        Files.write(snapshots.resolve(id + ".data"), new byte[] {1, 2, 3});
        try (java.io.OutputStream out = Files.newOutputStream(snapshots.resolve(id + ".meta.json"))) {
            dev.vecpersist.json.SnapshotMetadataJson.write(new SnapshotMetadata(id, name, at, 1, 1, "json", "none",
                    3, "00", java.util.Map.of()), out);
        }
    }
}
