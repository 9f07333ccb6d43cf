package dev.vecpersist.core;

import dev.vecpersist.api.ChangeTracking;
import dev.vecpersist.api.VectorEntry;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The change log of {@link TrackedEntries}: a change set read through it equals a scan of every
 * entry (the changed ones in iteration order), over random sequences of inserts, updates, deletions,
 * re-insertions, clears, replacements and releases, and the log stays bounded by the live entries.
 */
class TrackedEntriesChangeLogTest {

    private static VectorEntry entry(String id, float value) {
        return new VectorEntry(id, new float[] {value, 1}, Map.of());
    }

    private static TrackedEntries.Stored stored(String id, float value) {
        return new TrackedEntries.Stored(entry(id, value), 0, 1);
    }

    /** The changed entries as the former implementation found them: every entry scanned, in iteration order. */
    private static List<VectorEntry> scannedUpserts(TrackedEntries entries, long since) {
        List<VectorEntry> upserts = new ArrayList<>();
        for (TrackedEntries.Stored s : entries.values()) {
            if (s.sequence() > since) {
                upserts.add(s.entry());
            }
        }
        return upserts;
    }

    @RepeatedTest(40)
    void changeSetsEqualAScanOfEveryEntry(RepetitionInfo repetition) {
        Random random = new Random(repetition.getCurrentRepetition() * 7919L);
        TrackedEntries entries = new TrackedEntries();
        long forgottenThrough = 0;
        int ids = 5 + random.nextInt(60);
        for (int step = 0; step < 3000; step++) {
            int op = random.nextInt(1000);
            String id = "id-" + random.nextInt(ids);
            if (op < 550) {
                entries.put(stored(id, step)); // an insert, an update or a re-insertion after a deletion
            } else if (op < 850) {
                entries.remove(id);
            } else if (op < 990) {
                long saved = entries.sequence() - random.nextInt(20);
                entries.changesSaved(saved);
                forgottenThrough = Math.max(forgottenThrough, Math.min(saved, entries.sequence()));
            } else if (op < 995) {
                entries.clear();
                forgottenThrough = entries.sequence();
            } else {
                LinkedHashMap<String, TrackedEntries.Stored> fresh = new LinkedHashMap<>();
                for (int i = random.nextInt(ids); i >= 0; i--) {
                    String adopted = "id-" + random.nextInt(ids);
                    TrackedEntries.stage(fresh, entry(adopted, -step), 1); // as a load stages them
                }
                forgottenThrough = entries.replace(fresh);
            }
            assertChangeSetsMatchAScan(entries, forgottenThrough, random);
            assertThat(entries.changeLog().recordCount()).isLessThanOrEqualTo(4 * entries.size() + 32);
        }
    }

    private static void assertChangeSetsMatchAScan(TrackedEntries entries, long forgottenThrough, Random random) {
        long now = entries.sequence();
        assertThat(entries.changesSince(forgottenThrough - 1)).as("before the forgotten sequence").isNull();
        assertThat(entries.changesSince(now + 1)).as("after the current sequence").isNull();
        for (int i = 0; i < 4; i++) {
            long since = forgottenThrough + (long) (random.nextDouble() * (now - forgottenThrough + 1));
            ChangeTracking.ChangeSet changes = entries.changesSince(since);
            assertThat(changes).as("changes since %d (forgotten through %d, now %d)", since, forgottenThrough, now)
                    .isNotNull();
            assertThat(changes.upserts()).containsExactlyElementsOf(scannedUpserts(entries, since));
            assertThat(changes.fromSequence()).isEqualTo(since);
            assertThat(changes.toSequence()).isEqualTo(now);
        }
    }

    @Test
    void aChangeSetListsItsEntriesInIterationOrderNotChangeOrder() {
        TrackedEntries entries = new TrackedEntries();
        entries.put(stored("a", 1));
        entries.put(stored("b", 1));
        long since = entries.sequence();
        entries.put(stored("c", 1));
        entries.put(stored("d", 1));
        entries.put(stored("a", 2)); // an update: "a" keeps its place, first
        entries.remove("b");
        entries.put(stored("b", 2)); // a re-insertion: "b" moves to the end
        entries.put(stored("c", 2));

        ChangeTracking.ChangeSet changes = entries.changesSince(since);

        assertThat(changes.upserts()).extracting(VectorEntry::id).containsExactly("a", "c", "d", "b");
        assertThat(changes.upserts().get(0).vector()[0]).isEqualTo(2f);
        assertThat(changes.deletions()).containsExactly("b");
        assertThat(entries.values()).extracting(s -> s.entry().id()).containsExactly("a", "c", "d", "b");
    }

    @Test
    void repeatedUpdatesOfFewIdsKeepTheLogSmall() {
        TrackedEntries entries = new TrackedEntries();
        for (int i = 0; i < 100_000; i++) {
            entries.put(stored("id-" + (i % 10), i));
        }
        assertThat(entries.changeLog().recordCount()).isLessThanOrEqualTo(32);
        assertThat(entries.changesSince(0).upserts()).hasSize(10);
    }

    @Test
    void savedChangesLeaveTheLogWhenItFillsUp() {
        TrackedEntries entries = new TrackedEntries();
        for (int i = 0; i < 1000; i++) {
            entries.put(stored("id-" + i, i));
        }
        entries.changesSaved(entries.sequence());
        for (int i = 0; i < 40; i++) {
            entries.put(stored("new-" + i, i));
        }
        // the thousand saved inserts are forgotten: the arrays, full, dropped them instead of growing
        assertThat(entries.changeLog().recordCount()).isLessThan(1000);
        assertThat(entries.changesSince(1000).upserts()).hasSize(40);
    }
}
