package dev.vecpersist.api;

import java.util.List;

/**
 * What listing a {@link SnapshotStore} found: the snapshots it could read and the metadata
 * documents it could not ({@link SnapshotStore#listing()}).
 *
 * @param snapshots  the committed snapshots, newest first, as {@link SnapshotStore#list()} returns them
 * @param unreadable the metadata documents found but not usable, in no particular order
 */
public record SnapshotListing(List<SnapshotMetadata> snapshots, List<UnreadableSnapshot> unreadable) {

    /**
     * Copies both lists.
     *
     * @param snapshots  the committed snapshots, newest first
     * @param unreadable the metadata documents found but not usable
     * @throws NullPointerException when a list or an element is null
     */
    public SnapshotListing {
        snapshots = List.copyOf(snapshots);
        unreadable = List.copyOf(unreadable);
    }

    /** {@return true when every metadata document found was read: the snapshots are all the store holds} */
    public boolean complete() {
        return unreadable.isEmpty();
    }
}
