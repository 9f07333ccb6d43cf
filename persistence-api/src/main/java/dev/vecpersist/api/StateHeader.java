package dev.vecpersist.api;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * What a state file says about itself before its entries.
 *
 * @param formatVersion  version of the file layout; readers refuse versions newer than they know
 * @param kind           a whole database ({@link Kind#FULL}) or the changes since a previous save
 * @param dimension      components per vector
 * @param metric         the database's metric
 * @param entryCount     entries that follow (inserts and updates, for a delta)
 * @param deletionCount  deleted ids that follow the entries (always 0 for a full state)
 * @param createdAt      when the state was captured, millisecond precision
 * @param userMetadata   free-form metadata of the whole state (same value types as entry metadata),
 *                       an immutable deep copy
 * @param indexState     opaque bytes of the database's index, or null when none was saved; copied
 *                       on the way in and on the way out, so a header never changes
 */
public record StateHeader(int formatVersion, Kind kind, int dimension, Metric metric, long entryCount,
                          long deletionCount, Instant createdAt, Map<String, Object> userMetadata,
                          byte[] indexState) {

    /** Whether a file holds a whole database or a delta over an earlier save. */
    public enum Kind {
        /** The whole database. */
        FULL,
        /** The changes since the previous file of a manifest. */
        DELTA
    }

    /**
     * Validates the fields; {@code createdAt} is truncated to milliseconds, the metadata and index
     * bytes are copied.
     *
     * @param formatVersion  version of the file layout
     * @param kind           full or delta
     * @param dimension      components per vector, positive
     * @param metric         the database's metric
     * @param entryCount     entries that follow, not negative
     * @param deletionCount  deleted ids that follow, 0 for a full state
     * @param createdAt      when the state was captured
     * @param userMetadata   free-form metadata of the whole state, or null for none
     * @param indexState     opaque index bytes, or null
     * @throws IllegalArgumentException when a count or the dimension is out of range, or the user
     *                                  metadata is not in the value model ({@link MetadataValues#normalize})
     * @throws NullPointerException     when kind, metric or createdAt is null
     */
    public StateHeader {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(createdAt, "createdAt");
        if (dimension <= 0) {
            throw new IllegalArgumentException("dimension must be positive, was " + dimension);
        }
        if (entryCount < 0 || deletionCount < 0) {
            throw new IllegalArgumentException("counts must not be negative");
        }
        if (kind == Kind.FULL && deletionCount != 0) {
            throw new IllegalArgumentException("a full state has no deletions");
        }
        createdAt = Instant.ofEpochMilli(createdAt.toEpochMilli());
        userMetadata = MetadataValues.normalize(userMetadata);
        indexState = indexState == null ? null : indexState.clone();
    }

    /** {@return a copy of the opaque index bytes, or null when none was saved} */
    @Override
    public byte[] indexState() {
        return indexState == null ? null : indexState.clone();
    }

    /**
     * A full-state header with no user metadata and no index state.
     *
     * @param formatVersion version of the file layout
     * @param dimension     components per vector
     * @param metric        the database's metric
     * @param entryCount    entries that follow
     * @param createdAt     when the state was captured
     * @return the header
     */
    public static StateHeader full(int formatVersion, int dimension, Metric metric, long entryCount, Instant createdAt) {
        return new StateHeader(formatVersion, Kind.FULL, dimension, metric, entryCount, 0, createdAt, Map.of(), null);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StateHeader h && formatVersion == h.formatVersion && kind == h.kind
                && dimension == h.dimension && metric == h.metric && entryCount == h.entryCount
                && deletionCount == h.deletionCount && createdAt.equals(h.createdAt)
                && userMetadata.equals(h.userMetadata) && java.util.Arrays.equals(indexState, h.indexState);
    }

    @Override
    public int hashCode() {
        return Objects.hash(formatVersion, kind, dimension, metric, entryCount, deletionCount, createdAt, userMetadata)
                * 31 + java.util.Arrays.hashCode(indexState);
    }

    @Override
    public String toString() {
        return "StateHeader[v" + formatVersion + ", " + kind + ", dim=" + dimension + ", " + metric.fileName()
                + ", entries=" + entryCount + ", deletions=" + deletionCount + ", createdAt=" + createdAt
                + ", userMetadata=" + userMetadata + ", indexState="
                + (indexState == null ? "none" : indexState.length + " bytes") + "]";
    }
}
