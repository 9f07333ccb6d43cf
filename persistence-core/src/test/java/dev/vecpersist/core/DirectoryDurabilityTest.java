package dev.vecpersist.core;

import dev.vecpersist.api.Metric;
import dev.vecpersist.api.VectorEntry;
import dev.vecpersist.core.io.FileOps;
import dev.vecpersist.core.io.ForwardingFileOps;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 15, item 5: every directory the library creates (the base directory, its new parents,
 * {@code snapshots/}, an export's new directory) is fsynced in its parent before the operation
 * that created it reports success, and before anything is written into it.
 */
class DirectoryDurabilityTest {

    @TempDir
    Path tmp;

    /** The real file system, recording each operation in order. */
    static final class RecordingFileOps extends ForwardingFileOps {
        final List<String> log = new CopyOnWriteArrayList<>();

        @Override
        public WritableFile create(Path file) throws IOException {
            log.add("create " + file);
            return SYSTEM.create(file);
        }

        @Override
        public void atomicMove(Path from, Path to) throws IOException {
            log.add("move " + to);
            SYSTEM.atomicMove(from, to);
        }

        @Override
        public void syncDirectory(Path dir) throws IOException {
            log.add("syncdir " + dir);
            SYSTEM.syncDirectory(dir);
        }

        @Override
        public void createDirectory(Path dir) throws IOException {
            log.add("mkdir " + dir);
            SYSTEM.createDirectory(dir);
        }

    }

    @Test
    void eachNewDirectoryIsSyncedInItsParentBeforeSuccessAndBeforeUse() {
        RecordingFileOps ops = new RecordingFileOps();
        Path base = tmp.resolve("a").resolve("b").resolve("base");
        VectorDB db = new VectorDB(2, Metric.COSINE);
        db.insert(new VectorEntry("x", new float[] {1, 2}, Map.of()));
        try (DatabasePersistence p = new DatabasePersistence(db, PersistenceOptions.builder().baseDir(base).fileOps(ops).build())) {
            // the constructor returned: the three new directories are durable
            assertThat(List.copyOf(ops.log)).containsExactly(
                    "mkdir " + tmp.resolve("a"), "syncdir " + tmp,
                    "mkdir " + tmp.resolve("a/b"), "syncdir " + tmp.resolve("a"),
                    "mkdir " + base, "syncdir " + tmp.resolve("a/b"));
            p.save();
            p.createSnapshot("s");
            p.export(ExportOptions.to(tmp.resolve("exports/new/file.json")).build());
        }
        assertSyncedBeforeUse(ops.log, base.resolve("snapshots"));
        assertSyncedBeforeUse(ops.log, tmp.resolve("exports"));
        assertSyncedBeforeUse(ops.log, tmp.resolve("exports/new"));
    }

    /** {@code mkdir dir}, then {@code syncdir parent}, then (only then) the first file created in it. */
    private static void assertSyncedBeforeUse(List<String> log, Path dir) {
        int made = log.indexOf("mkdir " + dir);
        assertThat(made).as("%s was created through FileOps", dir).isNotNegative();
        int synced = log.subList(made, log.size()).indexOf("syncdir " + dir.getParent());
        assertThat(synced).as("the parent of %s was synced after it was created", dir).isPositive();
        int firstUse = -1;
        for (int i = made; i < log.size(); i++) {
            if (log.get(i).startsWith("create " + dir + "/")) {
                firstUse = i;
                break;
            }
        }
        assertThat(firstUse).as("a file was written in %s", dir).isPositive();
        assertThat(made + synced).as("%s synced in its parent before its first file", dir).isLessThan(firstUse);
    }
}
