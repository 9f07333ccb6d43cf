package dev.vecpersist.core;

import dev.vecpersist.api.ChangeTracking;
import dev.vecpersist.api.PersistableDatabase;

/**
 * Tells a {@link ChangeTracking} database which changes it may forget ({@link ChangeTracking#changesSaved}),
 * for everything that reads changes from it: the committed chain's saves, and the differential
 * snapshots, whose next delta needs the deletions since the previous snapshot even after a save has
 * covered them. The database is told the lower of the two sequences, so neither loses what it needs
 * (at the cost of keeping deleted ids until the next snapshot). Thread-safe.
 */
final class ChangeRelease {

    private final PersistableDatabase db;
    /** The sequence the committed chain holds, or -1. */
    private long savedThrough = -1;
    /** The sequence the next differential snapshot reads changes since, or -1 when none is pending. */
    private long snapshotSince = -1;

    ChangeRelease(PersistableDatabase db) {
        this.db = db;
    }

    /** The committed chain now holds the database up to {@code sequence}. */
    synchronized void saved(long sequence) {
        savedThrough = sequence;
        release();
    }

    /** The next differential snapshot will ask for the changes since {@code sequence} (-1: none will). */
    synchronized void snapshotNeedsChangesSince(long sequence) {
        snapshotSince = sequence;
        release();
    }

    private void release() {
        if (savedThrough < 0 || !(db instanceof ChangeTracking tracking)) {
            return;
        }
        tracking.changesSaved(snapshotSince >= 0 ? Math.min(savedThrough, snapshotSince) : savedThrough);
    }
}
