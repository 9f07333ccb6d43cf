package dev.vecpersist.core;

import dev.vecpersist.api.SnapshotMetadata;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Retention by examples: tables of snapshot times and what a policy keeps, and the policy's validation. */
class RetentionPolicyTest {

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

    static SnapshotMetadata snapshot(String id, String time) {
        return new SnapshotMetadata(id, "name of " + id, Instant.parse(time), 1, 2, "json", "none", 10, "00", Map.of());
    }

    /** Snapshots from "id=time" pairs, listed in the given order (newest first). */
    static List<SnapshotMetadata> listed(String... idEqualsTime) {
        List<SnapshotMetadata> out = new ArrayList<>();
        for (String pair : idEqualsTime) {
            String[] parts = pair.split("=", 2);
            out.add(snapshot(parts[0], parts[1]));
        }
        return out;
    }

    /** id -> "reason, reason" for kept snapshots, id -> "delete" for the others; the verdicts follow the list. */
    static Map<String, String> outcome(RetentionDecision d, List<SnapshotMetadata> listed) {
        assertThat(d.verdicts()).extracting(RetentionDecision.Verdict::snapshot).containsExactlyElementsOf(listed);
        Map<String, String> byId = new LinkedHashMap<>();
        d.verdicts().forEach(v -> byId.put(v.snapshot().id(), v instanceof RetentionDecision.Kept k ? k.explanation() : "delete"));
        return byId;
    }

    @Test
    void grandfatherFatherSonTable() {
        RetentionPolicy policy = RetentionPolicy.builder()
                .keepLast(1).keepDaily(3).keepWeekly(2).keepMonthly(3).keepYearly(2).build();
        List<SnapshotMetadata> snapshots = listed(
                "s1=2026-03-10T12:00:00Z",   // Tuesday, ISO week 11
                "s2=2026-03-10T08:00:00Z",
                "s3=2026-03-09T12:00:00Z",   // Monday, week 11
                "s4=2026-03-08T12:00:00Z",   // Sunday, week 10
                "s5=2026-03-07T12:00:00Z",
                "s6=2026-03-01T12:00:00Z",   // Sunday, week 9
                "s7=2026-02-28T12:00:00Z",
                "s8=2026-02-15T12:00:00Z",
                "s9=2026-01-31T12:00:00Z",
                "s10=2025-12-31T12:00:00Z");
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("s1", "last #1, daily 2026-03-10, weekly 2026-W11, monthly 2026-03, yearly 2026");
        expected.put("s2", "delete");
        expected.put("s3", "daily 2026-03-09");
        expected.put("s4", "daily 2026-03-08, weekly 2026-W10");
        expected.put("s5", "delete");
        expected.put("s6", "delete");
        expected.put("s7", "monthly 2026-02");
        expected.put("s8", "delete");
        expected.put("s9", "monthly 2026-01");
        expected.put("s10", "yearly 2025");

        RetentionDecision d = policy.select(snapshots);

        assertThat(outcome(d, snapshots)).containsExactlyEntriesOf(expected);
        assertThat(d.keptIds()).containsExactly("s1", "s3", "s4", "s7", "s9", "s10");
        assertThat(d.deletedIds()).containsExactly("s2", "s5", "s6", "s8");
        assertThat(d.deleted().get(1).reason()).isEqualTo("not the newest; "
                + "day 2026-03-07 is beyond the 3 most recent days with snapshots; "
                + "week 2026-W10 is kept by newer snapshot s4; "
                + "month 2026-03 is kept by newer snapshot s1; "
                + "year 2026 is kept by newer snapshot s1");
        assertThat(d.deleted().get(2).reason()).contains("week 2026-W09 is beyond the 2 most recent weeks with snapshots");
    }

