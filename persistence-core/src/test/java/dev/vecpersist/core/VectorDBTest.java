package dev.vecpersist.core;

import dev.vecpersist.api.ChangeTracking;
import dev.vecpersist.api.EntrySnapshot;
import dev.vecpersist.api.Metric;
import dev.vecpersist.api.VectorEntry;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class VectorDBTest {

    private static VectorEntry e(String id, float... v) {
        return new VectorEntry(id, v, Map.of());
    }

    @Test
    void insertGetDeleteSizeClear() {
        VectorDB db = new VectorDB(2, Metric.COSINE);
        db.insert(e("a", 1, 0));
        db.insertBatch(List.of(e("b", 0, 1), e("c", 1, 1)));
        assertThat(db.size()).isEqualTo(3);
        assertThat(db.get("b")).get().extracting(VectorEntry::vector).isEqualTo(new float[] {0, 1});
        assertThat(db.delete("b")).isTrue();
        assertThat(db.delete("b")).isFalse();
        assertThat(db.get("b")).isEmpty();
        db.insert(e("a", 2, 2));
        assertThat(db.get("a").orElseThrow().vector()).containsExactly(2, 2);
        assertThat(db.size()).isEqualTo(2);
        db.clear();
        assertThat(db.size()).isZero();
    }

    @Test
    void copiesTheCallersArraysAndHandsOutCopies() {
        VectorDB db = new VectorDB(2, Metric.DOT);
        float[] mine = {1, 2};
        db.insert(new VectorEntry("x", mine, Map.of()));
        mine[0] = 99;
        float[] got = db.get("x").orElseThrow().vector();
        assertThat(got).containsExactly(1, 2);
        got[1] = 77;
        assertThat(db.get("x").orElseThrow().vector()).containsExactly(1, 2);
    }

    @Test
    void rejectsBadEntriesWithClearMessages() {
        VectorDB db = new VectorDB(3, Metric.EUCLIDEAN);
        assertThatThrownBy(() -> db.insert(e("a", 1, 2))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("2 components").hasMessageContaining("dimension 3");
        assertThatThrownBy(() -> db.insert(e("", 1, 2, 3))).hasMessageContaining("id is empty");
        assertThatThrownBy(() -> db.insert(e("n", 1, Float.NaN, 3))).hasMessageContaining("non-finite");
        assertThatThrownBy(() -> db.insert(e("i", 1, Float.POSITIVE_INFINITY, 3))).hasMessageContaining("non-finite");
        assertThatThrownBy(() -> db.insert(new VectorEntry("m", new float[] {1, 2, 3}, Map.of("k", new Object()))))
                .hasMessageContaining("unsupported type");
        // a bad entry in a batch changes nothing
        assertThatThrownBy(() -> db.insertBatch(List.of(e("ok", 1, 2, 3), e("bad", 1))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(db.size()).isZero();
    }

    @Test
    void normalisesMetadataNumbersSoEveryFormatGivesThemBack() {
        VectorDB db = new VectorDB(1, Metric.DOT);
        db.insert(new VectorEntry("a", new float[] {1}, Map.of("i", 5, "f", 1.5f, "nested", Map.of("s", (short) 2))));
        Map<String, Object> meta = db.get("a").orElseThrow().metadata();
        assertThat(meta.get("i")).isEqualTo(5L);
        assertThat(meta.get("f")).isEqualTo(1.5d);
        assertThat(((Map<?, ?>) meta.get("nested")).get("s")).isEqualTo(2L);
        assertThatThrownBy(() -> meta.put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void searchRanksByEachMetric() {
        VectorDB cos = new VectorDB(2, Metric.COSINE);
        cos.insertBatch(List.of(e("east", 1, 0), e("north", 0, 1), e("northeast", 1, 1), e("far-east", 10, 0.1f)));
        List<SearchResult> top = cos.search(new float[] {1, 0}, 2);
        assertThat(top).extracting(SearchResult::id).containsExactly("east", "far-east");
        assertThat(top.get(0).score()).isCloseTo(1.0, within(1e-6));

        VectorDB l2 = new VectorDB(2, Metric.EUCLIDEAN);
        l2.insertBatch(List.of(e("a", 0, 0), e("b", 3, 4), e("c", 1, 1)));
        List<SearchResult> near = l2.search(new float[] {0, 0}, 3);
        assertThat(near).extracting(SearchResult::id).containsExactly("a", "c", "b");
        assertThat(near.get(2).score()).isCloseTo(5.0, within(1e-9));

        VectorDB dot = new VectorDB(2, Metric.DOT);
        dot.insertBatch(List.of(e("small", 1, 1), e("big", 5, 5), e("negative", -9, -9)));
        assertThat(dot.search(new float[] {1, 1}, 1)).extracting(SearchResult::id).containsExactly("big");
        assertThat(dot.search(new float[] {1, 1}, 10)).hasSize(3);
        assertThatThrownBy(() -> dot.search(new float[] {1}, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void snapshotIsAPointInTimeView() {
        VectorDB db = new VectorDB(1, Metric.DOT);
        db.insertBatch(List.of(e("a", 1), e("b", 2)));
        EntrySnapshot snap = db.snapshot();
        db.insert(e("c", 3));
        db.delete("a");
        db.insert(e("b", 20));
        List<String> ids = new ArrayList<>();
        snap.forEach(x -> ids.add(x.id() + "=" + x.vector()[0]));
        assertThat(ids).containsExactly("a=1.0", "b=2.0");
        assertThat(snap.count()).isEqualTo(2);
    }

    @Test
    void tracksInsertsUpdatesAndDeletesSinceASequence() {
        VectorDB db = new VectorDB(1, Metric.DOT);
        db.insertBatch(List.of(e("a", 1), e("b", 2), e("c", 3)));
        long saved = db.snapshot().sequence();
        db.changesSaved(saved);
        assertThat(db.changesSince(saved).isEmpty()).isTrue();

        db.insert(e("b", 22));      // update
        db.insert(e("d", 4));       // insert
        db.delete("c");             // delete
        db.insert(e("e", 5));
        db.delete("e");             // inserted and deleted since: a deletion of an unsaved id, harmless
        db.delete("a");
        db.insert(e("a", 9));       // deleted and inserted again: a deletion and an upsert
        ChangeTracking.ChangeSet changes = db.changesSince(saved);
        assertThat(changes.upserts()).extracting(VectorEntry::id).containsExactlyInAnyOrder("b", "d", "a");
        assertThat(changes.upserts()).filteredOn(x -> x.id().equals("b")).singleElement()
                .satisfies(x -> assertThat(x.vector()).containsExactly(22));
        assertThat(changes.deletions()).containsExactlyInAnyOrder("c", "e", "a");
        assertThat(changes.toSequence()).isEqualTo(db.currentSequence());

        db.changesSaved(changes.toSequence());
        assertThat(db.changesSince(changes.toSequence()).isEmpty()).isTrue();
        // deletions before the acknowledged point are forgotten: asking for them gives null (full save)
        assertThat(db.changesSince(saved)).isNull();
    }

    @Test
    void clearAndReplaceMakeOlderChangeSetsUnknown() {
        VectorDB db = new VectorDB(1, Metric.DOT);
        db.insert(e("a", 1));
        long before = db.currentSequence();
        db.clear();
        assertThat(db.changesSince(before)).isNull();
        long at = db.replaceAll(List.of(e("x", 1), e("y", 2)), null);
        assertThat(at).isEqualTo(db.currentSequence());
        assertThat(db.changesSince(at).isEmpty()).isTrue();
        assertThat(db.size()).isEqualTo(2);
    }

    @Test
    void replaceAllRefusesWhatInsertRefusesAndChangesNothing() {
        VectorDB db = new VectorDB(2, Metric.COSINE);
        db.insert(e("kept", 1, 0));
        for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
            assertThatThrownBy(() -> db.replaceAll(List.of(e("x", 1, 1), e("y", 0, bad)), null))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("finite");
            assertThatThrownBy(() -> db.insert(e("y", 0, bad))).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("finite");
        }
        assertThat(db.size()).isEqualTo(1);
        assertThat(db.get("kept").orElseThrow().vector()).containsExactly(1, 0);
        // huge but finite components overflow the float norm: still accepted, as insert accepts them
        db.replaceAll(List.of(e("huge", Float.MAX_VALUE, Float.MAX_VALUE)), null);
        db.insert(e("huge2", Float.MAX_VALUE, -Float.MAX_VALUE));
        assertThat(db.size()).isEqualTo(2);
    }

    @Test
    void applyChangesDeletesThenUpsertsInOneCheckedStep() {
        VectorDB db = new VectorDB(2, Metric.DOT);
        db.insertBatch(List.of(e("a", 1, 0), e("b", 0, 1), e("c", 1, 1)));
        long before = db.currentSequence();
        // b deleted and upserted: moves to the end; a upserted only: keeps its place; x absent: ignored
        long after = db.applyChanges(List.of(e("b", 2, 2), e("a", 3, 3), e("d", 4, 4)), List.of("b", "c", "x"));
        List<String> ids = new ArrayList<>();
        db.snapshot().forEach(v -> ids.add(v.id()));
        assertThat(ids).containsExactly("a", "b", "d");
        assertThat(db.get("a").orElseThrow().vector()).containsExactly(3, 3);
        assertThat(after).isEqualTo(db.currentSequence()).isGreaterThan(before);
        ChangeTracking.ChangeSet changes = db.changesSince(before);
        assertThat(changes.deletions()).containsExactlyInAnyOrder("b", "c");
        assertThat(changes.upserts()).extracting(VectorEntry::id).containsExactly("a", "b", "d");

        // one bad entry: nothing changes
        assertThatThrownBy(() -> db.applyChanges(List.of(e("e", 1, 1), e("f", 1)), List.of("a")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(db.size()).isEqualTo(3);
        assertThat(db.contains("a")).isTrue();
        assertThat(db.contains("e")).isFalse();
        assertThat(db.currentSequence()).isEqualTo(after);
    }
}
