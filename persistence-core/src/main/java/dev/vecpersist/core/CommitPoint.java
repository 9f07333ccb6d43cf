package dev.vecpersist.core;

import dev.vecpersist.api.PersistenceException;
import dev.vecpersist.core.crypto.Encryption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;

/**
 * The committed state of a base directory (Lucene's {@code SegmentInfos}): the manifest in force,
 * the generation the next base gets, and the commit that replaces the manifest atomically, undone
 * when it fails. Files no version the new manifest retains lists go through the {@link UnreferencedFileDeleter}
 * only after the commit is durable; then the {@code afterCommit} hook (the publisher, when commits are
 * published to an object store) is told of it. Not thread-safe: the manager calls it under its operation lock.
 */
final class CommitPoint {

    private static final Logger LOG = LoggerFactory.getLogger(CommitPoint.class);

    private final BaseDirectory dir;
    private final Encryption encryption;
    private final Clock clock;
    private final UnreferencedFileDeleter deleter;
    /** Which versions each commit keeps in the manifest's history. */
    private final HistoryPolicy history;
    /** Told of each manifest committed; it must not throw (a commit is done when the manifest is durable). */
    private final java.util.function.Consumer<Manifest> afterCommit;
    /** The manifest in force, once read or committed here; null before. */
    private Manifest committed;

    CommitPoint(BaseDirectory dir, Encryption encryption, Clock clock, UnreferencedFileDeleter deleter) {
        this(dir, encryption, clock, deleter, m -> { });
    }

    CommitPoint(BaseDirectory dir, Encryption encryption, Clock clock, UnreferencedFileDeleter deleter,
                java.util.function.Consumer<Manifest> afterCommit) {
        this(dir, encryption, clock, deleter, afterCommit, HistoryPolicy.latestOnly());
    }

    CommitPoint(BaseDirectory dir, Encryption encryption, Clock clock, UnreferencedFileDeleter deleter,
                java.util.function.Consumer<Manifest> afterCommit, HistoryPolicy history) {
        this.history = history;
        this.dir = dir;
        this.encryption = encryption;
        this.clock = clock;
        this.deleter = deleter;
        this.afterCommit = afterCommit;
    }

    /** {@return the manifest in force, or null when there is none or it cannot be read (logged)} */
    Manifest current() {
        if (committed != null) {
            return committed;
        }
        Path file = dir.manifestFile();
        if (!Files.exists(file)) {
            return null;
        }
        try {
            return Manifest.read(dir.ops(), file, encryption, false);
        } catch (PersistenceException e) {
            LOG.warn("ignoring unreadable manifest {}: {}", file, e.getMessage());
            return null;
        }
    }

    /**
     * Reads the manifest on disk, without adopting it (a load adopts it once its chain is applied).
     *
     * @param acceptUnsealed accept a manifest without HMAC (adopting a directory saved before encryption)
     * @throws PersistenceException when there is none, or it is damaged, swapped or newer than this library
     */
    Manifest read(boolean acceptUnsealed) {
        return Manifest.read(dir.ops(), dir.manifestFile(), encryption, acceptUnsealed);
    }

    /** Makes {@code m}, read from disk and applied, the manifest in force. */
    void adopt(Manifest m) {
        committed = m;
    }

    /**
     * Above the manifest's generation and above every state file on disk (one a damaged or replaced
     * manifest listed must never be overwritten).
     */
    long nextGeneration() {
        Manifest m = current();
        try {
            return Math.max(m == null ? 1 : m.generation() + 1,
                    DamagedManifest.highestGenerationOnDisk(dir.path()) + 1);
        } catch (IOException e) {
            throw new PersistenceException("cannot scan the base directory: " + e.getMessage(), dir.path(), e);
        }
    }

    /**
     * Makes {@code next} the manifest in force, then deletes the files only the previous one listed.
     *
     * @throws PersistenceException when writing it fails; the previous manifest then stays in force and
     *                              the files written for {@code next} are deleted, unless it is in place
     *                              already and only syncing the directory failed
     */
    void commit(Manifest next) {
        Manifest previous = current();
        try {
            if (previous == null && Files.exists(dir.manifestFile(), LinkOption.NOFOLLOW_LINKS)) {
                // unreadable: it may list files we cannot identify, so it is kept and nothing is deleted
                DamagedManifest.moveAside(dir.ops(), dir.path(), Instant.now(clock), false);
            }
            next.write(dir.ops(), dir.path(), encryption);
        } catch (IOException e) {
            committed = null;
            if (next.equals(current())) {
                // renamed into place, but the directory fsync failed: it is the commit now, keep its files
                committed = next;
                throw new PersistenceException("the new state is in place but syncing the directory failed, so it "
                        + "may not survive a power loss: " + e.getMessage(), dir.manifestFile(), e);
            }
            committed = previous;
            deleter.deleteUncommitted(next, previous);
            throw new PersistenceException("committing the manifest failed, the previous state stays: "
                    + e.getMessage(), dir.manifestFile(), e);
        }
        committed = next;
        deleter.deleteSuperseded(previous, next);
        afterCommit.accept(next);
    }

    /**
     * Commits {@code chain} as a new version over the manifest in force: its history gains the
     * version, then the {@link HistoryPolicy} drops the oldest, and the files no retained version
     * names any more are deleted once the manifest is durable (see {@link #commit}).
     *
     * @return the manifest committed
     */
    Manifest commitVersion(VersionHistory.Chain chain, VersionInfo.Kind kind) {
        Manifest next = new Manifest(chain.generation(), chain.base(), chain.deltas(),
                VersionHistory.next(current(), chain, kind, Instant.now(clock), history));
        commit(next);
        return next;
    }

    /** Writes the manifest in force again, sealed under the primary key (nothing else changes). */
    void reseal(Manifest m) throws IOException {
        m.write(dir.ops(), dir.path(), encryption);
        afterCommit.accept(m);
    }

    /** Removes what a crash left: temporary files, and state files the manifest in force provably does not need. */
    void removeLeftovers() {
        dir.removeTemporaryLeftovers();
        deleter.deleteOrphans(current());
    }
}
