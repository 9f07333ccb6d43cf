package dev.vecpersist.core;

import java.time.Duration;

/**
 * Told by a read-only manager each time its database switches to a newer committed version, and
 * when following fails (the next poll retries). Called on the thread that refreshed (the follow
 * thread, or the caller of {@link DatabasePersistence#refresh()}); a listener that throws is logged
 * and does not stop following.
 */
public interface ReplicaListener {

    /**
     * What one switch to a newer committed version did.
     *
     * @param version  the version the database holds now
     * @param full     true when the whole chain was read (first load, a new base after compaction, a
     *                 database without {@link dev.vecpersist.api.ChangeApplying}); false when only the new
     *                 deltas were read and applied
     * @param upserted entries read and inserted or replaced (for a full load, every entry)
     * @param deleted  ids deleted (0 for a full load)
     * @param attempts times the manifest was read before a consistent chain could be read (1 unless a
     *                 writer replaced files meanwhile)
     * @param took     from the manifest read to the switch
     */
    record Applied(CommitVersion version, boolean full, long upserted, long deleted, int attempts, Duration took) {
    }

    /**
     * A newer committed version is now in the database.
     *
     * @param applied what was applied
     */
    void onApplied(Applied applied);

    /**
     * A poll of {@link DatabasePersistence#follow} failed; the database still holds the version it
     * held before, and the next poll tries again.
     *
     * @param error what failed
     */
    default void onError(Throwable error) {
    }
}
