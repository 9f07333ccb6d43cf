package dev.vecpersist.core;

import dev.vecpersist.api.SnapshotMetadata;

import java.util.List;

/**
 * Which snapshots to delete: all but the newest {@code keepLast}, by the order the store assigned
 * at creation (never by the clock, which may have been stepped back). Immutable.
 *
 * @param keepLast how many snapshots are kept, at least 1
 */
record RetentionPolicy(int keepLast) {

    RetentionPolicy {
        if (keepLast <= 0) {
            throw new IllegalArgumentException("keepLast must be positive");
        }
    }

    /**
     * The snapshots to delete.
     *
     * @param newestFirst every snapshot, as the store lists them (newest first)
     * @param justCreated the id of the snapshot just created, which is always kept
     * @return the snapshots beyond {@code keepLast}, newest first
     */
    List<SnapshotMetadata> toDelete(List<SnapshotMetadata> newestFirst, String justCreated) {
        List<SnapshotMetadata> others = newestFirst.stream().filter(m -> !m.id().equals(justCreated)).toList();
        return others.size() < keepLast ? List.of() : others.subList(keepLast - 1, others.size());
    }
}
