package dev.vecpersist.core;

import dev.vecpersist.api.SnapshotMetadata;
import dev.vecpersist.testkit.property.Gen;
import dev.vecpersist.testkit.property.Generators;
import dev.vecpersist.testkit.property.PropertyRunner;
import org.junit.jupiter.api.Test;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.zone.ZoneOffsetTransition;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link RetentionPolicy#select} against two models written from the definitions, over random
 * policies and snapshot times spanning years, clustered around DST transitions, with equal
 * timestamps, in zones with odd offsets and DST rules; listed as the stores list (newest first by
 * time, ties by id) or, as after a stepped clock, in an order the timestamps do not follow.
 */
class RetentionPolicyPropertyTest {

    private static final List<ZoneId> ZONES = List.of(ZoneId.of("UTC"), ZoneId.of("Europe/Berlin"),
            ZoneId.of("America/New_York"), ZoneId.of("America/Sao_Paulo"), ZoneId.of("Asia/Kolkata"),
            ZoneId.of("Australia/Lord_Howe"), ZoneId.of("Pacific/Chatham"));
    private static final Instant FROM = Instant.parse("2015-01-01T00:00:00Z");
    private static final Instant TO = Instant.parse("2030-12-31T00:00:00Z");

    /** A generated case: the policy's counts, its zone and the list given to select, newest first. */
    record Case(int last, int daily, int weekly, int monthly, int yearly, ZoneId zone, boolean storeOrder,
                List<SnapshotMetadata> snapshots) {
        RetentionPolicy policy() {
            return RetentionPolicy.builder().keepLast(last).keepDaily(daily).keepWeekly(weekly)
                    .keepMonthly(monthly).keepYearly(yearly).zone(zone).build();
        }

        int count(RetentionRule rule) {
            return switch (rule) {
                case LAST -> last;
                case DAILY -> daily;
                case WEEKLY -> weekly;
                case MONTHLY -> monthly;
                case YEARLY -> yearly;
            };
        }
    }

    @Test
    void selectMatchesTheModels() {
        PropertyRunner.check("retention select matches the models", 400, cases(), this::matchesModels);
    }

    private void matchesModels(Case c) {
        RetentionDecision d = c.policy().select(c.snapshots());
        assertThat(d.verdicts()).extracting(RetentionDecision.Verdict::snapshot).containsExactlyElementsOf(c.snapshots());
        Map<String, List<String>> expected = encounterModel(c);

        Map<String, List<String>> actual = new LinkedHashMap<>();
        d.kept().forEach(k -> actual.put(k.snapshot().id(), k.reasons().stream().map(RetentionDecision.Reason::toString).toList()));
        Map<String, List<String>> expectedKept = new LinkedHashMap<>(expected);
        expectedKept.values().removeIf(List::isEmpty);
        assertThat(actual).as("kept, with reasons, in list order").containsExactlyEntriesOf(expectedKept);

        List<String> expectedDeleted = expected.entrySet().stream().filter(e -> e.getValue().isEmpty()).map(Map.Entry::getKey).toList();
        assertThat(d.deletedIds()).as("deleted, in list order").containsExactlyElementsOf(expectedDeleted);
        if (!c.snapshots().isEmpty()) {
            assertThat(d.keptIds()).as("the newest is always kept").startsWith(c.snapshots().get(0).id());
        }
        for (RetentionDecision.Deleted x : d.deleted()) {
            // each clause names the rule's period of the snapshot, one clause per active rule
            for (RetentionRule rule : RetentionRule.values()) {
                if (rule != RetentionRule.LAST && c.count(rule) > 0) {
                    assertThat(x.reason()).contains(rule.unit() + " " + label(rule, x.snapshot().timestamp(), c.zone()) + " is ");
                }
            }
            long active = java.util.Arrays.stream(RetentionRule.values()).filter(r -> c.count(r) > 0).count();
            assertThat(x.reason().split("; ")).hasSize((int) active);
        }
        if (c.storeOrder()) {
            assertThat(actual.keySet()).as("by the calendar definition").containsExactlyElementsOf(calendarModel(c));
        }
    }

    /**
     * Per snapshot at index i, per rule: LAST keeps it iff i < n; a calendar rule keeps it iff no
     * snapshot listed before it is in its period and fewer than n distinct periods are listed before it.
     */
    private static Map<String, List<String>> encounterModel(Case c) {
        List<SnapshotMetadata> s = c.snapshots();
        Map<String, List<String>> reasons = new LinkedHashMap<>();
        for (int i = 0; i < s.size(); i++) {
            reasons.put(s.get(i).id(), new ArrayList<>());
            if (i < c.last()) {
                reasons.get(s.get(i).id()).add("last #" + (i + 1));
            }
        }
        for (RetentionRule rule : List.of(RetentionRule.DAILY, RetentionRule.WEEKLY, RetentionRule.MONTHLY, RetentionRule.YEARLY)) {
            if (c.count(rule) == 0) {
                continue;
            }
            List<String> labels = s.stream().map(x -> label(rule, x.timestamp(), c.zone())).toList();
            for (int i = 0; i < s.size(); i++) {
                Set<String> before = new HashSet<>(labels.subList(0, i));
                if (!before.contains(labels.get(i)) && before.size() < c.count(rule)) {
                    reasons.get(s.get(i).id()).add(rule.name().toLowerCase(Locale.ROOT) + " " + labels.get(i));
                }
            }
        }
        return reasons;
    }