    @Test
    void daysAreDaysOfThePolicyZone() {
        List<SnapshotMetadata> snapshots = listed(
                "a=2026-03-05T10:00:00Z",
                "b=2026-03-04T23:30:00Z",    // 00:30 on March 5 in Berlin
                "c=2026-03-04T12:00:00Z");
        RetentionPolicy utc = RetentionPolicy.builder().keepDaily(2).build();
        RetentionPolicy berlin = RetentionPolicy.builder().keepDaily(2).zone(BERLIN).build();

        assertThat(utc.zone()).isEqualTo(ZoneOffset.UTC);
        assertThat(utc.select(snapshots).keptIds()).containsExactly("a", "b");
        assertThat(berlin.select(snapshots).keptIds()).containsExactly("a", "c");
    }

    @Test
    void theDayOfASpringForwardInBerlinIsOneDay() {
        // 2026-03-29: clocks go from 02:00 CET to 03:00 CEST; the local day lasts 23 hours
        List<SnapshotMetadata> snapshots = listed(
                "mar30-0030=2026-03-29T22:30:00Z",   // 00:30 CEST on March 30
                "mar29-2330=2026-03-29T21:30:00Z",   // 23:30 CEST on March 29
                "mar29-0330=2026-03-29T01:30:00Z",   // 03:30 CEST, just after the gap
                "mar29-0130=2026-03-29T00:30:00Z",   // 01:30 CET, just before it
                "mar29-0030=2026-03-28T23:30:00Z",   // 00:30 CET on March 29
                "mar28-2330=2026-03-28T22:30:00Z");  // 23:30 CET on March 28
        RetentionDecision d = RetentionPolicy.builder().keepDaily(3).zone(BERLIN).build().select(snapshots);

        assertThat(outcome(d, snapshots)).containsExactly(
                Map.entry("mar30-0030", "daily 2026-03-30"),
                Map.entry("mar29-2330", "daily 2026-03-29"),
                Map.entry("mar29-0330", "delete"),
                Map.entry("mar29-0130", "delete"),
                Map.entry("mar29-0030", "delete"),
                Map.entry("mar28-2330", "daily 2026-03-28"));
    }

    @Test
    void theRepeatedHourOfAFallBackInNewYorkIsTheSameDay() {
        // 2026-11-01: 01:00-02:00 happens twice in New York (EDT, then EST)
        List<SnapshotMetadata> snapshots = listed(
                "est-0130=2026-11-01T06:30:00Z",
                "edt-0130=2026-11-01T05:30:00Z",
                "oct31-2330=2026-11-01T03:30:00Z");   // 23:30 EDT on October 31
        RetentionDecision d = RetentionPolicy.builder().keepDaily(5).zone(NEW_YORK).build().select(snapshots);

        assertThat(outcome(d, snapshots)).containsExactly(
                Map.entry("est-0130", "daily 2026-11-01"),
                Map.entry("edt-0130", "delete"),
                Map.entry("oct31-2330", "daily 2026-10-31"));
        assertThat(d.deleted().get(0).reason()).isEqualTo("day 2026-11-01 is kept by newer snapshot est-0130");
    }

    @Test
    void weeksAreIsoWeeksOfTheWeekBasedYear() {
        List<SnapshotMetadata> snapshots = listed(
                "sat=2027-01-02T12:00:00Z",   // 2026-W53, year 2027
                "thu=2026-12-31T12:00:00Z",   // 2026-W53, year 2026
                "sun=2026-12-27T12:00:00Z",   // 2026-W52
                "mon=2025-12-29T12:00:00Z");  // 2026-W01, year 2025
        RetentionPolicy weekly = RetentionPolicy.builder().keepWeekly(3).build();
        RetentionPolicy yearly = RetentionPolicy.builder().keepYearly(3).build();

        assertThat(outcome(weekly.select(snapshots), snapshots)).containsExactly(
                Map.entry("sat", "weekly 2026-W53"),
                Map.entry("thu", "delete"),
                Map.entry("sun", "weekly 2026-W52"),
                Map.entry("mon", "weekly 2026-W01"));
        assertThat(outcome(yearly.select(snapshots), snapshots)).containsExactly(
                Map.entry("sat", "yearly 2027"),
                Map.entry("thu", "yearly 2026"),
                Map.entry("sun", "delete"),
                Map.entry("mon", "yearly 2025"));
    }

