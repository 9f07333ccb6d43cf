package dev.vecpersist.api;

import java.util.List;

/**
 * Optional capability of a {@link PersistableDatabase}: from a mark on, it remembers what each entry
 * was at the mark, the first time the entry is overwritten, deleted or inserted, so that the state at
 * the mark can be brought back by changing only those entries. The manager marks the database when it
 * holds a known state (a snapshot it created or restored, a version it saved or loaded) and, when
 * asked to restore that state or one derived from it, reverts these changes instead of reading
 * everything again (an incremental restore). A database without it (or without {@link ChangeTracking}
 * and {@link ChangeApplying}, which the manager uses beside it) is always restored in full.
 *
 * <p>What is kept are references to the entries as they were (entries are immutable), never copies:
 * one map entry per changed id. Past the limit given to {@link #markPriorState(long)} the database
 * stops tracking and {@link #priorState()} answers null until the next mark; so does any wholesale
 * change ({@link PersistableDatabase#clear()}, {@link PersistableDatabase#replaceAll}).
 */
public interface PriorStateTracking {

    /**
     * Starts tracking from the database's state now, forgetting what was tracked before.
     *
     * @param maxTrackedIds how many distinct ids may change before tracking stops (memory cap); 0 tracks nothing
     * @return the change sequence of the mark ({@link ChangeTracking#currentSequence()} at that moment
     *         for a database that tracks changes, else any number that identifies the mark)
     */
    long markPriorState(long maxTrackedIds);

    /**
     * What changed since the mark, captured at one point in time.
     *
     * @return the changes, or null when nothing is marked, the limit was passed or the content was
     *         replaced wholesale since the mark
     */
    PriorState priorState();

    /** Stops tracking and forgets what was tracked (e.g. when the marked state is of no more use). */
    void clearPriorState();

    /**
     * The entries changed since a mark, each as it was at the mark and as it is now.
     *
     * @param markSequence the sequence {@link #markPriorState(long)} returned
     * @param sequence     the database's change sequence when this was captured
     * @param changes      one per id changed since the mark, in the order of their first change
     */
    record PriorState(long markSequence, long sequence, List<Change> changes) {
        /**
         * Copies the list.
         *
         * @param markSequence the sequence of the mark
         * @param sequence     the sequence at capture time
         * @param changes      one per id changed since the mark
         */
        public PriorState {
            changes = List.copyOf(changes);
        }
    }

    /**
     * One id changed since the mark. Both sides null means it was inserted and deleted again.
     *
     * @param id     the id
     * @param before the entry at the mark, or null when the id was absent then (inserted since)
     * @param after  the entry now, or null when the id is absent now (deleted since)
     */
    record Change(String id, VectorEntry before, VectorEntry after) {
        /**
         * Rejects a null id.
         *
         * @param id     the id
         * @param before the entry at the mark, or null
         * @param after  the entry now, or null
         */
        public Change {
            java.util.Objects.requireNonNull(id, "id");
        }
    }
}
