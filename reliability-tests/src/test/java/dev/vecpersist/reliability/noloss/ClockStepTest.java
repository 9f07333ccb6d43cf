package dev.vecpersist.reliability.noloss;

import dev.vecpersist.api.Metric;
import dev.vecpersist.api.SnapshotMetadata;
import dev.vecpersist.api.VectorEntry;
import dev.vecpersist.core.DatabasePersistence;
import dev.vecpersist.core.PersistenceOptions;
import dev.vecpersist.core.VectorDB;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 15, item 4: a clock stepped back must not make retention delete the snapshot just created;
 * retention follows the order the store assigned, time is metadata only.
 */
class ClockStepTest {

    @TempDir
    Path dir;

    /** A clock the test moves by hand. */
    static final class SteppedClock extends Clock {
        private Instant now = Instant.parse("2026-06-01T12:00:00Z");

        void step(Duration d) {
            now = now.plus(d);
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

    @Test
    void retentionKeepsTheSnapshotJustCreatedAndDeletesTheOldestCreated() {
        SteppedClock clock = new SteppedClock();
        VectorDB db = new VectorDB(2, Metric.COSINE);
        PersistenceOptions options = PersistenceOptions.builder().baseDir(dir).maxSnapshots(3).clock(clock).build();
        List<String> createdInOrder = new ArrayList<>();
        try (DatabasePersistence p = new DatabasePersistence(db, options)) {
            for (int i = 0; i < 6; i++) {
                db.insert(new VectorEntry("e" + i, new float[] {1, i}, Map.of()));
                // forwards, then a step back by a day (NTP correction, VM restore), then forwards again
                clock.step(i == 3 ? Duration.ofDays(-1) : Duration.ofMinutes(1));
                SnapshotMetadata m = p.createSnapshot("s" + i);
                createdInOrder.add(m.id());
                List<String> listed = p.listSnapshots().stream().map(SnapshotMetadata::id).toList();
                assertThat(listed).as("after creating s%d", i).contains(m.id());
                int from = Math.max(0, createdInOrder.size() - 3);
                assertThat(listed).as("the 3 most recently created, newest first")
                        .containsExactlyElementsOf(reversed(createdInOrder.subList(from, createdInOrder.size())));
            }
            // the stepped-back snapshot restores: it really exists
            p.restoreSnapshot(createdInOrder.get(5));
            assertThat(db.size()).isEqualTo(6);
        }
        try (DatabasePersistence reopened = new DatabasePersistence(new VectorDB(2, Metric.COSINE), options)) {
            assertThat(reopened.listSnapshots()).extracting(SnapshotMetadata::name).containsExactly("s5", "s4", "s3");
        }
    }

    private static List<String> reversed(List<String> l) {
        List<String> r = new ArrayList<>(l);
        java.util.Collections.reverse(r);
        return r;
    }
}
