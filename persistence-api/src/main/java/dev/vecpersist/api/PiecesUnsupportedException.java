package dev.vecpersist.api;

/**
 * A differential snapshot was asked of a {@link SnapshotStore} that cannot hold pieces (one written
 * against the SPI before {@link SnapshotStore#supportsPieces()}): it keeps full snapshots only.
 */
public class PiecesUnsupportedException extends PersistenceException {

    /**
     * Names the store.
     *
     * @param store the store that cannot hold pieces
     */
    public PiecesUnsupportedException(SnapshotStore store) {
        super("the snapshot store " + store + " (" + store.getClass().getName() + ") cannot hold snapshot pieces: "
                + "it supports full snapshots only (SnapshotMode.FULL), not differential ones");
    }
}
