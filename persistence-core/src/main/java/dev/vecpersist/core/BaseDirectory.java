package dev.vecpersist.core;

import dev.vecpersist.api.PersistenceException;
import dev.vecpersist.core.io.AtomicFile;
import dev.vecpersist.core.io.Directories;
import dev.vecpersist.core.io.FileOps;
import dev.vecpersist.core.io.StaleTemps;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A base directory a manager owns: its lock, the names of the files in it (the manifest, bases and
 * deltas), and the temporary files an interrupted write left in it. Which state files may be deleted
 * is not decided here but by {@link UnreferencedFileDeleter}.
 */
final class BaseDirectory implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BaseDirectory.class);

    private final Path path;
    private final FileOps ops;
    private final DirectoryLock lock;

    private BaseDirectory(Path path, FileOps ops, DirectoryLock lock) {
        this.path = path;
        this.ops = ops;
        this.lock = lock;
    }

    /**
     * Creates the directory durably if needed and takes its lock.
     *
     * @throws PersistenceException when it is unusable or in use by another manager
     */
    static BaseDirectory openOwned(FileOps ops, Path dir) {
        try {
            Directories.createDurably(ops, dir);
        } catch (IOException e) {
            throw new PersistenceException("cannot use base directory: " + e.getMessage(), dir, e);
        }
        return new BaseDirectory(dir, ops, DirectoryLock.acquire(dir));
    }

    Path path() {
        return path;
    }

    FileOps ops() {
        return ops;
    }

    Path manifestFile() {
        return path.resolve(Manifest.FILE_NAME);
    }

    /** {@return the file a name of this directory's manifest stands for} */
    Path resolve(String fileName) {
        return path.resolve(fileName);
    }

    Path baseFile(long generation, String extension) {
        return resolve(Manifest.baseFileName(generation, extension));
    }

    Path deltaFile(long generation, int delta, String extension) {
        return resolve(Manifest.deltaFileName(generation, delta, extension));
    }

    /** Removes the temporary files of writes into this directory (the lock proves none is running). */
    void removeTemporaryLeftovers() {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(path)) {
            for (Path f : files) {
                if (AtomicFile.isTemp(f)) {
                    LOG.info("removing leftover of an interrupted save: {}", f);
                    deleteQuietly(ops, f);
                }
            }
        } catch (IOException e) {
            LOG.warn("could not scan {} for leftovers: {}", path, e.getMessage());
        }
    }

    /** Removes what writes of {@code target} killed in mid-write left beside it (no live process owns them). */
    static void removeStaleTemps(FileOps ops, Path target) {
        try {
            for (Path f : StaleTemps.remove(ops, target)) {
                LOG.info("removed a temporary file of an interrupted save of {}: {}", target.getFileName(), f);
            }
        } catch (IOException e) {
            LOG.warn("could not remove stale temporary files of {}: {}", target, e.getMessage());
        }
    }

    /** Deletes a file, logging instead of failing: what it is called for is already done or undone. */
    static void deleteQuietly(FileOps ops, Path f) {
        try {
            ops.deleteIfExists(f);
        } catch (IOException e) {
            LOG.warn("could not delete {}: {}", f, e.getMessage());
        }
    }

    /** Releases the lock; closing twice is harmless. */
    @Override
    public void close() {
        lock.close();
    }
}
