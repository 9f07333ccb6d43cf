package dev.vecpersist.core;

import dev.vecpersist.api.ChangeApplying;
import dev.vecpersist.api.ChangeTracking;
import dev.vecpersist.api.CorruptedStateException;
import dev.vecpersist.api.DirectoryChangingException;
import dev.vecpersist.api.PersistableDatabase;
import dev.vecpersist.api.PersistenceException;
import dev.vecpersist.api.ProgressListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Keeps a database at the latest committed version of a directory another process writes, without
 * writing anything there, or of a chain a writer publishes to an object store (a {@link ChainSource}
 * says where the manifest and the files come from). Each step reads the manifest; when it lists the
 * chain held plus new deltas, only those are read and applied ({@link ChangeApplying}); otherwise (a
 * new base, or a database that cannot apply changes) the chain is reloaded. Either way everything is read and checked before the
 * database switches, in one step, to the new version.
 *
 * <p>A writer may delete or replace files between the manifest read and their opening (compaction).
 * A read that fails is therefore retried with a fresh manifest when the manifest changed meanwhile,
 * at most {@link #MAX_ATTEMPTS} times; when it did not change, the failure is the truth about the
 * directory and is thrown as it is. Not thread-safe: the manager calls it under its operation lock.
 */
final class ChainFollower {

    private static final Logger LOG = LoggerFactory.getLogger(ChainFollower.class);

    /** Reads of the manifest and its chain before the directory is declared changing too fast. */
    static final int MAX_ATTEMPTS = 10;

    private final PersistableDatabase db;
    private final ChainSource source;
    private final ChainLoader loader;
    private final PersistenceOptions options;
    private final Clock clock;
    private final Instant openedAt;
    private final List<ReplicaListener> listeners = new CopyOnWriteArrayList<>();
    /** The manifest whose chain the database holds, or null before the first load. */
    private volatile Manifest held;
    /** The database's change sequence right after the last switch, or -1 when unknown. */
    private long heldSequence = -1;
    /** When the last manifest read began that found the database current (or made it so); null before. */
    private volatile Instant confirmedAt;

    ChainFollower(PersistableDatabase db, ChainSource source, ChainLoader loader, PersistenceOptions options) {
        this.db = db;
        this.source = source;
        this.loader = loader;
        this.options = options;
        this.clock = options.clock();
        this.openedAt = clock.instant();
    }

    void addListener(ReplicaListener listener) {
        listeners.add(java.util.Objects.requireNonNull(listener, "listener"));
    }

    void removeListener(ReplicaListener listener) {
        listeners.remove(listener);
    }

    /** {@return the manifest whose chain the database holds, or null before the first load} */
    Manifest held() {
        return held;
    }

    /**
     * The database was replaced by something other than a committed version (an older version was
     * loaded): it holds no version now, and the next refresh loads the latest in full.
     */
    void forget() {
        held = null;
        heldSequence = -1;
    }

    /** {@return the version the database holds, empty before the first load} */
    Optional<CommitVersion> version() {
        Manifest m = held;
        return m == null ? Optional.empty() : Optional.of(CommitVersion.of(m));
    }

    /**
     * How far behind the directory the database may be: every commit made more than this long ago is
     * in it. It is the time since the start of the last manifest read that found the database current
     * or made it so (before any, since the manager was opened).
     */
    Duration lag() {
        Instant since = confirmedAt == null ? openedAt : confirmedAt;
        Duration d = Duration.between(since, clock.instant());
        return d.isNegative() ? Duration.ZERO : d;
    }

    /**
     * Loads the latest committed version in full, whatever the database holds.
     *
     * @throws PersistenceException when nothing was committed, or the chain cannot be read
     */
    ReplicaListener.Applied load(ProgressListener listener) {
        return step(true, listener).orElseThrow();
    }

    /**
     * Switches the database to the latest committed version if it holds an older one.
     *
     * @return what was applied, or empty when it was current (or nothing is committed yet)
     */
    Optional<ReplicaListener.Applied> refresh() {
        return step(false, ProgressListener.NONE);
    }

    private Optional<ReplicaListener.Applied> step(boolean fullLoad, ProgressListener listener) {
        long started = System.nanoTime();
        PersistenceException last = null;
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            Instant readAt = clock.instant();
            Optional<Manifest> read;
            try {
                read = source.readManifest();
            } catch (CorruptedStateException e) {
                // a store whose overwrites are not atomic (S3Mock, some S3-compatible servers) can serve a
                // manifest while it is being replaced: read it again; one that stays damaged is reported as it is
                if (attempt == MAX_ATTEMPTS) {
                    throw e;
                }
                LOG.debug("{}: unreadable manifest (attempt {}), reading it again: {}", source.describe(), attempt,
                        e.getMessage());
                pause(attempt);
                continue;
            }
            if (read.isEmpty()) {
                if (fullLoad || held != null) {
                    throw new PersistenceException("no manifest: nothing has been saved here"
                            + (source.describe().equals(source.where().toString()) ? "" : " (" + source.describe() + ")"),
                            source.where().resolve(Manifest.FILE_NAME), null);
                }
                confirmedAt = readAt; // nothing committed: nothing to miss
                return Optional.empty();
            }
            Manifest m = read.get();
            if (!fullLoad && m.equals(held) && !drifted()) {
                confirmedAt = readAt;
                return Optional.empty();
            }
            ReplicaListener.Applied applied;
            try {
                applied = apply(m, fullLoad, attempt, started, listener);
            } catch (PersistenceException e) {
                if (!changedSince(m)) {
                    throw e;
                }
                LOG.debug("{} changed while reading {} (attempt {}): {}", source.describe(), CommitVersion.of(m),
                        attempt, e.getMessage());
                last = e;
                pause(attempt);
                continue;
            }
            confirmedAt = readAt;
            notifyApplied(applied);
            return Optional.of(applied);
        }
        throw new DirectoryChangingException(source.where(), MAX_ATTEMPTS, last);
    }

    /** Reads what {@code m} adds to the chain held (or all of it) and switches the database to it. */
    private ReplicaListener.Applied apply(Manifest m, boolean fullLoad, int attempt, long started,
                                          ProgressListener listener) {
        Manifest from = held;
        if (!fullLoad && db instanceof ChangeApplying applying && extendsHeld(from, m) && !drifted()) {
            List<Manifest.FileRef> added = m.deltas().subList(from.deltas().size(), m.deltas().size());
            ProgressReporter progress = new ProgressReporter("refresh", 0, ProgressListener.NONE, options.batchSize());
            ChainLoader.Changes changes = loader.stageDeltas(source.fetch(m, added), added, progress);
            switched(m, applying.applyChanges(changes.upserts(), changes.deletions()));
            return new ReplicaListener.Applied(CommitVersion.of(m), false, changes.upserts().size(),
                    changes.deletions().size(), attempt, Duration.ofNanos(System.nanoTime() - started));
        }
        if (from != null && db instanceof ChangeApplying && m.generation() == from.generation() && drifted()) {
            LOG.warn("the database of the read-only manager on {} was changed by someone else; reloading it",
                    source.describe());
        }
        List<Manifest.FileRef> all = new java.util.ArrayList<>();
        all.add(m.base());
        all.addAll(m.deltas());
        switched(m, loader.loadChain(source.fetch(m, all), m, listener));
        return new ReplicaListener.Applied(CommitVersion.of(m), true, db.size(), 0, attempt,
                Duration.ofNanos(System.nanoTime() - started));
    }

    /** Whether {@code next} is {@code held} with more deltas (same base, the held deltas unchanged). */
    private static boolean extendsHeld(Manifest held, Manifest next) {
        return held != null && held.generation() == next.generation() && held.base().equals(next.base())
                && next.deltas().size() > held.deltas().size()
                && next.deltas().subList(0, held.deltas().size()).equals(held.deltas());
    }

    private void switched(Manifest m, long sequence) {
        held = m;
        heldSequence = sequence;
        if (sequence >= 0 && db instanceof ChangeTracking tracking) {
            tracking.changesSaved(sequence); // the content is committed: nothing of it needs saving
        }
        source.applied(m);
    }

    /** Whether the database was written since the last switch (by someone other than this follower). */
    private boolean drifted() {
        return heldSequence >= 0 && db instanceof ChangeTracking tracking && tracking.currentSequence() != heldSequence;
    }

    /** Whether the manifest in force is no longer {@code m} (then a failed read of {@code m}'s chain proves nothing). */
    private boolean changedSince(Manifest m) {
        try {
            return !source.readManifest().map(m::equals).orElse(false);
        } catch (PersistenceException e) {
            LOG.debug("re-reading the manifest of {} failed: {}", source.describe(), e.getMessage());
            return false;
        }
    }

    /** Gives the writer a moment to finish what it is replacing. */
    private void pause(int attempt) {
        try {
            Thread.sleep(Math.min(5L * attempt, 50L));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PersistenceException("interrupted while re-reading the manifest", source.where(), e);
        }
    }

    private void notifyApplied(ReplicaListener.Applied applied) {
        for (ReplicaListener l : listeners) {
            try {
                l.onApplied(applied);
            } catch (RuntimeException e) {
                LOG.warn("a replica listener threw on version {}", applied.version(), e);
            }
        }
    }

    void notifyError(Throwable error) {
        for (ReplicaListener l : listeners) {
            try {
                l.onError(error);
            } catch (RuntimeException e) {
                LOG.warn("a replica listener threw on an error", e);
            }
        }
    }
}
