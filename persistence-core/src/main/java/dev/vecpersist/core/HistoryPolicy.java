package dev.vecpersist.core;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Which committed versions of a base directory stay loadable ({@link VersionOperations#loadVersion(long)}):
 * the latest only (the default: what older releases did), the last {@code n}, or those committed
 * within a period. The latest version is always kept, and what is kept is always the newest run of
 * versions (a version is dropped only together with every version before it), so that the files
 * kept are exactly those the kept versions name. Immutable.
 *
 * <pre>{@code
 * PersistenceOptions.builder().baseDir(dir).history(HistoryPolicy.keepLast(50)).build();
 * PersistenceOptions.builder().baseDir(dir).history(HistoryPolicy.keepFor(Duration.ofHours(24))).build();
 * }</pre>
 *
 * See docs/history.md.
 */
public final class HistoryPolicy {

    private static final HistoryPolicy LATEST_ONLY = new HistoryPolicy(1, null);

    /** The number of versions kept, or 0 when kept by age. */
    private final int count;
    /** How long versions are kept, or null when kept by count. */
    private final Duration age;

    private HistoryPolicy(int count, Duration age) {
        this.count = count;
        this.age = age;
    }

    /**
     * Keeps only the latest version (the default): every commit deletes the files only older versions named.
     *
     * @return the policy
     */
    public static HistoryPolicy latestOnly() {
        return LATEST_ONLY;
    }

    /**
     * Keeps the last {@code versions} versions, the latest included.
     *
     * @param versions how many; 1 is {@link #latestOnly()}
     * @return the policy
     * @throws IllegalArgumentException when {@code versions} is below 1
     */
    public static HistoryPolicy keepLast(int versions) {
        if (versions < 1) {
            throw new IllegalArgumentException("keepLast needs at least 1 version (the latest), got " + versions);
        }
        return versions == 1 ? LATEST_ONLY : new HistoryPolicy(versions, null);
    }

    /**
     * Keeps the versions committed within {@code age} of each commit (on {@link PersistenceOptions#clock()}),
     * and always the latest. Versions are dropped from the oldest: one committed earlier than a kept
     * one (by number) is kept however old its time reads, should the clock have stepped back.
     *
     * @param age how long a version stays
     * @return the policy
     * @throws IllegalArgumentException when {@code age} is not positive
     */
    public static HistoryPolicy keepFor(Duration age) {
        Objects.requireNonNull(age, "age");
        if (age.isNegative() || age.isZero()) {
            throw new IllegalArgumentException("keepFor needs a positive duration, got " + age);
        }
        return new HistoryPolicy(0, age);
    }

    /**
     * How many of {@code versions} (oldest first, the one being committed last) to drop from the start.
     *
     * @param now the time of the commit
     */
    int dropCount(List<VersionHistory.Version> versions, Instant now) {
        if (age == null) {
            return Math.max(0, versions.size() - count);
        }
        // keep from the oldest version committed within the age on: none within it is ever dropped, and a
        // newer one (by number) stays however old its time reads, should the clock have stepped back
        Instant cutoff = now.minus(age);
        int latest = versions.size() - 1; // the latest always stays
        for (int i = 0; i < latest; i++) {
            if (!versions.get(i).time().isBefore(cutoff)) {
                return i;
            }
        }
        return latest;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HistoryPolicy p && p.count == count && Objects.equals(p.age, age);
    }

    @Override
    public int hashCode() {
        return Objects.hash(count, age);
    }

    @Override
    public String toString() {
        return age != null ? "keepFor(" + age + ")" : count == 1 ? "latestOnly()" : "keepLast(" + count + ")";
    }
}
