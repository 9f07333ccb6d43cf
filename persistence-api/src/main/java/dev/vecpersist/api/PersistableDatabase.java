package dev.vecpersist.api;

import java.util.Collection;
import java.util.Optional;

/**
 * What a vector database must offer to be persisted. {@code dev.vecpersist.core.VectorDB} implements
 * it; implement it for your own database to save and load it with the same manager.
 *
 * <p>Implementations must be thread-safe: saves run while other threads write.
 */
public interface PersistableDatabase {

    /** {@return components per vector} */
    int dimension();

    /** {@return the metric the database ranks by} */
    Metric metric();

    /** {@return number of entries now} */
    long size();

    /**
     * A point-in-time view of every entry: writes made after this returns do not show in it.
     * Should cost little (e.g. copying references under a brief lock), never a deep copy.
     *
     * @return the view
     */
    EntrySnapshot snapshot();

    /** Removes every entry. */
    void clear();

    /**
     * Inserts the entries, replacing any entry with the same id (upsert). Validates every entry
     * before changing anything.
     *
     * @param entries the entries to insert or update
     * @throws IllegalArgumentException on a wrong dimension, a non-finite component or an empty id
     */
    void insertBatch(Collection<VectorEntry> entries);

    /**
     * Replaces the whole content in one step, as seen by other threads. The entries come fresh from
     * a reader and are owned by the database from now on. The default clears, then inserts; a
     * database that can swap atomically should override it.
     *
     * @param entries    the new content, already validated against this database's dimension
     * @param indexState saved index bytes to restore, or null
     * @return for a {@link ChangeTracking} database, its change sequence right after the replacement
     *         (so that a later incremental save knows its starting point); otherwise -1
     */
    default long replaceAll(Collection<VectorEntry> entries, byte[] indexState) {
        clear();
        insertBatch(entries);
        if (indexState != null) {
            restoreIndexState(indexState);
        }
        return -1;
    }

    /** {@return opaque bytes describing the database's index, saved beside the entries; empty when none} */
    default Optional<byte[]> indexState() {
        return Optional.empty();
    }

    /**
     * Restores the index from bytes {@link #indexState()} produced. Ignored by databases without one.
     *
     * @param state the saved bytes
     */
    default void restoreIndexState(byte[] state) {
    }
}
