package dev.vecpersist.core;

import dev.vecpersist.api.ChangeTracking;
import dev.vecpersist.api.VectorEntry;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The entries of a {@link VectorDB} in insertion order, with the sequence numbers and tombstones that
 * tell an incremental save what changed. Not thread-safe: the database holds its lock around every call
 * (a read lock for the queries, the write lock for the changes).
 */
final class TrackedEntries {

    /** An entry as stored: its vector never changes, its norm is cached for search. */
    record Stored(VectorEntry entry, long sequence, float norm) {
    }

    private LinkedHashMap<String, Stored> entries = new LinkedHashMap<>();
    /** Deleted ids and the sequence of their deletion, kept until a save covers them. */
    private final Map<String, Long> tombstones = new HashMap<>();
    private long sequence;
    /** Changes at or before this sequence are no longer known individually (after clear or replace). */
    private long forgottenThrough;
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
        Stored old = entries.put(id, new Stored(s.entry(), sequence, s.norm()));
        prior.changed(id, old == null ? null : old.entry());
    }

    /** Deletes an entry, leaving a tombstone; {@return whether there was one} */
    boolean remove(String id) {
        Stored old = entries.remove(id);
        if (old == null) {
            return false;
        }
        prior.changed(id, old.entry());
        sequence++;
        tombstones.put(id, sequence);
        return true;
    }

    void clear() {
        entries = new LinkedHashMap<>();
        tombstones.clear();
        prior.forget();
        sequence++;
        forgottenThrough = sequence;
    }

    /**
     * Replaces every entry; the adopted ones carry sequence 0, older than the new baseline, so no change
     * set lists them. {@return the new baseline sequence}
     */
    long replace(LinkedHashMap<String, Stored> fresh) {
        sequence++;
        entries = fresh;
        tombstones.clear();
        prior.forget();
        forgottenThrough = sequence;
        return sequence;
    }

    /** See {@link ChangeTracking#changesSince(long)}. */
    ChangeTracking.ChangeSet changesSince(long sinceSequence) {
        if (sinceSequence < forgottenThrough || sinceSequence > sequence) {
            return null;
        }
        List<VectorEntry> upserts = new ArrayList<>();
        if (sinceSequence < sequence) {
            for (Stored s : entries.values()) {
                if (s.sequence() > sinceSequence) {
                    upserts.add(s.entry());
                }
            }
        }
        List<String> deletions = new ArrayList<>();
        for (Map.Entry<String, Long> t : tombstones.entrySet()) {
            if (t.getValue() > sinceSequence) {
                deletions.add(t.getKey());
            }
        }
        return new ChangeTracking.ChangeSet(sinceSequence, sequence, upserts, deletions);
    }

    /** See {@link ChangeTracking#changesSaved(long)}. */
    void changesSaved(long savedSequence) {
        tombstones.values().removeIf(s -> s <= savedSequence);
        forgottenThrough = Math.max(forgottenThrough, Math.min(savedSequence, sequence));
    }
}
