package dev.vecpersist.core;

import dev.vecpersist.api.SnapshotMetadata;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * What a {@link RetentionPolicy} decided for a list of snapshots: for each, in the order of the
 * list the policy was given (newest first), whether it is kept and by which rules, or deleted and why.
 *
 * @param verdicts one per snapshot, in the order of the list given to the policy
 */
public record RetentionDecision(List<Verdict> verdicts) {

    /**
     * Copies the list.
     *
     * @param verdicts one per snapshot
     */
    public RetentionDecision {
        verdicts = List.copyOf(verdicts);
    }

    /**
     * The snapshots kept.
     *
     * @return them, each with every rule that keeps it, in list order
     */
    public List<Kept> kept() {
        return verdicts.stream().filter(Kept.class::isInstance).map(Kept.class::cast).toList();
    }

    /**
     * The snapshots to delete.
     *
     * @return them, each with why no rule keeps it, in list order
     */
    public List<Deleted> deleted() {
        return verdicts.stream().filter(Deleted.class::isInstance).map(Deleted.class::cast).toList();
    }

    /**
     * The ids of the snapshots to delete, in the order of {@link #deleted()}.
     *
     * @return the ids
     */
    public List<String> deletedIds() {
        return deleted().stream().map(d -> d.snapshot().id()).toList();
    }

    /**
     * The ids of the snapshots kept, in the order of {@link #kept()}.
     *
     * @return the ids
     */
    public List<String> keptIds() {
        return kept().stream().map(k -> k.snapshot().id()).toList();
    }

    /** What the policy decided for one snapshot. */
    public sealed interface Verdict permits Kept, Deleted {
        /**
         * The snapshot decided on.
         *
         * @return the snapshot
         */
        SnapshotMetadata snapshot();

        /**
         * Why it is kept or deleted, as people read it.
         *
         * @return e.g. {@code "last #1, daily 2026-03-29"} or {@code "not among the 7 newest; ..."}
         */
        String explanation();
    }

    /**
     * A snapshot the policy keeps.
     *
     * @param snapshot the snapshot
     * @param reasons  every rule that keeps it, in the order of {@link RetentionRule}; never empty
     */
    public record Kept(SnapshotMetadata snapshot, List<Reason> reasons) implements Verdict {
        /**
         * Validates and copies.
         *
         * @param snapshot the snapshot
         * @param reasons  every rule that keeps it, at least one
         */
        public Kept {
            Objects.requireNonNull(snapshot, "snapshot");
            reasons = List.copyOf(reasons);
            if (reasons.isEmpty()) {
                throw new IllegalArgumentException("snapshot " + snapshot.id() + " is kept without a reason");
            }
        }

        /**
         * The reasons, comma-separated.
         *
         * @return e.g. {@code "last #1, daily 2026-03-29"}
         */
        @Override
        public String explanation() {
            return reasons.stream().map(Reason::toString).collect(Collectors.joining(", "));
        }
    }

    /**
     * One rule keeping a snapshot.
     *
     * @param rule   the rule
     * @param period for a calendar rule its period ({@code 2026-03-29}, {@code 2026-W13},
     *               {@code 2026-03}, {@code 2026}); for {@link RetentionRule#LAST} the snapshot's
     *               rank among the newest ({@code 1} is the newest)
     */
    public record Reason(RetentionRule rule, String period) {
        /**
         * Validates.
         *
         * @param rule   the rule
         * @param period the period or rank
         */
        public Reason {
            Objects.requireNonNull(rule, "rule");
            Objects.requireNonNull(period, "period");
        }

        /**
         * The reason as people read it.
         *
         * @return e.g. {@code "daily 2026-03-29"} or {@code "last #2"}
         */
        @Override
        public String toString() {
            return rule == RetentionRule.LAST ? "last #" + period : rule.name().toLowerCase(Locale.ROOT) + " " + period;
        }
    }

    /**
     * A snapshot the policy deletes.
     *
     * @param snapshot the snapshot
     * @param reason   why no rule keeps it, one clause per rule of the policy, e.g.
     *                 {@code "not among the 7 newest; day 2026-03-04 is kept by newer snapshot b2..."}
     */
    public record Deleted(SnapshotMetadata snapshot, String reason) implements Verdict {
        /**
         * Validates.
         *
         * @param snapshot the snapshot
         * @param reason   why it is deleted
         */
        public Deleted {
            Objects.requireNonNull(snapshot, "snapshot");
            Objects.requireNonNull(reason, "reason");
        }

        /**
         * The reason.
         *
         * @return {@link #reason()}
         */
        @Override
        public String explanation() {
            return reason;
        }
    }
}
