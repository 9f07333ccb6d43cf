package dev.vecpersist.core;

import dev.vecpersist.api.SnapshotMetadata;

import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Which snapshots to keep: grandfather-father-son over calendar periods, like restic's and borg's
 * {@code forget --keep-last/--keep-daily/--keep-weekly/--keep-monthly/--keep-yearly}. Immutable.
 *
 * <pre>{@code
 * RetentionPolicy policy = RetentionPolicy.builder()
 *         .keepLast(7).keepDaily(14).keepWeekly(8).keepMonthly(12)
 *         .zone(ZoneId.of("Europe/Berlin")).build();
 * RetentionDecision decision = policy.select(store.list());
 * }</pre>
 *
 * <p>A snapshot is kept when <em>any</em> rule keeps it:
 * <ul>
 *   <li>{@code keepLast(n)}: the n newest snapshots;</li>
 *   <li>{@code keepDaily(n)}, {@code keepWeekly(n)}, {@code keepMonthly(n)}, {@code keepYearly(n)}:
 *       for each of the n most recent days (ISO weeks, months, years) that have a snapshot, the
 *       newest snapshot of that period. Periods are calendar periods in the policy's {@link #zone()}
 *       (UTC unless set), so a day is a local day whatever its length across a DST change.</li>
 * </ul>
 *
 * <p>"Newest" is the order of the list given to {@link #select(List)}, which is the snapshot
 * store's listing: newest first, in the order the store assigned at creation, whatever the clock
 * said (a clock stepped back must not make retention delete the snapshot just taken). A snapshot's
 * timestamp only places it in its periods. Walking the list newest first, a period rule keeps a
 * snapshot when its period has not been seen yet and fewer than n periods have been. Hence the
 * newest snapshot is always kept, by every rule; and when timestamps decrease along the list (the
 * normal case) the periods kept are exactly the n most recent calendar periods with snapshots.
 *
 * <p>{@code RetentionPolicy.keepLast(n)} is what {@code maxSnapshots(n)} has always meant: the n
 * newest are kept, the others deleted. A policy must keep something: every count zero is refused.
 */
public final class RetentionPolicy {

    private final Map<RetentionRule, Integer> counts;
    private final ZoneId zone;

    private RetentionPolicy(Builder b) {
        counts = new EnumMap<>(RetentionRule.class);
        counts.put(RetentionRule.LAST, checkCount("keepLast", b.keepLast));
        counts.put(RetentionRule.DAILY, checkCount("keepDaily", b.keepDaily));
        counts.put(RetentionRule.WEEKLY, checkCount("keepWeekly", b.keepWeekly));
        counts.put(RetentionRule.MONTHLY, checkCount("keepMonthly", b.keepMonthly));
        counts.put(RetentionRule.YEARLY, checkCount("keepYearly", b.keepYearly));
        if (counts.values().stream().allMatch(n -> n == 0)) {
            throw new IllegalArgumentException("a retention policy that keeps nothing would delete every snapshot: "
                    + "set at least one of keepLast, keepDaily, keepWeekly, keepMonthly, keepYearly above 0");
        }
        zone = Objects.requireNonNull(b.zone, "zone");
    }

    private static int checkCount(String name, int n) {
        if (n < 0) {
            throw new IllegalArgumentException(name + " must be 0 (rule off) or more, not " + n);
        }
        return n;
    }

    /**
     * Starts a policy: every count 0 (rule off), zone UTC. At least one count must be set above 0.
     *
     * @return the builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The policy that keeps the n newest snapshots and deletes the others: what
     * {@code maxSnapshots(n)} means.
     *
     * @param n how many to keep, at least 1
     * @return the policy
     * @throws IllegalArgumentException when n is 0 or negative
     */
    public static RetentionPolicy keepLast(int n) {
        return builder().keepLast(n).build();
    }

    /**
     * How many of the newest snapshots are kept.
     *
     * @return the count, 0 when the rule is off
     */
    public int keepLast() {
        return counts.get(RetentionRule.LAST);
    }

    /**
     * For how many of the most recent days with snapshots the newest of the day is kept.
     *
     * @return the count, 0 when the rule is off
     */
    public int keepDaily() {
        return counts.get(RetentionRule.DAILY);
    }

    /**
     * For how many of the most recent ISO weeks with snapshots the newest of the week is kept.
     *
     * @return the count, 0 when the rule is off
     */
    public int keepWeekly() {
        return counts.get(RetentionRule.WEEKLY);
    }

    /**
     * For how many of the most recent months with snapshots the newest of the month is kept.
     *
     * @return the count, 0 when the rule is off
     */
    public int keepMonthly() {
        return counts.get(RetentionRule.MONTHLY);
    }

    /**
     * For how many of the most recent years with snapshots the newest of the year is kept.
     *
     * @return the count, 0 when the rule is off
     */
    public int keepYearly() {
        return counts.get(RetentionRule.YEARLY);
    }

    /**
     * The count of one rule.
     *
     * @param rule the rule
     * @return its count, 0 when it is off
     */
    public int count(RetentionRule rule) {
        return counts.get(Objects.requireNonNull(rule, "rule"));
    }

    /**
     * The zone whose calendar defines days, weeks, months and years.
     *
     * @return the zone, UTC unless set
     */
    public ZoneId zone() {
        return zone;
    }

    /**
     * Decides which snapshots to keep and which to delete. Pure: reads nothing, deletes nothing.
     *
     * @param newestFirst the snapshots, newest first, as {@code SnapshotStore.list()} returns them
     * @return the decision; its lists follow the order of {@code newestFirst}
     * @throws IllegalArgumentException when an id is listed twice, or a calendar rule is on and a
     *                                  timestamp is beyond the calendar's range
     */
    public RetentionDecision select(List<SnapshotMetadata> newestFirst) {
        return RetentionSelector.decide(this, Objects.requireNonNull(newestFirst, "newestFirst"));
    }

    /**
     * Decides as {@link #select(List)}, counting the snapshot just created as the newest wherever
     * the store lists it (a store that orders by time lists it lower after the clock stepped back),
     * so that no rule deletes it.
     *
     * @param newestFirst the snapshots, newest first, as {@code SnapshotStore.list()} returns them
     * @param justCreated the id of the snapshot just created; null when there is none
     * @return the decision; its lists follow {@code newestFirst} with {@code justCreated} moved first
     * @throws IllegalArgumentException as {@link #select(List)}
     */
    public RetentionDecision select(List<SnapshotMetadata> newestFirst, String justCreated) {
        Objects.requireNonNull(newestFirst, "newestFirst");
        if (justCreated == null) {
            return RetentionSelector.decide(this, newestFirst);
        }
        List<SnapshotMetadata> reordered = new ArrayList<>(newestFirst.size());
        newestFirst.stream().filter(m -> m != null && m.id().equals(justCreated)).forEach(reordered::add);
        newestFirst.stream().filter(m -> m == null || !m.id().equals(justCreated)).forEach(reordered::add);
        return RetentionSelector.decide(this, reordered);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RetentionPolicy p && p.counts.equals(counts) && p.zone.equals(zone);
    }

    @Override
    public int hashCode() {
        return Objects.hash(counts, zone);
    }

    @Override
    public String toString() {
        return "RetentionPolicy[keepLast=" + keepLast() + ", keepDaily=" + keepDaily() + ", keepWeekly=" + keepWeekly()
                + ", keepMonthly=" + keepMonthly() + ", keepYearly=" + keepYearly() + ", zone=" + zone + "]";
    }

    /** Builds a {@link RetentionPolicy}; every count starts at 0 (rule off), the zone at UTC. */
    public static final class Builder {
        private int keepLast;
        private int keepDaily;
        private int keepWeekly;
        private int keepMonthly;
        private int keepYearly;
        private ZoneId zone = ZoneOffset.UTC;

        private Builder() {
        }

        /**
         * Keeps the n newest snapshots.
         *
         * @param n see {@link RetentionPolicy#keepLast()}; 0 turns the rule off
         * @return this builder
         */
        public Builder keepLast(int n) { this.keepLast = n; return this; }

        /**
         * Keeps the newest snapshot of each of the n most recent days with snapshots.
         *
         * @param n see {@link RetentionPolicy#keepDaily()}; 0 turns the rule off
         * @return this builder
         */
        public Builder keepDaily(int n) { this.keepDaily = n; return this; }

        /**
         * Keeps the newest snapshot of each of the n most recent ISO weeks with snapshots.
         *
         * @param n see {@link RetentionPolicy#keepWeekly()}; 0 turns the rule off
         * @return this builder
         */
        public Builder keepWeekly(int n) { this.keepWeekly = n; return this; }

        /**
         * Keeps the newest snapshot of each of the n most recent months with snapshots.
         *
         * @param n see {@link RetentionPolicy#keepMonthly()}; 0 turns the rule off
         * @return this builder
         */
        public Builder keepMonthly(int n) { this.keepMonthly = n; return this; }

        /**
         * Keeps the newest snapshot of each of the n most recent years with snapshots.
         *
         * @param n see {@link RetentionPolicy#keepYearly()}; 0 turns the rule off
         * @return this builder
         */
        public Builder keepYearly(int n) { this.keepYearly = n; return this; }

        /**
         * Sets the zone whose calendar defines the periods.
         *
         * @param zone see {@link RetentionPolicy#zone()}; e.g. {@code ZoneId.systemDefault()} for the machine's
         * @return this builder
         */
        public Builder zone(ZoneId zone) { this.zone = zone; return this; }

        /**
         * Builds the policy.
         *
         * @return the policy
         * @throws IllegalArgumentException when a count is negative or every count is 0
         * @throws NullPointerException     when the zone is null
         */
        public RetentionPolicy build() {
            return new RetentionPolicy(this);
        }
    }
}
