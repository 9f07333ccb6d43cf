package dev.vecpersist.core;

import dev.vecpersist.api.ChangeTracking;
import dev.vecpersist.api.VectorEntry;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * The entries of a {@link VectorDB} in insertion order, with the sequence numbers and tombstones that
 * tell an incremental save what changed. Not thread-safe: the database holds its lock around every call
 * (a read lock for the queries, the write lock for the changes).
 */
final class TrackedEntries {

    /**
     * An entry as stored: its vector never changes, its norm is cached for search. {@code position}
     * orders the entries as the map iterates them (a new id gets a higher one than every entry, an
     * update keeps its id's), so a change set can list its entries in that order without a scan.
     */
    record Stored(VectorEntry entry, long sequence, float norm, long position) {
        /** An entry whose position {@link TrackedEntries} assigns when it takes it. */
        Stored(VectorEntry entry, long sequence, float norm) {
            this(entry, sequence, norm, 0);
        }
    }

    private static final Comparator<Stored> BY_POSITION = Comparator.comparingLong(Stored::position);

    private LinkedHashMap<String, Stored> entries = new LinkedHashMap<>();
    /** Deleted ids and the sequence of their deletion, kept until a save covers them. */
    private final Map<String, Long> tombstones = new HashMap<>();
    private long sequence;
    /** Changes at or before this sequence are no longer known individually (after clear or replace). */
    private long forgottenThrough;
    /** The position the next new id takes. */
    private long nextPosition;
    /** The upserts in sequence order: what changed since a sequence, without scanning every entry. */
    private final ChangeLog changeLog = new ChangeLog(this::currentSequence);
    private final Upsert upsert = new Upsert();
    /** What changed entries were at the last prior-state mark, for incremental restores. */
    private final PriorStateTracker prior = new PriorStateTracker();

    int size() {
        return entries.size();
    }

    Stored get(String id) {
        return entries.get(id);
    }

    boolean contains(String id) {
        return entries.containsKey(id);
    }

    Collection<Stored> values() {
        return entries.values();
    }

    /**
     * What {@link #put} hands to {@code compute}, reused since puts run under the write lock: the new
     * entry takes the current sequence, and the position of the entry it replaces (an update keeps its
     * place in the iteration order) or the next one (a new id goes last).
     */
    private final class Upsert implements BiFunction<String, Stored, Stored> {
        Stored incoming;
        Stored previous;

        @Override
        public Stored apply(String id, Stored old) {
            previous = old;
            return new Stored(incoming.entry(), sequence, incoming.norm(), old == null ? nextPosition++ : old.position());
        }
    }

    /** {@return the prior-state tracker (see {@link dev.vecpersist.api.PriorStateTracking})} */
    PriorStateTracker prior() {
        return prior;
    }

    long sequence() {
        return sequence;
    }

    /** {@return the entries as they are now, in insertion order} */
    VectorEntry[] view() {
        VectorEntry[] view = new VectorEntry[entries.size()];
        int i = 0;
        for (Stored s : entries.values()) {
            view[i++] = s.entry();
        }
        return view;
    }

    /** Inserts or replaces an entry as the newest change. */
    void put(Stored s) {
        sequence++;
        String id = s.entry().id();
        // a tombstone stays when a deleted id is inserted again: the next delta then lists the deletion
        // and the upsert, and replaying deletions first puts the id at the end, where it is now
        upsert.incoming = s;
        entries.compute(id, upsert); // one lookup, and no allocation but the new Stored
        Stored old = upsert.previous;
        upsert.incoming = null;
        upsert.previous = null;
        if (old != null) {
            changeLog.superseded(old.sequence(), forgottenThrough);
        }
        changeLog.upserted(sequence, id, forgottenThrough);
        prior.changed(id, old == null ? null : old.entry());
    }

    /** Deletes an entry, leaving a tombstone; {@return whether there was one} */
    boolean remove(String id) {
        Stored old = entries.remove(id);
        if (old == null) {
            return false;
        }
        prior.changed(id, old.entry());
        changeLog.superseded(old.sequence(), forgottenThrough);
        sequence++;
        tombstones.put(id, sequence);
        return true;
    }

    void clear() {
        entries = new LinkedHashMap<>();
        tombstones.clear();
        changeLog.clear();
        prior.forget();
        sequence++;
        forgottenThrough = sequence;
    }

    /**
     * Puts an entry into a map being built for {@link #replace}, with the position it will have there
     * (its place in the map's order), so that taking the map needs no pass over it: a new id goes
     * last, a repeated id keeps its first place and takes the later entry, as a {@link LinkedHashMap}
     * does.
     *
     * @param fresh the map being built, filled only through this method
     * @param entry the entry, checked
     * @param norm  its vector's norm
     */
    static void stage(LinkedHashMap<String, Stored> fresh, VectorEntry entry, float norm) {
        Stored previous = fresh.put(entry.id(), new Stored(entry, 0, norm, fresh.size()));
        if (previous != null) {
            fresh.put(entry.id(), new Stored(entry, 0, norm, previous.position()));
        }
    }

    /**
     * Replaces every entry with a map filled by {@link #stage}; the adopted ones carry sequence 0,
     * older than the new baseline, so no change set lists them. {@return the new baseline sequence}
     */
    long replace(LinkedHashMap<String, Stored> fresh) {
        sequence++;
        // stage() gave the entries positions 0 .. size - 1 in the map's order: new ids go after them
        nextPosition = fresh.size();
        entries = fresh;
        tombstones.clear();
        changeLog.clear();
        prior.forget();
        forgottenThrough = sequence;
        return sequence;
    }

    /** See {@link ChangeTracking#changesSince(long)}. */
    ChangeTracking.ChangeSet changesSince(long sinceSequence) {
        if (sinceSequence < forgottenThrough || sinceSequence > sequence) {
            return null;
        }
        List<Stored> changed = new ArrayList<>();
        for (String id : changeLog.changedSince(sinceSequence)) {
            changed.add(entries.get(id));
        }
        changed.sort(BY_POSITION); // the iteration order, which replaying a delta reproduces for new ids
        List<VectorEntry> upserts = new ArrayList<>(changed.size());
        for (Stored s : changed) {
            upserts.add(s.entry());
        }
        List<String> deletions = new ArrayList<>();
        for (Map.Entry<String, Long> t : tombstones.entrySet()) {
            if (t.getValue() > sinceSequence) {
                deletions.add(t.getKey());
            }
        }
        return new ChangeTracking.ChangeSet(sinceSequence, sequence, upserts, deletions);
    }

    /** {@return the sequence of the entry {@code id} holds now, or -1 when it holds none} */
    private long currentSequence(String id) {
        Stored s = entries.get(id);
        return s == null ? -1 : s.sequence();
    }

    /** {@return the change log (for tests)} */
    ChangeLog changeLog() {
        return changeLog;
    }

    /** See {@link ChangeTracking#changesSaved(long)}. */
    void changesSaved(long savedSequence) {
        tombstones.values().removeIf(s -> s <= savedSequence);
        forgottenThrough = Math.max(forgottenThrough, Math.min(savedSequence, sequence));
    }
}
