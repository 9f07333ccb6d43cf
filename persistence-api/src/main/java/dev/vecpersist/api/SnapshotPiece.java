package dev.vecpersist.api;

import java.util.Objects;

/**
 * One piece of a differential snapshot: a state file kept in the snapshot store on its own, which
 * several snapshots may share. A differential snapshot lists its pieces in order: one
 * {@link Kind#BASE} (a full state) and then the {@link Kind#DELTA}s to replay over it.
 *
 * @param id              issued by the store ({@link SnapshotStore#beginPiece()}); a lower-case UUID
 * @param kind            a full state or a delta
 * @param entries         entries (upserts) it holds
 * @param deletions       deletions it holds (0 for a base)
 * @param size            its size in the store, in bytes
 * @param sha256          SHA-256 of its stored bytes, lower-case hex; a restore checks every piece against it
 * @param contentChecksum the content checksum its state file carries (as a committed chain's manifest records it)
 */
public record SnapshotPiece(String id, Kind kind, long entries, long deletions, long size, String sha256,
                            String contentChecksum) {

    /** What a piece holds. */
    public enum Kind {
        /** A full state: the first piece of a differential snapshot. */
        BASE,
        /** Upserts and deletions over the pieces before it. */
        DELTA
    }

    /**
     * Checks the fields.
     *
     * @param id              issued by the store
     * @param kind            a full state or a delta
     * @param entries         entries it holds
     * @param deletions       deletions it holds
     * @param size            its size in bytes
     * @param sha256          SHA-256 of its stored bytes
     * @param contentChecksum its state file's content checksum
     * @throws IllegalArgumentException when the id is not one a store issues, or a count or size is negative
     */
    public SnapshotPiece {
        if (!SnapshotIds.isWellFormed(id)) {
            throw new IllegalArgumentException("invalid piece id '" + id + "': ids are issued by the store (UUIDs)");
        }
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(contentChecksum, "contentChecksum");
        if (entries < 0 || deletions < 0 || size < 0) {
            throw new IllegalArgumentException("piece " + id + ": negative entries, deletions or size");
        }
    }
}
