package dev.vecpersist.cli;

import dev.vecpersist.api.SnapshotMetadata;
import dev.vecpersist.core.DatabasePersistence;
import dev.vecpersist.core.PersistenceOptions;
import dev.vecpersist.core.VectorDB;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code vecpersist snapshots prune}: the table of kept and deleted snapshots, dry runs, the lock, bad policies. */
class SnapshotsPruneCliTest {

    @TempDir
    Path dir;

    /** A base directory with snapshots taken at these times, oldest first; returns name -> id. */
    private Map<String, String> snapshotsAt(Path base, String... nameEqualsTime) {
        VectorDB db = Databases.random(20, 4, 7);
        Map<String, String> ids = new LinkedHashMap<>();
        try (DatabasePersistence p = new DatabasePersistence(db, PersistenceOptions.builder().baseDir(base).build())) {
            p.save();
        }
        for (String pair : nameEqualsTime) {
            String[] parts = pair.split("=", 2);
            Clock at = Clock.fixed(Instant.parse(parts[1]), ZoneOffset.UTC);
            try (DatabasePersistence p = new DatabasePersistence(db, PersistenceOptions.builder().baseDir(base)
                    .maxSnapshots(100).clock(at).build())) {
                SnapshotMetadata m = p.createSnapshot(parts[0]);
                ids.put(parts[0], m.id());
            }
        }
        return ids;
    }

