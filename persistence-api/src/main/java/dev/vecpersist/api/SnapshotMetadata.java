package dev.vecpersist.api;

import java.time.Instant;
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
 */
public record SnapshotMetadata(String id, String name, Instant timestamp, long vectorCount, int dimension,
                               String format, String compression, long fileSize, String checksum,
                               Map<String, Object> metadata) {
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
     * @throws IllegalArgumentException when the metadata is not in the value model ({@link MetadataValues#normalize})
     */
    public SnapshotMetadata {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(timestamp, "timestamp");
        name = name == null ? "" : name;
        metadata = MetadataValues.normalize(metadata);
    }
}