    @Test
    void keepLastAloneIsMaxSnapshotsTheNewestInTheStoresOrderWhateverTheClockSaid() {
        // created in this order, newest first; the clock stepped back a day before "s3" was taken
        List<SnapshotMetadata> snapshots = listed(
                "s5=2026-05-31T12:05:00Z",
                "s4=2026-05-31T12:04:00Z",
                "s3=2026-05-31T12:03:00Z",
                "s2=2026-06-01T12:02:00Z",
                "s1=2026-06-01T12:01:00Z",
                "s0=2026-06-01T12:00:00Z");
        RetentionDecision d = RetentionPolicy.keepLast(3).select(snapshots);

        assertThat(d.keptIds()).containsExactly("s5", "s4", "s3");
        assertThat(d.deletedIds()).containsExactly("s2", "s1", "s0");
        assertThat(d.deleted()).allSatisfy(x -> assertThat(x.reason()).isEqualTo("not among the 3 newest"));
        assertThat(RetentionPolicy.keepLast(1).select(snapshots).deleted().get(0).reason()).isEqualTo("not the newest");
    }

    @Test
    void theNewestSnapshotIsKeptByEveryCalendarRuleEvenWhenTheClockSteppedBack() {
        List<SnapshotMetadata> snapshots = listed(
                "newest=2026-06-01T11:00:00Z",   // the clock was stepped back before it was taken
                "b=2026-06-01T12:02:00Z",
                "c=2026-06-01T12:01:00Z",
                "d=2026-05-31T12:00:00Z");
        RetentionDecision d = RetentionPolicy.builder().keepDaily(2).keepMonthly(1).build().select(snapshots);

        assertThat(outcome(d, snapshots)).containsExactly(
                Map.entry("newest", "daily 2026-06-01, monthly 2026-06"),
                Map.entry("b", "delete"),
                Map.entry("c", "delete"),
                Map.entry("d", "daily 2026-05-31"));
        assertThat(d.deleted().get(0).reason())
                .isEqualTo("day 2026-06-01 is kept by newer snapshot newest; month 2026-06 is kept by newer snapshot newest");
    }

    @Test
    void ofSnapshotsWithEqualTimestampsTheFirstListedIsTheNewest() {
        List<SnapshotMetadata> snapshots = listed(
                "y=2026-04-01T00:00:00Z",
                "x=2026-04-01T00:00:00Z",
                "w=2026-03-31T23:59:59.999999999Z");
        RetentionDecision d = RetentionPolicy.builder().keepDaily(7).build().select(snapshots);

        assertThat(outcome(d, snapshots)).containsExactly(
                Map.entry("y", "daily 2026-04-01"),
                Map.entry("x", "delete"),
                Map.entry("w", "daily 2026-03-31"));
    }

    @Test
    void anEmptyListKeepsAndDeletesNothing() {
        RetentionDecision d = RetentionPolicy.keepLast(1).select(List.of());

        assertThat(d.kept()).isEmpty();
        assertThat(d.deleted()).isEmpty();
    }

