package dev.vecpersist.core;

import dev.vecpersist.api.EntrySnapshot;
import dev.vecpersist.api.PriorStateTracking;
import dev.vecpersist.api.StateFingerprint;
import dev.vecpersist.api.VectorEntry;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * One batch for {@link dev.vecpersist.api.ChangeApplying#applyChanges} (deletions first, then upserts)
 * that reverts the changes a database tracked since a mark and applies a target's later pieces, so
 * that an incremental restore is one atomic step; and the fingerprint the result must have.
 *
 * @param upserts   entries to put, by id
 * @param deletions ids to delete first
 */
record RevertBatch(LinkedHashMap<String, VectorEntry> upserts, LinkedHashSet<String> deletions) {

    /** {@return reverting the tracked {@code changes}, then applying {@code added}, folded into one batch} */
    static RevertBatch of(PriorStateTracking.PriorState changes, ChainLoader.Changes added) {
        LinkedHashMap<String, VectorEntry> upserts = new LinkedHashMap<>();
        LinkedHashSet<String> deletions = new LinkedHashSet<>();
        for (PriorStateTracking.Change c : changes.changes()) {
            if (c.before() != null) {
                upserts.put(c.id(), c.before()); // updated or deleted since: back to what it was
            } else if (c.after() != null) {
                deletions.add(c.id()); // inserted since
            }
        }
        for (String id : added.deletions()) {
            upserts.remove(id);
            deletions.add(id);
        }
        for (VectorEntry e : added.upserts()) {
            upserts.put(e.id(), e);
        }
        return new RevertBatch(upserts, deletions);
    }

    /**
     * The fingerprint of the known state with {@code added} applied: minus each entry {@code added}
     * replaces or deletes, as it was in the known state (its prior value if it changed since the mark,
     * else its value now), plus each entry {@code added} upserts.
     */
    static String targetFingerprint(String knownFingerprint, PriorStateTracking.PriorState changes,
                                    ChainLoader.Changes added, EntrySnapshot now) {
        Set<String> touched = new HashSet<>(added.deletions());
        added.upserts().forEach(e -> touched.add(e.id()));
        Map<String, VectorEntry> wasKnown = new HashMap<>();
        Set<String> tracked = new HashSet<>();
        for (PriorStateTracking.Change c : changes.changes()) {
            if (touched.contains(c.id())) {
                tracked.add(c.id());
                if (c.before() != null) {
                    wasKnown.put(c.id(), c.before());
                }
            }
        }
        for (VectorEntry e : now) {
            if (touched.contains(e.id()) && !tracked.contains(e.id())) {
                wasKnown.put(e.id(), e); // unchanged since the mark
            }
        }
        StateFingerprint f = StateFingerprint.parse(knownFingerprint);
        wasKnown.values().forEach(f::remove);
        added.upserts().forEach(f::add);
        return f.value();
    }
}
