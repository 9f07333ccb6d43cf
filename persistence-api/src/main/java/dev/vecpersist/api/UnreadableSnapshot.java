package dev.vecpersist.api;

import java.util.Objects;

/**
 * A snapshot metadata document a {@link SnapshotStore} found but could not use: damaged or
 * truncated JSON, a version this reader does not know, a read that failed, a document naming
 * another id, or one whose data object is missing. Its snapshot is not listed, yet its pieces may be
 * the only copy of its state, so nothing may delete them while the document is reported.
 *
 * @param id       the snapshot id the document's name carries
 * @param location where the document is, as the store names it (a file path, {@code s3://bucket/key},
 *                 a blob name with its container), for a person to find and repair it
 * @param reason   why it could not be used
 */
public record UnreadableSnapshot(String id, String location, String reason) {

    /**
     * Checks the fields.
     *
     * @param id       the snapshot id the document's name carries
     * @param location where the document is
     * @param reason   why it could not be used
     * @throws NullPointerException when a field is null
     */
    public UnreadableSnapshot {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(reason, "reason");
    }

    /** {@return "LOCATION: REASON", for messages and logs} */
    @Override
    public String toString() {
        return location + ": " + reason;
    }
}