    @Test
    void negativeCountsAreRefusedNamingTheRule() {
        assertThatThrownBy(() -> RetentionPolicy.builder().keepLast(-1).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("keepLast must be 0 (rule off) or more, not -1");
        assertThatThrownBy(() -> RetentionPolicy.builder().keepLast(3).keepDaily(-2).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("keepDaily").hasMessageContaining("-2");
        assertThatThrownBy(() -> RetentionPolicy.builder().keepLast(3).keepWeekly(-1).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("keepWeekly");
        assertThatThrownBy(() -> RetentionPolicy.builder().keepLast(3).keepMonthly(-1).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("keepMonthly");
        assertThatThrownBy(() -> RetentionPolicy.builder().keepLast(3).keepYearly(Integer.MIN_VALUE).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("keepYearly");
    }

    @Test
    void aPolicyThatKeepsNothingIsRefused() {
        assertThatThrownBy(() -> RetentionPolicy.builder().build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("would delete every snapshot")
                .hasMessageContaining("keepLast, keepDaily, keepWeekly, keepMonthly, keepYearly");
        assertThatThrownBy(() -> RetentionPolicy.keepLast(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RetentionPolicy.builder().keepDaily(1).zone(null).build())
                .isInstanceOf(NullPointerException.class).hasMessage("zone");
    }

    @Test
    void aListNamingOneIdTwiceIsRefused() {
        List<SnapshotMetadata> twice = listed("a=2026-01-02T00:00:00Z", "b=2026-01-01T00:00:00Z", "a=2026-01-01T00:00:00Z");

        assertThatThrownBy(() -> RetentionPolicy.keepLast(1).select(twice))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("snapshot id a is listed twice");
    }

    @Test
    void aTimestampBeyondTheCalendarIsRefusedOnlyWhenACalendarRuleNeedsIt() {
        List<SnapshotMetadata> far = List.of(new SnapshotMetadata("far", "", Instant.MAX, 1, 2, "json", "none", 1, "00", Map.of()));

        assertThat(RetentionPolicy.keepLast(1).select(far).keptIds()).containsExactly("far");
        assertThatThrownBy(() -> RetentionPolicy.builder().keepYearly(1).build().select(far))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("snapshot far has timestamp " + Instant.MAX)
                .hasMessageContaining("year cannot be known");
    }

    @Test
    void policiesAreValuesAndTheBuilderDoesNotReachABuiltPolicy() {
        RetentionPolicy.Builder b = RetentionPolicy.builder().keepLast(7).keepDaily(14).keepWeekly(8).keepMonthly(12).zone(BERLIN);
        RetentionPolicy built = b.build();
        b.keepLast(1).zone(ZoneOffset.UTC);

        assertThat(built.keepLast()).isEqualTo(7);
        assertThat(built.keepDaily()).isEqualTo(14);
        assertThat(built.keepWeekly()).isEqualTo(8);
        assertThat(built.keepMonthly()).isEqualTo(12);
        assertThat(built.keepYearly()).isZero();
        assertThat(built.count(RetentionRule.WEEKLY)).isEqualTo(8);
        assertThat(built.zone()).isEqualTo(BERLIN);
        assertThat(built).isEqualTo(RetentionPolicy.builder().keepLast(7).keepDaily(14).keepWeekly(8).keepMonthly(12)
                .zone(BERLIN).build()).hasSameHashCodeAs(RetentionPolicy.builder().keepLast(7).keepDaily(14)
                .keepWeekly(8).keepMonthly(12).zone(BERLIN).build());
        assertThat(built).isNotEqualTo(b.build());
        assertThat(built).hasToString("RetentionPolicy[keepLast=7, keepDaily=14, keepWeekly=8, keepMonthly=12, "
                + "keepYearly=0, zone=Europe/Berlin]");
    }

    @Test
    void decisionsAreImmutable() {
        List<SnapshotMetadata> snapshots = new ArrayList<>(listed("a=2026-01-02T00:00:00Z", "b=2026-01-01T00:00:00Z"));
        RetentionDecision d = RetentionPolicy.keepLast(1).select(snapshots);
        snapshots.clear();

        assertThat(d.keptIds()).containsExactly("a");
        assertThatThrownBy(() -> d.verdicts().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> d.kept().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> d.deleted().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> d.kept().get(0).reasons().clear()).isInstanceOf(UnsupportedOperationException.class);
    }
}
