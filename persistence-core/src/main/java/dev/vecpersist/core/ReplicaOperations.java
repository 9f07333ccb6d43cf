package dev.vecpersist.core;

import dev.vecpersist.api.PersistenceException;

import java.time.Duration;
import java.util.Optional;

/**
 * A replica's side of a {@link DatabasePersistence} opened read-only
 * ({@link DatabasePersistence#openReadOnly} or {@link DatabasePersistence#followRemote}): which
 * committed version it holds, how far behind it may be, and moving to newer versions once or
 * periodically. Type a replica-serving component as {@code ReplicaOperations}: it can then refresh and
 * watch the replica but neither save nor close it. See docs/replicas.md.
 *
 * <h2>Read-only managers (replicas)</h2>
 * {@link DatabasePersistence#openReadOnly(dev.vecpersist.api.PersistableDatabase, PersistenceOptions)} opens
 * a manager that reads a directory another manager (in any process) writes: it takes no lock and never
 * writes, deletes or cleans anything there. {@link LoadOperations#load()} loads the latest committed
 * version, {@link #refresh()} moves to a newer one (reading only the new deltas when it can) and
 * {@link #follow(Duration)} does so periodically; {@link #version()} and {@link #lag()} tell where it
 * is. Saves, snapshot changes, imports and loads of other files throw {@link IllegalStateException}.
 * {@link DatabasePersistence#followRemote} opens a read-only manager that follows a chain store a writer
 * publishes to (see {@link PublishOperations}), downloading only the files it does not hold yet.
 */
public interface ReplicaOperations {

    /** {@return whether this manager only reads its directory (opened by {@link DatabasePersistence#openReadOnly})} */
    boolean isReadOnly();

    /**
     * The committed version the database holds: for a read-only manager the one it loaded last, for
     * a writer the one in force in its directory.
     *
     * @return the version, empty before anything was loaded or saved
     */
    Optional<CommitVersion> version();

    /**
     * How far behind its directory a read-only manager's database may be: every commit made more than
     * {@code lag()} ago is in it. Measured from the start of the last manifest read that found the
     * database current or made it so (before any, from the opening of the manager), on
     * {@link PersistenceOptions#clock()}. When following every {@code p} without failures it stays
     * below {@code p} plus the time to read and apply one version; it grows without bound when polls
     * fail, so it can be alerted on.
     *
     * @return the bound, never negative
     * @throws IllegalStateException on a manager that is not read-only
     */
    Duration lag();

    /**
     * Moves a read-only manager's database to the latest committed version, if it holds an older one:
     * when only deltas were added it reads just those and applies them in one step (databases with
     * {@link dev.vecpersist.api.ChangeApplying}), otherwise it reloads the chain. Files deleted or
     * replaced by the writer meanwhile make it re-read the manifest and retry.
     *
     * @return what was applied, or empty when it was current or nothing is committed yet
     * @throws dev.vecpersist.api.DirectoryChangingException when the directory changed under every attempt
     * @throws PersistenceException  when the committed chain cannot be read; the database is unchanged
     * @throws IllegalStateException on a manager that is not read-only
     */
    Optional<ReplicaListener.Applied> refresh();

    /**
     * Refreshes now and then every {@code pollInterval} on a daemon thread, until
     * {@link #stopFollowing()} or {@link DatabasePersistence#close()}. Failures go to the
     * {@link ReplicaListener}s (and the log) and the next poll retries; the database keeps the version it held.
     *
     * @param pollInterval the delay between the end of one poll and the start of the next
     * @throws IllegalStateException on a manager that is not read-only
     */
    void follow(Duration pollInterval);

    /** Stops following; waits for a poll in flight. Harmless when not following. */
    void stopFollowing();

    /** {@return whether {@link #follow(Duration)} is polling} */
    boolean isFollowing();

    /**
     * Adds a listener told of each version a read-only manager applies and of each failed poll.
     *
     * @param listener the listener
     * @throws IllegalStateException on a manager that is not read-only
     */
    void addReplicaListener(ReplicaListener listener);

    /**
     * Removes a listener added with {@link #addReplicaListener(ReplicaListener)}.
     *
     * @param listener the listener
     */
    void removeReplicaListener(ReplicaListener listener);
}
