package dev.vecpersist.core;

/**
 * When an incremental save writes a new base instead of one more delta (Lucene's
 * {@code MergePolicy}, for a chain of one base and its deltas): after {@code maxDeltas} deltas, or
 * once the deltas together outgrow {@code maxDeltaRatio} of the base. Immutable.
 *
 * @param maxDeltas     the number of deltas after which the next save is a full one
 * @param maxDeltaRatio the deltas' total size, as a fraction of the base's, beyond which it is
 */
record CompactionPolicy(int maxDeltas, double maxDeltaRatio) {

    static CompactionPolicy of(PersistenceOptions options) {
        return new CompactionPolicy(options.maxDeltas(), options.maxDeltaRatio());
    }

    /** Whether the next save over the chain {@code committed} should be a full one. */
    boolean shouldCompact(Manifest committed) {
        return shouldCompact(committed.deltas().size(), committed.deltaBytes(), committed.base().bytes());
    }

    /** Whether a chain of {@code deltas} deltas of {@code deltaBytes} over a base of {@code baseBytes} should get a new base. */
    boolean shouldCompact(int deltas, long deltaBytes, long baseBytes) {
        return deltas >= maxDeltas || deltaBytes > maxDeltaRatio * Math.max(1, baseBytes);
    }
}
