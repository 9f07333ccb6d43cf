package dev.vecpersist.core;

import dev.vecpersist.api.SnapshotMetadata;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The pure decisions: when an incremental save compacts, and which snapshots retention deletes. */
class PoliciesTest {

    @Test
    void compactionAfterMaxDeltasOrOnceTheDeltasOutgrowTheRatioOfTheBase() {
        CompactionPolicy policy = new CompactionPolicy(3, 0.5);
        assertThat(policy.shouldCompact(0, 0, 1000)).isFalse();
        assertThat(policy.shouldCompact(2, 500, 1000)).isFalse();
        assertThat(policy.shouldCompact(2, 501, 1000)).isTrue();
        assertThat(policy.shouldCompact(3, 1, 1000)).isTrue();
        assertThat(policy.shouldCompact(0, 1, 0)).isTrue(); // an empty base counts as one byte
        assertThat(new CompactionPolicy(0, 0.5).shouldCompact(0, 0, 1000)).isTrue(); // maxDeltas 0: always full
    }

    @Test
    void compactionReadsTheChainFromTheManifest() {
        Manifest.FileRef base = new Manifest.FileRef("state-0000000001.json", "json", "none", "c", 10, 0, 100);
        Manifest.FileRef delta = new Manifest.FileRef("state-0000000001-delta-000001.json", "json", "none", "c", 1, 0, 60);
        Manifest chain = new Manifest(1, base, List.of(delta));
        assertThat(new CompactionPolicy(10, 0.5).shouldCompact(chain)).isTrue();
        assertThat(new CompactionPolicy(10, 0.7).shouldCompact(chain)).isFalse();
        assertThat(new CompactionPolicy(1, 0.7).shouldCompact(chain)).isTrue();
    }

    private static SnapshotMetadata snapshot(String id) {
        return new SnapshotMetadata(id, "s-" + id, Instant.EPOCH, 0, 2, "json", "none", 0, "00", Map.of());
    }

    @Test
    void retentionKeepsTheNewestByStoreOrderAndAlwaysTheOneJustCreated() {
        List<SnapshotMetadata> newestFirst = List.of(snapshot("e"), snapshot("d"), snapshot("c"), snapshot("b"), snapshot("a"));
        assertThat(RetentionPolicy.keepLast(3).select(newestFirst, "e").deletedIds()).containsExactly("b", "a");
        assertThat(RetentionPolicy.keepLast(5).select(newestFirst, "e").deletedIds()).isEmpty();
        assertThat(RetentionPolicy.keepLast(1).select(newestFirst, "e").deletedIds()).containsExactly("d", "c", "b", "a");
        // the one just created is kept even when the store lists it elsewhere (it does not order by clock)
        assertThat(RetentionPolicy.keepLast(2).select(newestFirst, "a").deletedIds()).containsExactly("d", "c", "b");
        assertThatThrownBy(() -> RetentionPolicy.keepLast(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