    /**
     * For a list newest first by time: the n newest, and for each of the n latest calendar periods
     * with snapshots, its newest snapshot (by time; of equal times, the first listed). Ids in list order.
     */
    private static List<String> calendarModel(Case c) {
        List<SnapshotMetadata> s = c.snapshots();
        Set<String> kept = new HashSet<>();
        for (int i = 0; i < Math.min(c.last(), s.size()); i++) {
            kept.add(s.get(i).id());
        }
        for (RetentionRule rule : List.of(RetentionRule.DAILY, RetentionRule.WEEKLY, RetentionRule.MONTHLY, RetentionRule.YEARLY)) {
            // labels sort like their periods within the years generated (4-digit years)
            TreeSet<String> periods = new TreeSet<>(Comparator.reverseOrder());
            s.forEach(x -> periods.add(label(rule, x.timestamp(), c.zone())));
            int taken = 0;
            for (String period : periods) {
                if (taken++ == c.count(rule)) {
                    break;
                }
                SnapshotMetadata newest = null;
                for (SnapshotMetadata x : s) {
                    if (label(rule, x.timestamp(), c.zone()).equals(period)
                            && (newest == null || x.timestamp().isAfter(newest.timestamp()))) {
                        newest = x;
                    }
                }
                kept.add(newest.id());
            }
        }
        return s.stream().map(SnapshotMetadata::id).filter(kept::contains).toList();
    }

    /** The period label computed without the code under test: weeks from their Thursday, the ISO rule. */
    private static String label(RetentionRule rule, Instant t, ZoneId zone) {
        ZonedDateTime z = t.atZone(zone);
        return switch (rule) {
            case DAILY -> String.format(Locale.ROOT, "%04d-%02d-%02d", z.getYear(), z.getMonthValue(), z.getDayOfMonth());
            case WEEKLY -> {
                LocalDate thursday = z.toLocalDate().with(DayOfWeek.THURSDAY);
                yield String.format(Locale.ROOT, "%04d-W%02d", thursday.getYear(), (thursday.getDayOfYear() - 1) / 7 + 1);
            }
            case MONTHLY -> String.format(Locale.ROOT, "%04d-%02d", z.getYear(), z.getMonthValue());
            case YEARLY -> String.format(Locale.ROOT, "%04d", z.getYear());
            case LAST -> throw new IllegalArgumentException("LAST has no periods");
        };
    }

    private static Gen<Case> cases() {
        Gen<Integer> count = random -> random.nextInt(3) == 0 ? 0 : Generators.integers(0, 6).next(random);
        Gen<ZoneId> zones = Generators.of(ZONES);
        return random -> {
            int[] n;
            do {
                n = new int[] {count.next(random), count.next(random), count.next(random), count.next(random), count.next(random)};
            } while (n[0] + n[1] + n[2] + n[3] + n[4] == 0);
            ZoneId zone = zones.next(random);
            List<Instant> times = times(random, zone);
            boolean storeOrder = random.nextInt(4) != 0;
            return new Case(n[0], n[1], n[2], n[3], n[4], zone, storeOrder, listed(random, times, storeOrder));
        };
    }

    /** Times spread over years, or clustered within days of a DST transition, with repeats. */
    private static List<Instant> times(SplittableRandom random, ZoneId zone) {
        int size = Generators.integers(0, 60).next(random);
        List<Instant> out = new ArrayList<>();
        int style = random.nextInt(3);
        Instant centre = between(random, FROM, TO);
        ZoneOffsetTransition transition = zone.getRules().nextTransition(centre);
        if (transition != null && transition.getInstant().isBefore(TO)) {
            centre = transition.getInstant();
        }
        for (int i = 0; i < size; i++) {
            if (!out.isEmpty() && random.nextInt(6) == 0) {
                out.add(out.get(random.nextInt(out.size())));   // an equal timestamp
                continue;
            }
            out.add(switch (style) {
                case 0 -> between(random, FROM, TO);
                case 1 -> centre.plusSeconds(random.nextLong(-3 * 86_400, 3 * 86_400 + 1));   // around a transition
                default -> centre.plus(Duration.ofHours(random.nextLong(-24 * 400, 24 * 400 + 1)));   // around a year
            });
        }
        return out;
    }

    private static Instant between(SplittableRandom random, Instant from, Instant to) {
        return Instant.ofEpochSecond(random.nextLong(from.getEpochSecond(), to.getEpochSecond()));
    }

    /** Snapshots with distinct ids not ordered like their times; newest first by time then id, or shuffled. */
    private static List<SnapshotMetadata> listed(SplittableRandom random, List<Instant> times, boolean storeOrder) {
        List<SnapshotMetadata> out = new ArrayList<>();
        for (int i = 0; i < times.size(); i++) {
            String id = String.format(Locale.ROOT, "%08x-%d", random.nextInt(), i);
            out.add(new SnapshotMetadata(id, "", times.get(i), 1, 1, "json", "none", 1, "00", Map.of()));
        }
        if (storeOrder) {
            out.sort(Comparator.comparing(SnapshotMetadata::timestamp).thenComparing(SnapshotMetadata::id).reversed());
        } else {
            for (int i = out.size() - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                out.set(i, out.set(j, out.get(i)));
            }
        }
        return out;
    }

    @Test
    void theModelsLabelPeriodsAsTheRulesDo() {
        // the ISO week from the Thursday agrees with java.time's week fields on every day of 2015-2030
        ZoneId utc = ZoneId.of("UTC");
        for (LocalDate d = LocalDate.of(2015, 1, 1); d.getYear() <= 2030; d = d.plusDays(1)) {
            Instant noon = d.atTime(12, 0).atZone(utc).toInstant();
            for (RetentionRule rule : List.of(RetentionRule.DAILY, RetentionRule.WEEKLY, RetentionRule.MONTHLY, RetentionRule.YEARLY)) {
                assertThat(rule.period(noon, utc)).as("%s of %s", rule, d).isEqualTo(label(rule, noon, utc));
            }
        }
    }
}
