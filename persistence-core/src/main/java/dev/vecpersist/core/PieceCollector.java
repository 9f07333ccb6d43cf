package dev.vecpersist.core;

import dev.vecpersist.api.SnapshotListing;
import dev.vecpersist.api.SnapshotMetadata;
import dev.vecpersist.api.SnapshotPiece;
import dev.vecpersist.api.SnapshotStore;
import dev.vecpersist.api.UnreadableSnapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 *
 * <p>Only after a complete listing: while the store reports a metadata document it cannot read
 * ({@link SnapshotStore#listing()}), any piece may be one only that snapshot needs, so nothing is
 * deleted, not even a crash's leftovers (they cannot be told apart). Deleting nothing is always safe.
 */
final class PieceCollector {

    private static final Logger LOG = LoggerFactory.getLogger(PieceCollector.class);

    /**
     * What a collection did.
     *
     * @param deleted    the ids of the pieces deleted
     * @param unreadable the unreadable metadata documents for which nothing was deleted (empty when it ran)
     */
    record Outcome(List<String> deleted, List<UnreadableSnapshot> unreadable) {
        /** {@return true when the collection ran over a complete listing} */
        boolean ran() {
            return unreadable.isEmpty();
        }

        /** {@return "LOCATION: REASON" of each document that kept the collection from running} */
        List<String> unreadableDescribed() {
            return unreadable.stream().map(UnreadableSnapshot::toString).toList();
        }
    }

    private PieceCollector() {
    }

    static Outcome collect(SnapshotStore store) throws IOException {
        if (!store.supportsPieces()) {
            return new Outcome(List.of(), List.of());
        }
        SnapshotListing listing = store.listing();
        if (!listing.complete()) {
            LOG.warn("{}: deleting no piece while {} snapshot metadata document(s) cannot be read (their pieces may "
                    + "be the only copy of those snapshots; repair or remove them): {}", store, listing.unreadable().size(),
                    listing.unreadable());
            return new Outcome(List.of(), listing.unreadable());
        }
        Set<String> referenced = new HashSet<>();
        for (SnapshotMetadata m : listing.snapshots()) {
            m.pieces().stream().map(SnapshotPiece::id).forEach(referenced::add);
        }
        List<String> deleted = new ArrayList<>();
        for (String id : store.listPieces()) {
            if (!referenced.contains(id)) {
                store.deletePiece(id);
                deleted.add(id);
            }
        }
        return new Outcome(deleted, List.of());
    }
}
