package dev.vecpersist.core;

/**
 * How {@link DatabasePersistence#createSnapshot} stores a snapshot ({@link PersistenceOptions#snapshotMode()}).
 * See docs/snapshots.md.
 */
public enum SnapshotMode {
    /** Every snapshot is a complete, self-contained copy of the state (the default). */
    FULL,
    /**
     * A snapshot stores only what was inserted, updated or deleted since the previous snapshot this
     * manager took, as a delta piece shared with the snapshots before it (a base piece plus delta
     * pieces); a new base piece is written when the chain of pieces grows past the compaction knobs
     * ({@link PersistenceOptions#maxDeltas()}, {@link PersistenceOptions#maxDeltaRatio()}). Needs a
     * snapshot store that {@linkplain dev.vecpersist.api.SnapshotStore#supportsPieces() keeps pieces}.
     */
    DIFFERENTIAL
}
