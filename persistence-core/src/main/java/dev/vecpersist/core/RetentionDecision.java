package dev.vecpersist.core;

import dev.vecpersist.api.SnapshotMetadata;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What a {@link RetentionPolicy} decided for a list of snapshots: which it keeps and why, which it
 * deletes and why. Both lists are in the order of the list the policy was given (newest first).
 *
 * @param kept    the snapshots kept, each with every rule that keeps it
 * @param deleted the snapshots to delete, each with why no rule keeps it
 */
public record RetentionDecision(List<Kept> kept, List<Deleted> deleted) {

    /**
     * Copies both lists.
     *
     * @param kept    the snapshots kept
     * @param deleted the snapshots to delete
     */
    public RetentionDecision {
        kept = List.copyOf(kept);
        deleted = List.copyOf(deleted);
    }

    /**
     * The ids of the snapshots to delete, in the order of {@link #deleted()}.
     *
     * @return the ids
     */
    public List<String> deletedIds() {
        return deleted.stream().map(d -> d.snapshot().id()).toList();
    }

    /**
     * The ids of the snapshots kept, in the order of {@link #kept()}.
     *
     * @return the ids
     */
    public List<String> keptIds() {
        return kept.stream().map(k -> k.snapshot().id()).toList();
    }

    /**
     * A snapshot the policy keeps.
     *
     * @param snapshot the snapshot
     * @param reasons  every rule that keeps it, in the order of {@link RetentionRule}; never empty
     */
    public record Kept(SnapshotMetadata snapshot, List<Reason> reasons) {
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
    public record Deleted(SnapshotMetadata snapshot, String reason) {
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
    }
}
