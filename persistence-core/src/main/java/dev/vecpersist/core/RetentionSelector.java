package dev.vecpersist.core;

import dev.vecpersist.api.SnapshotMetadata;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The walk a {@link RetentionPolicy} decides by: newest first, each snapshot kept by every rule that
 * keeps it, or deleted with the reason each rule gives. Pure: reads nothing, deletes nothing.
 */
final class RetentionSelector {

    private static final List<RetentionRule> CALENDAR_RULES =
            List.of(RetentionRule.DAILY, RetentionRule.WEEKLY, RetentionRule.MONTHLY, RetentionRule.YEARLY);

    private RetentionSelector() {
    }

    /** Decides over a list already ordered newest first; see {@link RetentionPolicy#select(List)}. */
    static RetentionDecision decide(RetentionPolicy policy, List<SnapshotMetadata> newestFirst) {
        checkDistinctIds(newestFirst);
        // per calendar rule: each period seen so far -> the id of the newest snapshot in it, if kept
        Map<RetentionRule, Map<String, String>> seen = new EnumMap<>(RetentionRule.class);
        Map<RetentionRule, Integer> periodsKept = new EnumMap<>(RetentionRule.class);
        List<RetentionDecision.Verdict> verdicts = new ArrayList<>(newestFirst.size());
        for (int rank = 1; rank <= newestFirst.size(); rank++) {
            SnapshotMetadata snapshot = newestFirst.get(rank - 1);
            List<RetentionDecision.Reason> reasons = new ArrayList<>();
            List<String> whyNot = new ArrayList<>();
            int last = policy.keepLast();
            if (rank <= last) {
                reasons.add(new RetentionDecision.Reason(RetentionRule.LAST, Integer.toString(rank)));
            } else if (last > 0) {
                whyNot.add(last == 1 ? "not the newest" : "not among the " + last + " newest");
            }
            for (RetentionRule rule : CALENDAR_RULES) {
                int n = policy.count(rule);
                if (n == 0) {
                    continue;
                }
                String period = period(rule, snapshot, policy.zone());
                Map<String, String> periods = seen.computeIfAbsent(rule, r -> new HashMap<>());
                if (periods.containsKey(period)) {
                    String keeper = periods.get(period);
                    whyNot.add(keeper == null
                            ? rule.unit() + " " + period + " is " + beyond(rule, n)
                            : rule.unit() + " " + period + " is kept by newer snapshot " + keeper);
                } else if (periodsKept.getOrDefault(rule, 0) < n) {
                    periods.put(period, snapshot.id());
                    periodsKept.merge(rule, 1, Integer::sum);
                    reasons.add(new RetentionDecision.Reason(rule, period));
                } else {
                    periods.put(period, null);
                    whyNot.add(rule.unit() + " " + period + " is " + beyond(rule, n));
                }
            }
            if (reasons.isEmpty()) {
                verdicts.add(new RetentionDecision.Deleted(snapshot, String.join("; ", whyNot)));
            } else {
                verdicts.add(new RetentionDecision.Kept(snapshot, reasons));
            }
        }
        return new RetentionDecision(verdicts);
    }

    private static String beyond(RetentionRule rule, int n) {
        return n == 1 ? "beyond the most recent " + rule.unit() + " with a snapshot"
                : "beyond the " + n + " most recent " + rule.units() + " with snapshots";
    }

    private static String period(RetentionRule rule, SnapshotMetadata snapshot, ZoneId zone) {
        try {
            return rule.period(snapshot.timestamp(), zone);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("snapshot " + snapshot.id() + " has timestamp " + snapshot.timestamp()
                    + ", beyond the calendar's range: its " + rule.unit() + " cannot be known", e);
        }
    }

    private static void checkDistinctIds(List<SnapshotMetadata> snapshots) {
        Set<String> ids = new HashSet<>();
        for (SnapshotMetadata s : snapshots) {
            Objects.requireNonNull(s, "a snapshot in the list is null");
            if (!ids.add(s.id())) {
                throw new IllegalArgumentException("snapshot id " + s.id() + " is listed twice");
            }
        }
    }
}
