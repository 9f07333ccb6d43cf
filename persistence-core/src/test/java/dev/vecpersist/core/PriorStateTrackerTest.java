package dev.vecpersist.core;

import dev.vecpersist.api.Metric;
import dev.vecpersist.api.PriorStateTracking.Change;
import dev.vecpersist.api.PriorStateTracking.PriorState;
import dev.vecpersist.api.VectorEntry;
import dev.vecpersist.testkit.TestStates;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** VectorDB's {@link dev.vecpersist.api.PriorStateTracking}, through {@link PriorStateTracker}. */
class PriorStateTrackerTest {

    private static VectorDB db(int n) {
        VectorDB db = new VectorDB(3, Metric.COSINE);
        db.insertBatch(TestStates.entries(n, 3, 1));
        return db;
    }

    private static VectorEntry entry(String id, float x) {
        return new VectorEntry(id, new float[] {x, 1, 2}, Map.of("x", (double) x));
    }

    @Test
    void nothingIsTrackedBeforeAMark() {
        VectorDB db = db(5);
        assertThat(db.priorState()).isNull();
        db.insert(entry("n", 1));
        assertThat(db.priorState()).isNull();
    }

    @Test
    void keepsTheValueAtTheMarkThroughRepeatedChanges() {
        VectorDB db = db(10);
        VectorEntry original = db.get("vec-2").orElseThrow();
        long mark = db.markPriorState(100);
        assertThat(mark).isEqualTo(db.currentSequence());
        db.insert(entry("vec-2", 1));
        db.insert(entry("vec-2", 2)); // updated twice: the value at the mark stays
        PriorState state = db.priorState();
        assertThat(state.markSequence()).isEqualTo(mark);
        assertThat(state.sequence()).isEqualTo(db.currentSequence());
        assertThat(state.changes()).hasSize(1);
        Change c = state.changes().get(0);
        assertThat(c.id()).isEqualTo("vec-2");
        assertThat(c.before()).isEqualTo(original);
        assertThat(c.after()).isEqualTo(entry("vec-2", 2));
    }

    @Test
    void insertedThenDeletedIsAbsentOnBothSides() {
        VectorDB db = db(10);
        db.markPriorState(100);
        db.insert(entry("new", 1));
        assertThat(db.priorState().changes()).containsExactly(new Change("new", null, entry("new", 1)));
        db.delete("new");
        assertThat(db.priorState().changes()).containsExactly(new Change("new", null, null));
    }

    @Test
    void deletionsAndBatchedChangesAreTracked() {
        VectorDB db = db(10);
        VectorEntry three = db.get("vec-3").orElseThrow();
        VectorEntry four = db.get("vec-4").orElseThrow();
        db.markPriorState(100);
        db.delete("vec-3");
        db.applyChanges(List.of(entry("vec-3", 7)), List.of("vec-4", "absent"));
        assertThat(db.priorState().changes()).containsExactly(
                new Change("vec-3", three, entry("vec-3", 7)), new Change("vec-4", four, null));
        assertThat(db.delete("absent")).isFalse();
        assertThat(db.priorState().changes()).hasSize(2); // deleting what is not there changes nothing
    }

    @Test
    void stopsBeyondTheLimitUntilTheNextMark() {
        VectorDB db = db(100);
        db.markPriorState(3);
        for (int i = 0; i < 3; i++) {
            db.insert(entry("vec-" + i, 5));
        }
        db.insert(entry("vec-0", 6)); // the same id again: no more memory
        assertThat(db.priorState().changes()).hasSize(3);
        db.insert(entry("vec-50", 5));
        assertThat(db.priorState()).isNull();
        db.insert(entry("vec-60", 5));
        assertThat(db.priorState()).isNull();
        db.markPriorState(3);
        assertThat(db.priorState().changes()).isEmpty();
        assertThat(db.markPriorState(0)).isEqualTo(db.currentSequence());
        assertThat(db.priorState().changes()).isEmpty();
        db.delete("vec-1");
        assertThat(db.priorState()).isNull();
        assertThatThrownBy(() -> db.markPriorState(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void clearReplaceAllAndClearPriorStateForgetTheMark() {
        VectorDB db = db(10);
        db.markPriorState(100);
        db.clearPriorState();
        assertThat(db.priorState()).isNull();
        db.markPriorState(100);
        db.clear();
        assertThat(db.priorState()).isNull();
        db.markPriorState(100);
        db.replaceAll(TestStates.entries(4, 3, 9), null);
        assertThat(db.priorState()).isNull();
        long mark = db.markPriorState(100);
        db.insert(entry("x", 1));
        assertThat(db.priorState().markSequence()).isEqualTo(mark);
    }
}
