package dev.vecpersist.core;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HistoryPolicyTest {

    private static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");

    /** Versions 1..n committed one minute apart from T0. */
    private static List<VersionHistory.Version> versions(int n) {
        List<VersionHistory.Version> all = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            all.add(new VersionHistory.Version(i, T0.plus(Duration.ofMinutes(i - 1)), VersionInfo.Kind.FULL, i, 0));
        }
        return all;
    }

    @Test
    void latestOnlyKeepsOneAndIsTheDefault() {
        assertThat(PersistenceOptions.builder().baseDir(java.nio.file.Path.of("x")).build().history())
                .isEqualTo(HistoryPolicy.latestOnly()).isEqualTo(HistoryPolicy.keepLast(1));
        assertThat(HistoryPolicy.latestOnly().dropCount(versions(5), T0)).isEqualTo(4);
        assertThat(HistoryPolicy.latestOnly().dropCount(versions(1), T0)).isZero();
    }

    @Test
    void keepLastKeepsTheNewestN() {
        assertThat(HistoryPolicy.keepLast(3).dropCount(versions(2), T0)).isZero();
        assertThat(HistoryPolicy.keepLast(3).dropCount(versions(3), T0)).isZero();
        assertThat(HistoryPolicy.keepLast(3).dropCount(versions(10), T0)).isEqualTo(7);
    }

    @Test
    void keepForKeepsWhatIsYoungerThanTheAgeAtTheBoundaryInclusive() {
        HistoryPolicy tenMinutes = HistoryPolicy.keepFor(Duration.ofMinutes(10));
        List<VersionHistory.Version> v = versions(20); // times T0 .. T0+19min
        Instant now = T0.plus(Duration.ofMinutes(19));
        // the cutoff is T0+9min: version 10 (T0+9min) is exactly at it and stays, version 9 goes
        assertThat(tenMinutes.dropCount(v, now)).isEqualTo(9);
        assertThat(tenMinutes.dropCount(v, now.plusNanos(1))).isEqualTo(10);
        // long after: only the latest is left, never nothing
        assertThat(tenMinutes.dropCount(v, now.plus(Duration.ofDays(3)))).isEqualTo(19);
    }

    @Test
    void keepForNeverDropsAVersionWithinTheAgeWhenTheClockSteppedBack() {
        List<VersionHistory.Version> v = new ArrayList<>(versions(3));
        // version 4 was committed after the clock stepped back a day: older by time than versions 1..3
        v.add(new VersionHistory.Version(4, T0.minus(Duration.ofDays(1)), VersionInfo.Kind.FULL, 4, 0));
        v.add(new VersionHistory.Version(5, T0.plus(Duration.ofMinutes(3)), VersionInfo.Kind.FULL, 5, 0));
        // cutoff T0+2m: version 3 is the oldest within it; 1 and 2 go, 4 stays (newer by number than 3)
        assertThat(HistoryPolicy.keepFor(Duration.ofMinutes(2)).dropCount(v, T0.plus(Duration.ofMinutes(4))))
                .isEqualTo(2);
        // cutoff T0-56m: version 1 is within it, so nothing goes, though 4's time reads a day old
        assertThat(HistoryPolicy.keepFor(Duration.ofHours(1)).dropCount(v, T0.plus(Duration.ofMinutes(4))))
                .isZero();
        // nothing but the latest within the age: only the latest stays
        assertThat(HistoryPolicy.keepFor(Duration.ofSeconds(30)).dropCount(v, T0.plus(Duration.ofMinutes(4))))
                .isEqualTo(4);
    }

    @Test
    void refusesPoliciesThatKeepNothing() {
        assertThatThrownBy(() -> HistoryPolicy.keepLast(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HistoryPolicy.keepFor(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HistoryPolicy.keepFor(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThat(HistoryPolicy.keepLast(50)).hasToString("keepLast(50)").isEqualTo(HistoryPolicy.keepLast(50));
    }
}
