package dev.vecpersist.it.history;

import dev.vecpersist.core.RetentionPolicy;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * The model's own reading of docs/retention.md, written without {@link RetentionPolicy}'s code (only
 * its counts and zone are read): walking the snapshots newest first in the store's order, a
 * snapshot is kept when it is among the {@code keepLast} first, or when, for a calendar rule of
 * count n, its period (local day, ISO week of its week-based year, month, year in the zone) has not
 * been met yet and fewer than n periods have been.
 */
final class ModelRetention {

    private ModelRetention() {
    }

    /**
     * Which snapshots the policy keeps.
     *
     * @param newestFirst the snapshots' timestamps, newest first in the store's order
     * @param policy      the counts and zone
     * @return for each snapshot, in the same order, whether it is kept
     */
    static List<Boolean> kept(List<Instant> newestFirst, RetentionPolicy policy) {
        List<Boolean> kept = new ArrayList<>();
        for (int i = 0; i < newestFirst.size(); i++) {
            kept.add(i < policy.keepLast());
        }
        ZoneId zone = policy.zone();
        keepByPeriod(newestFirst, policy.keepDaily(), t -> LocalDate.ofInstant(t, zone), kept);
        keepByPeriod(newestFirst, policy.keepWeekly(), t -> {
            LocalDate day = LocalDate.ofInstant(t, zone);
            return day.get(IsoFields.WEEK_BASED_YEAR) + "-W" + day.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR);
        }, kept);
        keepByPeriod(newestFirst, policy.keepMonthly(), t -> YearMonth.from(t.atZone(zone)), kept);
        keepByPeriod(newestFirst, policy.keepYearly(), t -> t.atZone(zone).getYear(), kept);
        return kept;
    }

    private static void keepByPeriod(List<Instant> newestFirst, int n, Function<Instant, Object> period,
                                     List<Boolean> kept) {
        Set<Object> met = new HashSet<>();
        for (int i = 0; i < newestFirst.size(); i++) {
            if (met.add(period.apply(newestFirst.get(i))) && met.size() <= n) {
                kept.set(i, true);
            }
        }
    }
}
