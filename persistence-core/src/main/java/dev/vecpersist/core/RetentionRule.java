package dev.vecpersist.core;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.temporal.IsoFields;
import java.util.Locale;

/**
 * The rules of a {@link RetentionPolicy}: the newest snapshots, and the newest snapshot of each
 * recent calendar period.
 */
public enum RetentionRule {
    /** The newest snapshots, counted in the store's order. */
    LAST("newest", "newest"),
    /** The newest snapshot of each recent day. */
    DAILY("day", "days"),
    /** The newest snapshot of each recent ISO week (Monday to Sunday, numbered in its week-based year). */
    WEEKLY("week", "weeks"),
    /** The newest snapshot of each recent month. */
    MONTHLY("month", "months"),
    /** The newest snapshot of each recent year. */
    YEARLY("year", "years");

    private final String unit;
    private final String units;

    RetentionRule(String unit, String units) {
        this.unit = unit;
        this.units = units;
    }

    /**
     * The period's name in messages.
     *
     * @return e.g. {@code "day"}
     */
    public String unit() {
        return unit;
    }

    /**
     * The plural of {@link #unit()}.
     *
     * @return e.g. {@code "days"}
     */
    public String units() {
        return units;
    }

    /**
     * The calendar period an instant falls in, in a zone, as an ISO-8601 label that is also its key:
     * {@code 2026-03-29}, {@code 2026-W13}, {@code 2026-03}, {@code 2026}.
     *
     * @throws UnsupportedOperationException for {@link #LAST}, which has no periods
     * @throws DateTimeException            when the instant is beyond the calendar's range
     */
    String period(Instant time, ZoneId zone) {
        LocalDate date = LocalDate.ofInstant(time, zone);
        return switch (this) {
            case DAILY -> date.toString();
            // the week-based year: 2027-01-01 (a Friday) is in week 53 of 2026
            case WEEKLY -> String.format(Locale.ROOT, "%d-W%02d",
                    date.get(IsoFields.WEEK_BASED_YEAR), date.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
            case MONTHLY -> YearMonth.from(date).toString();
            case YEARLY -> Integer.toString(date.getYear());
            case LAST -> throw new UnsupportedOperationException("the rule LAST has no calendar periods");
        };
    }
}