    private static List<String> files(Path base) throws IOException {
        try (Stream<Path> s = Files.list(base.resolve("snapshots"))) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static String row(String action, String id, String name) {
        return "(?m)^" + action + " +" + id + "  " + name + " +";
    }

    @Test
    void aDryRunPrintsTheDecisionAndDeletesNothingThenAPruneDeletes() throws IOException {
        Path base = dir.resolve("base");
        Map<String, String> ids = snapshotsAt(base, "d0=2026-03-01T12:00:00Z", "d1=2026-03-02T12:00:00Z",
                "d2a=2026-03-03T08:00:00Z", "d2b=2026-03-03T18:00:00Z", "d3=2026-03-04T12:00:00Z");
        List<String> before = files(base);

        CliTest.Result dry = CliTest.run("snapshots", "prune", "--dir", base.toString(), "--keep-daily", "2", "--dry-run");

        assertThat(dry.code()).as(dry.err()).isZero();
        assertThat(dry.out())
                .containsPattern(row("keep", ids.get("d3"), "d3") + "2026-03-04T12:00:00Z +daily 2026-03-04$")
                .containsPattern(row("keep", ids.get("d2b"), "d2b") + "2026-03-03T18:00:00Z +daily 2026-03-03$")
                .containsPattern(row("would delete", ids.get("d2a"), "d2a")
                        + "2026-03-03T08:00:00Z +day 2026-03-03 is kept by newer snapshot " + ids.get("d2b") + "$")
                .containsPattern(row("would delete", ids.get("d1"), "d1")
                        + ".*day 2026-03-02 is beyond the 2 most recent days with snapshots$")
                .containsPattern(row("would delete", ids.get("d0"), "d0"))
                .contains("2 kept, 3 to delete (dry run: nothing was deleted)");
        assertThat(dry.out().lines().skip(1).limit(5).map(l -> l.split(" +")[l.startsWith("would") ? 2 : 1]))
                .as("rows newest first").containsExactly(ids.get("d3"), ids.get("d2b"), ids.get("d2a"), ids.get("d1"), ids.get("d0"));
        assertThat(files(base)).isEqualTo(before).hasSize(10);

        CliTest.Result pruned = CliTest.run("snapshots", "prune", "--dir", base.toString(), "--keep-daily", "2");

        assertThat(pruned.code()).as(pruned.err()).isZero();
        assertThat(pruned.out()).containsPattern(row("deleted", ids.get("d0"), "d0")).contains("2 kept, 3 deleted");
        assertThat(files(base)).containsExactlyInAnyOrder(ids.get("d3") + ".data", ids.get("d3") + ".meta.json",
                ids.get("d2b") + ".data", ids.get("d2b") + ".meta.json");
        assertThat(CliTest.run("snapshots", "list", "--dir", base.toString()).out()).contains("2 snapshot(s)");
    }

    @Test
    void periodsAndTimesAreInTheGivenZone() {
        Path base = dir.resolve("zoned");
        Map<String, String> ids = snapshotsAt(base, "early=2026-03-04T12:00:00Z", "late=2026-03-04T23:30:00Z");

        CliTest.Result utc = CliTest.run("snapshots", "prune", "--dir", base.toString(), "--keep-daily", "5", "--dry-run");
        CliTest.Result berlin = CliTest.run("snapshots", "prune", "--dir", base.toString(), "--keep-daily", "5",
                "--zone", "Europe/Berlin", "--dry-run");

        assertThat(utc.out()).as("one UTC day").contains("1 kept, 1 to delete")
                .containsPattern(row("keep", ids.get("late"), "late") + "2026-03-04T23:30:00Z +daily 2026-03-04$");
        assertThat(berlin.out()).as("two Berlin days").contains("2 kept, 0 to delete")
                .containsPattern(row("keep", ids.get("late"), "late") + "2026-03-05T00:30:00\\+01:00 +daily 2026-03-05$")
                .containsPattern(row("keep", ids.get("early"), "early") + "2026-03-04T13:00:00\\+01:00 +daily 2026-03-04$");
    }

    @Test
    void aPruneIsRefusedWhileAnApplicationOwnsTheDirectoryButADryRunIsNot() throws IOException {
        Path base = dir.resolve("owned");
        snapshotsAt(base, "a=2026-03-01T12:00:00Z", "b=2026-03-02T12:00:00Z");
        List<String> before = files(base);
        try (DatabasePersistence owner = new DatabasePersistence(Databases.random(5, 4, 1),
                PersistenceOptions.builder().baseDir(base).build())) {
            CliTest.Result refused = CliTest.run("snapshots", "prune", "--dir", base.toString(), "--keep-last", "1");
            CliTest.Result dry = CliTest.run("snapshots", "prune", "--dir", base.toString(), "--keep-last", "1", "--dry-run");

            assertThat(refused.code()).isEqualTo(VecPersistCli.FAILED);
            assertThat(refused.err()).contains("in use");
            assertThat(dry.code()).as(dry.err()).isZero();
            assertThat(dry.out()).contains("1 kept, 1 to delete");
        }
        assertThat(files(base)).isEqualTo(before);
    }

    @Test
    void aPolicyThatKeepsNothingOrCountsBelowZeroIsRefused() throws IOException {
        Path base = dir.resolve("bad");
        snapshotsAt(base, "a=2026-03-01T12:00:00Z");
        List<String> before = files(base);

        CliTest.Result none = CliTest.run("snapshots", "prune", "--dir", base.toString());
        CliTest.Result negative = CliTest.run("snapshots", "prune", "--dir", base.toString(), "--keep-daily", "-1");
        CliTest.Result badZone = CliTest.run("snapshots", "prune", "--dir", base.toString(), "--keep-daily", "1",
                "--zone", "Mars/Olympus");

        assertThat(none.code()).isEqualTo(VecPersistCli.FAILED);
        assertThat(none.err().trim()).isEqualTo("vecpersist: prune needs at least one of --keep-last, --keep-daily, "
                + "--keep-weekly, --keep-monthly, --keep-yearly above 0 (a policy that keeps nothing would delete every snapshot)");
        assertThat(negative.err().trim()).isEqualTo("vecpersist: --keep-daily must be 0 or more, not -1");
        assertThat(badZone.code()).isEqualTo(VecPersistCli.USAGE);
        assertThat(badZone.err()).contains("--zone");
        assertThat(files(base)).isEqualTo(before);
    }
}
