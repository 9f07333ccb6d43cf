package dev.vecpersist.core;

import dev.vecpersist.api.Metric;
import dev.vecpersist.api.PersistenceException;
import dev.vecpersist.api.SnapshotMetadata;
import dev.vecpersist.api.VectorEntry;
import dev.vecpersist.json.JsonSetup;
import dev.vecpersist.json.MetadataJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Issue 20 part 4 through the manager: a {@link RetentionPolicy} applied after every snapshot, and
 * {@link DatabasePersistence#pruneSnapshots(boolean)}, on the filesystem store with real files.
 */
class SnapshotRetentionTest {

    @TempDir
    Path dir;

    /** A clock the test sets by hand. */
    static final class SetClock extends Clock {
        private Instant now = Instant.parse("2026-03-01T12:00:00Z");

        void set(String instant) {
            now = Instant.parse(instant);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private List<String> snapshotFiles() throws IOException {
        try (Stream<Path> s = Files.list(dir.resolve("snapshots"))) {
            return s.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).sorted().toList();
        }
    }

    private static List<String> names(List<SnapshotMetadata> snapshots) {
        return snapshots.stream().map(SnapshotMetadata::name).toList();
    }

    private static SnapshotMetadata snapshotAt(DatabasePersistence p, VectorDB db, SetClock clock, String name, String time) {
        clock.set(time);
        db.insert(new VectorEntry(name, new float[] {1, db.size()}));
        return p.createSnapshot(name);
    }

    @Test
    void thePolicyIsAppliedAfterEverySnapshot() throws IOException {
        SetClock clock = new SetClock();
        VectorDB db = new VectorDB(2, Metric.COSINE);
        RetentionPolicy policy = RetentionPolicy.builder().keepLast(1).keepDaily(2).keepMonthly(2).build();
        try (DatabasePersistence p = new DatabasePersistence(db, PersistenceOptions.builder().baseDir(dir)
                .retention(policy).clock(clock).build())) {
            snapshotAt(p, db, clock, "jan31", "2026-01-31T12:00:00Z");
            snapshotAt(p, db, clock, "feb27", "2026-02-27T12:00:00Z");
            snapshotAt(p, db, clock, "feb28", "2026-02-28T09:00:00Z");
            assertThat(names(p.listSnapshots())).containsExactly("feb28", "feb27", "jan31");
            snapshotAt(p, db, clock, "feb28-late", "2026-02-28T21:00:00Z");
            // feb28 loses its day to feb28-late; feb27 keeps the second day; jan31 its month
            assertThat(names(p.listSnapshots())).containsExactly("feb28-late", "feb27", "jan31");
            snapshotAt(p, db, clock, "mar01", "2026-03-01T08:00:00Z");
            // days: mar01, feb28-late; months: 2026-03 (mar01), 2026-02 (feb28-late): feb27 and jan31 go
            assertThat(names(p.listSnapshots())).containsExactly("mar01", "feb28-late");
            assertThat(snapshotFiles()).hasSize(4);
            assertThat(p.options().retention()).isEqualTo(policy);
        }
    }

    @Test
    void aDryRunPruneReportsAndDeletesNothingAndAPruneDeletes() throws IOException {
        SetClock clock = new SetClock();
        VectorDB db = new VectorDB(2, Metric.COSINE);
        try (DatabasePersistence p = new DatabasePersistence(db, PersistenceOptions.builder().baseDir(dir)
                .maxSnapshots(100).clock(clock).build())) {
            snapshotAt(p, db, clock, "d0", "2026-03-01T12:00:00Z");
            snapshotAt(p, db, clock, "d1", "2026-03-02T12:00:00Z");
            snapshotAt(p, db, clock, "d2", "2026-03-03T12:00:00Z");
        }
        List<String> before = snapshotFiles();
        RetentionPolicy oneDay = RetentionPolicy.builder().keepDaily(1).build();
        try (DatabasePersistence p = new DatabasePersistence(db, PersistenceOptions.builder().baseDir(dir)
                .retention(oneDay).clock(clock).build())) {
            RetentionDecision dry = p.pruneSnapshots(true);

            assertThat(names(dry.deleted().stream().map(RetentionDecision.Deleted::snapshot).toList())).containsExactly("d1", "d0");
            assertThat(dry.deleted().get(0).reason()).isEqualTo("day 2026-03-02 is beyond the most recent day with a snapshot");
            assertThat(snapshotFiles()).isEqualTo(before).hasSize(6);
            assertThat(names(p.listSnapshots())).containsExactly("d2", "d1", "d0");

            RetentionDecision done = p.pruneSnapshots(false);

            assertThat(done.deletedIds()).isEqualTo(dry.deletedIds());
            assertThat(names(p.listSnapshots())).containsExactly("d2");
            assertThat(snapshotFiles()).hasSize(2);
            assertThat(p.pruneSnapshots(false).deleted()).isEmpty();
        }
    }

    @Test
    void aDeleteFailingMidwayReportsWhichWereDeleted() throws IOException {
        SetClock clock = new SetClock();
        VectorDB db = new VectorDB(2, Metric.COSINE);
        FaultyFileOps faulty = new FaultyFileOps();
        try (DatabasePersistence p = new DatabasePersistence(db, PersistenceOptions.builder().baseDir(dir)
                .maxSnapshots(100).clock(clock).fileOps(faulty).build())) {
            for (int day = 1; day <= 4; day++) {
                snapshotAt(p, db, clock, "d" + day, "2026-03-0" + day + "T12:00:00Z");
            }
        }
        try (DatabasePersistence p = new DatabasePersistence(db, PersistenceOptions.builder().baseDir(dir)
                .retention(RetentionPolicy.keepLast(1)).clock(clock).fileOps(faulty).build())) {
            // a snapshot's delete removes its metadata, then its data: the 3rd call is d2's metadata
            faulty.failStep(FaultyFileOps.Step.DELETE, 3);

            SnapshotPruneException e = catchThrowableOfType(() -> p.pruneSnapshots(false), SnapshotPruneException.class);

            assertThat(e).isNotNull();
            assertThat(names(e.deleted())).containsExactly("d3");
            assertThat(e.failed().name()).isEqualTo("d2");
            assertThat(names(e.notAttempted())).containsExactly("d1");
            assertThat(e.getMessage()).contains("deleted 1 (" + e.deleted().get(0).id() + ")")
                    .contains("deleting " + e.failed().id() + " ('d2') failed: injected failure at DELETE");
            assertThat(names(p.listSnapshots())).containsExactly("d4", "d2", "d1");
            assertThat(snapshotFiles()).hasSize(6);

            faulty.heal();
            assertThat(p.pruneSnapshots(false).deleted()).hasSize(2);
            assertThat(names(p.listSnapshots())).containsExactly("d4");
        }
    }

    @Test
    void aRetentionDeleteFailingAfterASnapshotSaysTheSnapshotWasCreated() {
        SetClock clock = new SetClock();
        VectorDB db = new VectorDB(2, Metric.COSINE);
        FaultyFileOps faulty = new FaultyFileOps();
        try (DatabasePersistence p = new DatabasePersistence(db, PersistenceOptions.builder().baseDir(dir)
                .retention(RetentionPolicy.keepLast(1)).clock(clock).fileOps(faulty).build())) {
            SnapshotMetadata old = snapshotAt(p, db, clock, "old", "2026-03-01T12:00:00Z");
            faulty.failStep(FaultyFileOps.Step.DELETE, 1);

            assertThatThrownBy(() -> snapshotAt(p, db, clock, "new", "2026-03-02T12:00:00Z"))
                    .isInstanceOf(PersistenceException.class)
                    .hasMessageStartingWith("snapshot created, but applying retention failed: pruning snapshots stopped: "
                            + "deleted 0; deleting " + old.id() + " ('old') failed: injected failure at DELETE")
                    .hasCauseInstanceOf(SnapshotPruneException.class);
            assertThat(names(p.listSnapshots())).containsExactly("new", "old");

            faulty.heal();
            assertThat(p.pruneSnapshots(false).deletedIds()).containsExactly(old.id());
            assertThat(names(p.listSnapshots())).containsExactly("new");
        }
    }

    @Test
    void theSnapshotJustCreatedIsKeptEvenWhenTheClockSteppedBack() {
        SetClock clock = new SetClock();
        VectorDB db = new VectorDB(2, Metric.COSINE);
        try (DatabasePersistence p = new DatabasePersistence(db, PersistenceOptions.builder().baseDir(dir)
                .retention(RetentionPolicy.builder().keepDaily(1).build()).clock(clock).build())) {
            snapshotAt(p, db, clock, "today", "2026-06-02T12:00:00Z");
            snapshotAt(p, db, clock, "stepped-back", "2026-06-01T12:00:00Z");
            assertThat(names(p.listSnapshots())).containsExactly("stepped-back");
        }
    }

    @Test
    void theAuditLogNamesWhatRetentionAndAPruneDeleted() throws IOException {
        SetClock clock = new SetClock();
        VectorDB db = new VectorDB(2, Metric.COSINE);
        String a;
        String b;
        try (DatabasePersistence p = new DatabasePersistence(db, PersistenceOptions.builder().baseDir(dir).format("json")
                .auditLog(true).maxSnapshots(100).clock(clock).build())) {
            a = snapshotAt(p, db, clock, "a", "2026-03-01T12:00:00Z").id();
            b = snapshotAt(p, db, clock, "b", "2026-03-02T12:00:00Z").id();
        }
        try (DatabasePersistence p = new DatabasePersistence(db, PersistenceOptions.builder().baseDir(dir).format("json")
                .auditLog(true).retention(RetentionPolicy.keepLast(2)).clock(clock).build())) {
            snapshotAt(p, db, clock, "c", "2026-03-03T12:00:00Z");
            p.pruneSnapshots(true);
            p.pruneSnapshots(false);
            snapshotAt(p, db, clock, "d", "2026-03-04T12:00:00Z");
            assertThat(names(p.listSnapshots())).containsExactly("d", "c");
            assertThat(p.pruneSnapshots(false).deleted()).isEmpty();
        }
        List<Map<String, Object>> lines = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("audit.log"))) {
            try (var parser = JsonSetup.FACTORY.createParser(line)) {
                lines.add(MetadataJson.readDocument(parser));
            }
        }
        assertThat(lines).extracting(l -> l.get("operation")).containsExactly("createSnapshot", "createSnapshot",
                "createSnapshot", "pruneSnapshots", "pruneSnapshots", "createSnapshot", "pruneSnapshots");
        assertThat(lines.get(1)).doesNotContainKey("retentionDeleted");
        assertThat(lines.get(2)).containsEntry("retentionDeleted", List.of(a));
        assertThat(lines.get(3)).containsEntry("dryRun", true).containsEntry("toDelete", List.of());
        assertThat(lines.get(5)).containsEntry("retentionDeleted", List.of(b));
        assertThat(lines.get(6)).containsEntry("dryRun", false).containsEntry("deleted", List.of());
    }

    @Test
    void maxSnapshotsAndARetentionPolicyAreNotSetTogether() {
        assertThatThrownBy(() -> PersistenceOptions.builder().baseDir(dir).maxSnapshots(3)
                .retention(RetentionPolicy.builder().keepDaily(7).build()).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxSnapshots")
                .hasMessageContaining("retention");
        assertThat(PersistenceOptions.builder().baseDir(dir).build().retention()).isEqualTo(RetentionPolicy.keepLast(10));
        assertThat(PersistenceOptions.builder().baseDir(dir).maxSnapshots(3).build().retention())
                .isEqualTo(RetentionPolicy.keepLast(3));
    }
}
