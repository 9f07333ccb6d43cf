package dev.vecpersist.core;

import dev.vecpersist.api.EntrySnapshot;
import dev.vecpersist.api.VectorEntry;

import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;

/**
 * What {@link VectorDB#snapshot()} hands a save: the entries' references at one point in time, and
 * the change sequence they are at. Immutable (the entries are).
 *
 * @param entries  the entries, in insertion order, unmodifiable
 * @param sequence the change sequence of the database when they were copied
 */
record EntryView(List<VectorEntry> entries, long sequence) implements EntrySnapshot {

    /** Wraps {@code view}, which the caller no longer changes. */
    static EntryView of(VectorEntry[] view, long sequence) {
        return new EntryView(Collections.unmodifiableList(Arrays.asList(view)), sequence);
    }

    @Override
    public long count() {
        return entries.size();
    }

    @Override
    public Iterator<VectorEntry> iterator() {
        return entries.iterator();
    }
}
