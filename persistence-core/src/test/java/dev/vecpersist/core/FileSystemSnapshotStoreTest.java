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
}
