package dev.vecpersist.core;

import dev.vecpersist.api.EntrySnapshot;
import dev.vecpersist.api.Metric;
import dev.vecpersist.api.PersistableDatabase;
import dev.vecpersist.api.VectorEntry;

import java.util.Collection;
import java.util.Iterator;
import java.util.List;

/**
 * A database other than {@link VectorDB}, over a list a test can change behind its back (e.g. to
 * smuggle in a NaN that VectorDB's insert would refuse), so tests can prove that a save checks what
 * it writes itself.
 */
record ListDatabase(int dimension, List<VectorEntry> rows) implements PersistableDatabase {

    @Override
    public Metric metric() {
        return Metric.COSINE;
    }

    @Override
    public long size() {
        return rows.size();
    }

    @Override
    public EntrySnapshot snapshot() {
        List<VectorEntry> copy = List.copyOf(rows);
        return new EntrySnapshot() {
            @Override
            public long count() {
                return copy.size();
            }

            @Override
            public Iterator<VectorEntry> iterator() {
                return copy.iterator();
            }
        };
    }

    @Override
    public void clear() {
        rows.clear();
    }

    @Override
    public void insertBatch(Collection<VectorEntry> entries) {
        rows.addAll(entries);
    }
}
