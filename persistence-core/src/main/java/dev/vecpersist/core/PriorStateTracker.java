package dev.vecpersist.core;

import dev.vecpersist.api.PriorStateTracking;
import dev.vecpersist.api.VectorEntry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * {@link VectorDB}'s memory of what its entries were at a mark ({@link PriorStateTracking}): the first
 * change of an id since the mark stores a reference to the entry it replaced (or "absent"); later
 * changes of that id cost one lookup and store nothing. Past the limit it drops everything and stays
 * unknown until the next mark, so a database that changed a lot costs no more memory than the limit.
 * Not thread-safe: the database calls it under its own lock.
 */
final class PriorStateTracker {

    /** Stands for "the id was absent at the mark" (a map value cannot be null and still be told apart). */
    private static final Object ABSENT = new Object();

    /** Per id changed since the mark, its entry at the mark or {@link #ABSENT}; null when not tracking. */
    private LinkedHashMap<String, Object> before;
    private long limit;
    private long markSequence;

    /** Starts tracking from the state at {@code sequence}; returns {@code sequence}. */
    long mark(long sequence, long maxTrackedIds) {
        if (maxTrackedIds < 0) {
            throw new IllegalArgumentException("maxTrackedIds must be >= 0, not " + maxTrackedIds);
        }
        before = new LinkedHashMap<>();
        limit = maxTrackedIds;
        markSequence = sequence;
        return sequence;
    }

    /** The entry of {@code id} is about to change; {@code old} is what it holds now (null when absent). */
    void changed(String id, VectorEntry old) {
        if (before != null && before.putIfAbsent(id, old == null ? ABSENT : old) == null && before.size() > limit) {
            before = null; // too many: the state at the mark is no longer worth remembering
        }
    }

    /** Forgets the mark (the content was replaced wholesale, or tracking is no longer wanted); returns whether one was held. */
    boolean forget() {
        boolean held = before != null;
        before = null;
        return held;
    }

    /** {@return the changes since the mark, with each id's entry now from {@code now}; null when unknown} */
    PriorStateTracking.PriorState capture(long sequence, Function<String, VectorEntry> now) {
        if (before == null) {
            return null;
        }
        List<PriorStateTracking.Change> changes = new ArrayList<>(before.size());
        for (Map.Entry<String, Object> e : before.entrySet()) {
            Object was = e.getValue();
            changes.add(new PriorStateTracking.Change(e.getKey(), was == ABSENT ? null : (VectorEntry) was,
                    now.apply(e.getKey())));
        }
        return new PriorStateTracking.PriorState(markSequence, sequence, changes);
    }
}
