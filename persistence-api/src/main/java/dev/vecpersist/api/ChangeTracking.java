package dev.vecpersist.api;

import java.util.List;

/**
 * Optional capability of a {@link PersistableDatabase}: it records what changed since a given
 * point, so that an incremental save writes only that. A database without it is saved in full
 * every time.
 */
public interface ChangeTracking {

    /** {@return the sequence of the latest write: it grows with every insert, update, delete and clear} */
    long currentSequence();

    /**
     * The changes after {@code sinceSequence}, captured at one point in time.
     *
     * @param sinceSequence a sequence returned earlier by {@link EntrySnapshot#sequence()} or
     *                      {@link ChangeSet#toSequence()}
     * @return the changes, or null when the database no longer knows what changed since then
     *         (the caller falls back to a full save)
     */
    ChangeSet changesSince(long sinceSequence);

    /**
     * Tells the database that changes up to and including {@code sequence} are durably saved, so it
     * may forget the deletions it kept for them.
     *
     * @param sequence the {@link ChangeSet#toSequence()} (or snapshot sequence) of the save that completed
     */
    void changesSaved(long sequence);

    /**
     * What changed between two sequences.
     *
     * @param fromSequence exclusive lower bound
     * @param toSequence   the sequence at capture time
     * @param upserts      entries inserted or updated, as they are now
     * @param deletions    ids deleted since; an id deleted and then inserted again appears here and in
     *                     {@code upserts}: apply deletions first, then upserts
     */
    record ChangeSet(long fromSequence, long toSequence, List<VectorEntry> upserts, List<String> deletions) {
        /**
         * Copies the lists, which are immutable afterwards.
         *
         * @param fromSequence exclusive lower bound
         * @param toSequence   the sequence at capture time
         * @param upserts      entries inserted or updated, as they are now
         * @param deletions    ids deleted since
         */
        public ChangeSet {
            upserts = List.copyOf(upserts);
            deletions = List.copyOf(deletions);
        }

        /** {@return true when nothing changed} */
        public boolean isEmpty() {
            return upserts.isEmpty() && deletions.isEmpty();
        }
    }
}
