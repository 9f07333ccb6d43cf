package dev.vecpersist.api;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a snapshot store keeps about one snapshot.
 *
 * @param id          issued by the store; the only handle that reaches a snapshot's data
 * @param name        the user's free-text name (never used in a path)
 * @param timestamp   when the snapshot was taken
 * @param vectorCount entries in the snapshot
 * @param dimension   components per vector
 * @param format      the state format of the data, e.g. {@code "json"}
 * @param compression the codec of the data, or {@code "none"}
 * @param fileSize    size of the stored data in bytes
 * @param checksum    SHA-256 of the stored data, lower-case hex
 * @param metadata    the user's metadata, an immutable deep copy
 * @param pieces      for a differential snapshot, the pieces its state is made of, in replay order (a
 *                    {@link SnapshotPiece.Kind#BASE} first, then deltas), each with its SHA-256; the
 *                    snapshot's own data is then empty ({@code fileSize} 0). Empty for a full
 *                    snapshot. An immutable copy.
 */
public record SnapshotMetadata(String id, String name, Instant timestamp, long vectorCount, int dimension,
                               String format, String compression, long fileSize, String checksum,
                               Map<String, Object> metadata, List<SnapshotPiece> pieces) {
    /**
     * Validates the id and timestamp; a null name or metadata becomes empty; the metadata is copied.
     *
     * @param id          issued by the store
     * @param name        the user's free-text name, or null
     * @param timestamp   when the snapshot was taken
     * @param vectorCount entries in the snapshot
     * @param dimension   components per vector
     * @param format      the state format of the data
     * @param compression the codec of the data, or {@code "none"}
     * @param fileSize    size of the stored data in bytes
     * @param checksum    SHA-256 of the stored data, lower-case hex
     * @param metadata    the user's metadata, or null
     * @param pieces      the pieces of a differential snapshot, or null or empty for a full one
     * @throws IllegalArgumentException when the metadata is not in the value model ({@link MetadataValues#normalize}),
     *                                  or the pieces do not start with a base followed by deltas only
     */
    public SnapshotMetadata {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(timestamp, "timestamp");
        name = name == null ? "" : name;
        metadata = MetadataValues.normalize(metadata);
        pieces = pieces == null ? List.of() : List.copyOf(pieces);
        for (int i = 0; i < pieces.size(); i++) {
            SnapshotPiece.Kind expected = i == 0 ? SnapshotPiece.Kind.BASE : SnapshotPiece.Kind.DELTA;
            if (pieces.get(i).kind() != expected) {
                throw new IllegalArgumentException("snapshot " + id + ": piece " + i + " must be a " + expected
                        + ", found a " + pieces.get(i).kind());
            }
        }
    }

    /**
     * A full snapshot (no pieces): the constructor of the SPI before differential snapshots.
     *
     * @param id          issued by the store
     * @param name        the user's free-text name, or null
     * @param timestamp   when the snapshot was taken
     * @param vectorCount entries in the snapshot
     * @param dimension   components per vector
     * @param format      the state format of the data
     * @param compression the codec of the data, or {@code "none"}
     * @param fileSize    size of the stored data in bytes
     * @param checksum    SHA-256 of the stored data, lower-case hex
     * @param metadata    the user's metadata, or null
     * @throws IllegalArgumentException when the metadata is not in the value model ({@link MetadataValues#normalize})
     */
    public SnapshotMetadata(String id, String name, Instant timestamp, long vectorCount, int dimension,
                            String format, String compression, long fileSize, String checksum,
                            Map<String, Object> metadata) {
        this(id, name, timestamp, vectorCount, dimension, format, compression, fileSize, checksum, metadata, List.of());
    }

    /** {@return whether this is a differential snapshot: its state is in its {@link #pieces()}} */
    public boolean isDifferential() {
        return !pieces.isEmpty();
    }
}
