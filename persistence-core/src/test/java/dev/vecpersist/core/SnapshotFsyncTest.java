package dev.vecpersist.core;

import dev.vecpersist.api.Metric;
import dev.vecpersist.api.SnapshotMetadata;
import dev.vecpersist.api.VectorEntry;
import dev.vecpersist.core.io.FileOps;
import dev.vecpersist.core.io.ForwardingFileOps;
import dev.vecpersist.core.snapshot.FileSystemSnapshotStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 20 part 2: the fsyncs of a differential snapshot on the file-system store, each one needed
 * and none twice: the piece durable (content, then its directory) before the snapshot's files, and
 * the snapshot's two names made durable by one directory fsync after the metadata's rename.
 */
class SnapshotFsyncTest {

    @TempDir
    Path tmp;

    /** The real file system, recording fsyncs and renames (by kind of file) in order. */
    static final class SyncLog extends ForwardingFileOps {
        final List<String> log = new CopyOnWriteArrayList<>();
        private final Path base;

        SyncLog(Path base) {
            this.base = base;
        }

        private static String kind(Path file) {
            String name = file.getFileName().toString();
            for (String kind : List.of(".piece", ".meta.json", ".data")) {
                if (name.contains(kind)) {
                    return kind.substring(1);
                }
            }
            return name;
        }

        @Override
        public WritableFile create(Path file) throws IOException {
            WritableFile real = SYSTEM.create(file);
            return new WritableFile() {
                @Override
                public OutputStream stream() {
                    return real.stream();
                }

                @Override
                public void sync() throws IOException {
                    log.add("fsync " + kind(file));
                    real.sync();
                }

                @Override
                public void close() throws IOException {
                    real.close();
                }
            };
        }

        @Override
        public void sync(Path file) throws IOException {
            log.add("fsync " + kind(file));
            SYSTEM.sync(file);
        }

        @Override
        public void atomicMove(Path from, Path to) throws IOException {
            log.add("rename " + kind(to));
            SYSTEM.atomicMove(from, to);
        }

        @Override
        public void syncDirectory(Path dir) throws IOException {
            log.add("fsync dir " + base.relativize(dir.toAbsolutePath()));
            SYSTEM.syncDirectory(dir);
        }

    }

    private static VectorEntry entry(String id, float value) {
        return new VectorEntry(id, new float[] {value, 1}, Map.of());
    }

    @Test
    void aDeltaSnapshotFsyncsThePieceThenTheSnapshotFilesAndItsDirectoryOnce() {
        Path base = tmp.resolve("base");
        SyncLog ops = new SyncLog(base.toAbsolutePath());
        VectorDB db = new VectorDB(2, Metric.COSINE);
        for (int i = 0; i < 50; i++) {
            db.insert(entry("e" + i, i));
        }
        try (DatabasePersistence p = new DatabasePersistence(db, PersistenceOptions.builder().baseDir(base).fileOps(ops)
                .snapshotMode(SnapshotMode.DIFFERENTIAL).maxSnapshots(10).build())) {
            p.createSnapshot("base");
            db.insert(entry("new", 1));
            db.delete("e3");
            ops.log.clear();

            SnapshotMetadata delta = p.createSnapshot("delta");

            assertThat(delta.pieces()).hasSize(2);
            assertThat(List.copyOf(ops.log)).containsExactly(
                    "fsync piece", "rename piece", "fsync dir snapshots/pieces",
                    "fsync data", "rename data",
                    "fsync meta.json", "rename meta.json", "fsync dir snapshots");
        }
    }

    @Test
    void aFullSnapshotFsyncsItsDirectoryOnceForBothNames() {
        Path base = tmp.resolve("base");
        SyncLog ops = new SyncLog(base.toAbsolutePath());
        VectorDB db = new VectorDB(2, Metric.COSINE);
        db.insert(entry("a", 1));
        try (DatabasePersistence p = new DatabasePersistence(db, PersistenceOptions.builder().baseDir(base).fileOps(ops)
                .maxSnapshots(10).build())) {
            p.createSnapshot("first");
            ops.log.clear();

            p.createSnapshot("second");

            assertThat(List.copyOf(ops.log)).containsExactly(
                    "fsync data", "rename data", "fsync meta.json", "rename meta.json", "fsync dir snapshots");
        }
    }

    @Test
    void theOwnerRemovesMetadataWhoseDataANameLossTookAndListsOnlyWholeSnapshots() throws IOException {
        Path dir = tmp.resolve("snapshots");
        FileSystemSnapshotStore store = FileSystemSnapshotStore.openAsOwner(dir, FileOps.SYSTEM);
        SnapshotMetadata whole;
        try (var upload = store.begin()) {
            upload.data().write(new byte[] {1, 2, 3});
            whole = upload.commit(new SnapshotMetadata(upload.id(), "whole", java.time.Instant.now(), 0, 2, "json",
                    "none", 3, Sha256.EMPTY, Map.of()));
        }
        SnapshotMetadata lost;
        try (var upload = store.begin()) {
            upload.data();
            lost = upload.commit(new SnapshotMetadata(upload.id(), "lost", java.time.Instant.now(), 0, 2, "json",
                    "none", 0, Sha256.EMPTY, Map.of()));
        }
        // as a power loss before the directory fsync may leave it: the metadata's name, not the data's
        Files.delete(dir.resolve(lost.id() + ".data"));

        assertThat(new FileSystemSnapshotStore(dir, FileOps.SYSTEM).list()).extracting(SnapshotMetadata::id)
                .containsExactly(whole.id());
        assertThat(dir.resolve(lost.id() + ".meta.json")).exists(); // a reader removes nothing

        FileSystemSnapshotStore.openAsOwner(dir, FileOps.SYSTEM);

        assertThat(dir.resolve(lost.id() + ".meta.json")).doesNotExist();
        assertThat(dir.resolve(whole.id() + ".meta.json")).exists();
        assertThat(dir.resolve(whole.id() + ".data")).exists();
    }
}
