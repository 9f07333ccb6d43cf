package dev.vecpersist.core;

import dev.vecpersist.api.ChangeApplying;
import dev.vecpersist.api.ChangeTracking;
import dev.vecpersist.api.EntrySnapshot;
import dev.vecpersist.api.MetadataValues;
import dev.vecpersist.api.Metric;
import dev.vecpersist.api.PersistableDatabase;
import dev.vecpersist.api.PriorStateTracking;
import dev.vecpersist.api.ValueLimits;
import dev.vecpersist.api.VectorEntry;
import dev.vecpersist.core.TrackedEntries.Stored;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The embedded in-memory vector database: exact k-nearest-neighbour search over entries kept in
 * insertion order.
 *
 * <p>Thread-safe. Writers hold a lock only for the map update; {@link #snapshot()} copies entry
 * references under a read lock, so saves see one point in time and never block writers for long.
 * Entries are immutable once stored: inserts copy the caller's vector and metadata, and
 * {@link #get(String)} hands out a copy of the vector.
 *
 * <p>Every write gets a sequence number, so {@link #changesSince(long)} can tell an incremental
 * save exactly which entries were inserted, updated or deleted.
 *
 * <pre>{@code
 * VectorDB db = new VectorDB(384, Metric.COSINE);
 * db.insert(new VectorEntry("doc-1", embedding, Map.of("category", "A")));
 * List<SearchResult> top = db.search(query, 10);
 * }</pre>
 */
public final class VectorDB implements PersistableDatabase, ChangeTracking, ChangeApplying, PriorStateTracking {

    private final int dimension;
    private final Metric metric;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    /** The entries and their change tracking; guarded by {@link #lock}. */
    private final TrackedEntries entries = new TrackedEntries();

    /**
     * @param dimension components per vector, 1..{@link ValueLimits#MAX_DIMENSION}
     * @param metric    how {@link #search} ranks neighbours
     */
    public VectorDB(int dimension, Metric metric) {
        ValueLimits.checkDimension(dimension);
        this.dimension = dimension;
        this.metric = Objects.requireNonNull(metric, "metric");
    }

    @Override
    public int dimension() {
        return dimension;
    }

    @Override
    public Metric metric() {
        return metric;
    }

    @Override
    public long size() {
        lock.readLock().lock();
        try {
            return entries.size();
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Inserts an entry, or replaces the entry with the same id.
     *
     * @param entry the entry; its vector is copied and its metadata normalised
     * @throws IllegalArgumentException naming the rule or {@link ValueLimits} limit broken: a null or
     *                                  empty id, an id too long or not valid Unicode, a wrong dimension, a
     *                                  NaN or infinite component, or metadata outside {@link MetadataValues}'
     *                                  model or limits
     */
    public void insert(VectorEntry entry) {
        Stored stored = prepare(entry);
        lock.writeLock().lock();
        try {
            entries.put(stored);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Inserts all entries (upsert by id); validates every one before changing anything. */
    @Override
    public void insertBatch(Collection<VectorEntry> batch) {
        List<Stored> prepared = new ArrayList<>(batch.size());
        for (VectorEntry e : batch) {
            prepared.add(prepare(e));
        }
        lock.writeLock().lock();
        try {
            for (Stored s : prepared) {
                entries.put(s);
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * Looks an entry up.
     *
     * @param id the id
     * @return the entry with this id, with a copy of its vector, or empty when there is none
     */
    public Optional<VectorEntry> get(String id) {
        Stored s;
        lock.readLock().lock();
        try {
            s = entries.get(id);
        } finally {
            lock.readLock().unlock();
        }
        return s == null ? Optional.empty()
                : Optional.of(new VectorEntry(s.entry().id(), s.entry().vector().clone(), s.entry().metadata()));
    }

    /**
     * Tells whether an entry exists.
     *
     * @param id the id
     * @return whether an entry with this id exists
     */
    public boolean contains(String id) {
        lock.readLock().lock();
        try {
            return entries.contains(id);
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Deletes the entry with this id.
     *
     * @param id the id
     * @return whether there was one
     */
    public boolean delete(String id) {
        lock.writeLock().lock();
        try {
            return entries.remove(id);
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public void clear() {
        lock.writeLock().lock();
        try {
            entries.clear();
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * The {@code k} nearest entries to {@code query}, best first: highest cosine similarity or dot
     * product, or lowest Euclidean distance. Exact (scans every entry).
     *
     * @param query a vector of the database's dimension
     * @param k     how many results at most
     * @return up to {@code k} results, best first; empty when {@code k <= 0}
     * @throws IllegalArgumentException when the query is null or has another dimension
     */
    public List<SearchResult> search(float[] query, int k) {
        if (query == null || query.length != dimension) {
            throw new IllegalArgumentException("query must have " + dimension + " components");
        }
        if (k <= 0) {
            return List.of();
        }
        float queryNorm = Similarity.norm(query);
        TopK top = new TopK(k, metric);
        lock.readLock().lock();
        try {
            for (Stored s : entries.values()) {
                top.offer(s.entry().id(), Similarity.score(metric, query, queryNorm, s.entry().vector(), s.norm()));
            }
        } finally {
            lock.readLock().unlock();
        }
        return top.results();
    }

    @Override
    public EntrySnapshot snapshot() {
        lock.readLock().lock();
        try {
            return EntryView.of(entries.view(), entries.sequence());
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Replaces the content in one step. The entries (fresh from a reader) are adopted without
     * copying their vectors; their metadata is normalised. Change tracking restarts from here. What
     * {@link #insert} refuses is refused here too (a NaN or infinite component, a bad id, metadata
     * outside the model), and then nothing changes.
     */
    @Override
    public long replaceAll(Collection<VectorEntry> newEntries, byte[] indexState) {
        LinkedHashMap<String, Stored> fresh = new LinkedHashMap<>(Math.max(16, newEntries.size() * 4 / 3 + 1));
        for (VectorEntry e : newEntries) {
            // entries come checked by the loader (see PersistableDatabase#replaceAll); only the cheap part here
            if (e.vector().length != dimension) {
                EntryRules.check(e, dimension);
            }
            ValueLimits.checkId(e.id());
            float norm = Similarity.norm(e.vector());
            if (!Float.isFinite(norm)) {
                // a NaN or infinite component makes the norm so (as may a huge finite vector): the full rules tell which
                EntryRules.check(e, dimension);
            }
            VectorEntry adopted = new VectorEntry(e.id(), e.vector(), MetadataValues.normalize(e.metadata()));
            TrackedEntries.stage(fresh, adopted, norm);
        }
        return replaceStaged(fresh);
    }

    /**
     * {@link #replaceAll(Collection, byte[])} with the entries already in their stored form, built by
     * the loader as each entry arrived, checked against {@link EntryRules} for one dimension (see
     * {@link FullStateStaging}) and put in the map by {@link TrackedEntries#stage}, which gave them
     * their positions; the map is adopted as it is.
     *
     * @throws IllegalArgumentException when the entries have another dimension than the database
     */
    long replaceStaged(LinkedHashMap<String, Stored> fresh) {
        if (!fresh.isEmpty()) {
            EntryRules.check(fresh.values().iterator().next().entry(), dimension); // all share one dimension
        }
        lock.writeLock().lock();
        try {
            return entries.replace(fresh); // adopted entries carry sequence 0: no change set lists them
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * Applies deletions, then upserts, under one write lock: searches see the content before or
     * after, never in between. Every entry is checked and copied before anything changes. The
     * changes are tracked like single inserts and deletes.
     */
    @Override
    public long applyChanges(Collection<VectorEntry> upserts, Collection<String> deletions) {
        List<Stored> prepared = new ArrayList<>(upserts.size());
        for (VectorEntry e : upserts) {
            prepared.add(prepare(e));
        }
        List<String> ids = List.copyOf(deletions);
        lock.writeLock().lock();
        try {
            for (String id : ids) {
                entries.remove(id);
            }
            for (Stored s : prepared) {
                entries.put(s);
            }
            return entries.sequence();
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public ChangeSet changesSince(long sinceSequence) {
        lock.readLock().lock();
        try {
            return entries.changesSince(sinceSequence);
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public void changesSaved(long savedSequence) {
        lock.writeLock().lock();
        try {
            entries.changesSaved(savedSequence);
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public long currentSequence() {
        lock.readLock().lock();
        try {
            return entries.sequence();
        } finally {
            lock.readLock().unlock();
        }
    }

    private Stored prepare(VectorEntry entry) {
        EntryRules.check(entry, dimension);
        VectorEntry copy = new VectorEntry(entry.id(), entry.vector().clone(), MetadataValues.normalize(entry.metadata()));
        return new Stored(copy, 0, Similarity.norm(copy.vector()));
    }

    @Override
    public long markPriorState(long maxTrackedIds) {
        return locked(lock.writeLock(), () -> entries.prior().mark(entries.sequence(), maxTrackedIds));
    }

    @Override
    public PriorState priorState() {
        return locked(lock.readLock(), () -> entries.prior().capture(entries.sequence(), id -> {
            TrackedEntries.Stored s = entries.get(id);
            return s == null ? null : s.entry();
        }));
    }

    @Override
    public void clearPriorState() {
        locked(lock.writeLock(), () -> entries.prior().forget());
    }

    private static <T> T locked(java.util.concurrent.locks.Lock held, java.util.function.Supplier<T> action) {
        held.lock();
        try {
            return action.get();
        } finally {
            held.unlock();
        }
    }

    @Override
    public String toString() {
        return "VectorDB[dimension=" + dimension + ", metric=" + metric.fileName() + ", size=" + size() + "]";
    }
}
