package dev.vecpersist.api;

import java.util.Collection;

/**
 * Optional capability of a {@link PersistableDatabase}: it applies a batch of upserts and deletions
 * in one step, as seen by other threads. A read-only manager following a writer uses it to apply
 * only what a new commit changed; a database without it is reloaded in full at every commit.
 */
public interface ChangeApplying {

    /**
     * Applies deletions, then upserts, atomically: a reader sees the database before or after, never
     * in between. Validates every entry before changing anything. An id both deleted and upserted
     * ends up at the end of the iteration order, as a delete and re-insert does; an upserted id that
     * exists and is not deleted keeps its place.
     *
     * @param upserts   entries to insert or replace (fresh from a reader, owned by the database from now on)
     * @param deletions ids to delete; ids that are absent are ignored
     * @return for a {@link ChangeTracking} database, its change sequence right after the change; otherwise -1
     * @throws IllegalArgumentException when an entry breaks the database's rules; nothing is then changed
     */
    long applyChanges(Collection<VectorEntry> upserts, Collection<String> deletions);
}
