package dev.vecpersist.api;

/**
 * A point-in-time view of a database's entries, iterated once or more by one thread.
 * Entries are shared with the database and must not be modified.
 */
public interface EntrySnapshot extends Iterable<VectorEntry> {

    /** {@return number of entries in the view} */
    long count();

    /**
     * The database's change sequence at the moment of the view.
     *
     * @return the sequence (see {@link ChangeTracking}), or -1 when the database does not track changes
     */
    default long sequence() {
        return -1;
    }
}
