package dev.vecpersist.core;

import dev.vecpersist.api.SnapshotMetadata;
import dev.vecpersist.api.SnapshotPiece;
import dev.vecpersist.api.SnapshotStore;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Deletes the pieces of a snapshot store that no listed snapshot references: those of deleted or
 * pruned snapshots that no other snapshot shares, and those a crash left before their snapshot
 * committed. Runs only under the manager's lock, the single writer of its store, so no snapshot can
 * commit between the listing and the deletions.
 */
final class PieceCollector {

    private PieceCollector() {
    }

    /** {@return the ids of the pieces deleted} */
    static List<String> collect(SnapshotStore store) throws IOException {
        if (!store.supportsPieces()) {
            return List.of();
        }
        Set<String> referenced = new HashSet<>();
        for (SnapshotMetadata m : store.list()) {
            m.pieces().stream().map(SnapshotPiece::id).forEach(referenced::add);
        }
        List<String> deleted = new ArrayList<>();
        for (String id : store.listPieces()) {
            if (!referenced.contains(id)) {
                store.deletePiece(id);
                deleted.add(id);
            }
        }
        return deleted;
    }
}
