package dev.vecpersist.core;

import dev.vecpersist.api.ChangeApplying;
import dev.vecpersist.api.ChangeTracking;
import dev.vecpersist.api.CorruptedStateException;
import dev.vecpersist.api.EntrySnapshot;
import dev.vecpersist.api.PersistableDatabase;
import dev.vecpersist.api.PriorStateTracking;
import dev.vecpersist.api.ProgressListener;
import dev.vecpersist.api.StateFingerprint;
import dev.vecpersist.api.VectorEntry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Restores a state by changing only what differs from the state the database holds, when it can.
 *
 * <p>It remembers the {@link KnownState}: the snapshot or committed version the database was last made
 * identical to (created, restored, saved or loaded), with its {@link StateFingerprint}, and marks the
 * database then ({@link PriorStateTracking}), so that from then on the database keeps each changed
 * entry's prior value. Restoring a target of the same lineage ({@link RestorePlanner}) then reverts
 * those changes and applies only the target's pieces after the known ones, in one atomic
 * {@link ChangeApplying#applyChanges} call. The result's fingerprint must equal the target's (the one
 * recorded with it, or for a committed chain the known one adjusted by exactly the entries the new
 * deltas change, each delta being checked against its manifest checksum); otherwise the database is
 * put back as it was and the caller restores in full. A full restore is verified the same way when
 * the target records a fingerprint. A database without {@link PriorStateTracking}, {@link ChangeTracking}
 * and {@link ChangeApplying}, one changed beyond the limit ({@link PersistenceOptions#incrementalRestoreRatio()})
 * or replaced wholesale since the mark, is always restored in full.
 *
 * <p>An incremental restore gives the same entries as a full one; where the database keeps an order,
 * an entry deleted since the mark and brought back comes at the end. Not thread-safe: the manager
 * calls it under its operation lock.
 */
final class IncrementalRestore {

    private static final Logger LOG = LoggerFactory.getLogger(IncrementalRestore.class);

    /** Reads the target's pieces from {@code fromIndex} on, folded into one batch of changes. */
    interface PieceReader {
        ChainLoader.Changes read(int fromIndex, ProgressReporter progress);
    }

    private final PersistableDatabase db;
    private final double ratio;
    private final int batchSize;
    private final Auditor audit;
    private KnownState known;
    /** Hashes of the entries digested last: a fingerprint pass rehashes only what changed since. */
    private final StateFingerprint.Cache hashes = new StateFingerprint.Cache();

    IncrementalRestore(PersistableDatabase db, PersistenceOptions options, Auditor audit) {
        this.db = db;
        this.audit = audit;
        this.ratio = options.incrementalRestoreRatio();
        this.batchSize = options.batchSize();
    }

    /** {@return the state the database derives from, or null when unknown} */
    KnownState known() {
        return known;
    }

    /**
     * The database holds the state {@code pieces} with {@code fingerprint}, at change sequence
     * {@code sequence} (-1 when it does not track changes): marks it, unless a write came in since.
     */
    void holds(List<String> pieces, String fingerprint, long sequence) {
        known = null;
        if (!tracks()) {
            hashes.clear();
            return;
        }
        PriorStateTracking tracking = (PriorStateTracking) db;
        long mark = tracking.markPriorState((long) Math.ceil(ratio * db.size()));
        if (mark != sequence) {
            tracking.clearPriorState(); // written since: the content at the mark is not that state
            hashes.clear();
            return;
        }
        known = new KnownState(pieces, fingerprint, mark);
    }

    /**
     * The database, at {@code sequence}, holds the state {@code pieces} with {@code fingerprint}: when it
     * is still the known state (nothing changed since the mark), that state is known under this name too;
     * otherwise as {@link #holds}.
     */
    void alsoHolds(List<String> pieces, String fingerprint, long sequence) {
        if (known != null && known.fingerprint().equals(fingerprint) && unchangedSinceMark(sequence)) {
            known = known.alsoAs(pieces);
        } else {
            holds(pieces, fingerprint, sequence);
        }
    }

    /**
     * The database, at {@code sequence}, holds the state {@code pieces}, the known state unchanged:
     * adds the name and returns true; else returns false.
     */
    boolean alsoHoldsUnchanged(List<String> pieces, long sequence) {
        if (known == null || !unchangedSinceMark(sequence)) {
            return false;
        }
        known = known.alsoAs(pieces);
        return true;
    }

    /**
     * The pieces {@code old} were copied to {@code now}, the same content under other names (a key
     * rotation): every identity of the known state that reads any of them is known with the copies too.
     */
    void renamed(List<String> old, List<String> now) {
        if (known == null || old.size() != now.size()) {
            return;
        }
        Map<String, String> names = new java.util.HashMap<>();
        for (int i = 0; i < old.size(); i++) {
            names.put(old.get(i), now.get(i));
        }
        for (List<String> identity : known.identities()) {
            List<String> renamed = identity.stream().map(p -> names.getOrDefault(p, p)).toList();
            if (!renamed.equals(identity) && !known.identities().contains(renamed)) {
                known = known.alsoAs(renamed);
            }
        }
    }

    /** Whether the database is at {@code sequence} and every change tracked since the mark was undone. */
    private boolean unchangedSinceMark(long sequence) {
        PriorStateTracking.PriorState changes = changesSinceMark();
        return changes != null && changes.sequence() == sequence
                && changes.changes().stream().allMatch(c -> java.util.Objects.equals(c.before(), c.after()));
    }

    /** The database holds {@code pieces} if it is still at {@code sequence}: fingerprints it and marks it. */
    void holdsNow(List<String> pieces, long sequence) {
        if (!tracks()) {
            known = null;
            return; // no fingerprint pass for a database that cannot restore incrementally
        }
        EntrySnapshot now = db.snapshot();
        if (now.sequence() != sequence) {
            forget();
            return;
        }
        holds(pieces, fingerprint(now), sequence);
    }

    /**
     * The known state, changed as the database tracked since the mark, was committed as {@code pieces}
     * at {@code sequence}: derives its fingerprint from the changes alone and marks it.
     *
     * @return whether it could (false: nothing known, or the database changed beyond the capture)
     */
    boolean advance(List<String> pieces, long sequence) {
        String derived = derivedAt(sequence);
        if (derived == null) {
            return false;
        }
        holds(pieces, derived, sequence);
        return known != null;
    }

    /**
     * {@return the fingerprint of the database at change sequence {@code sequence}, or null when it
     * cannot be told}: derived from the known state and the changes tracked since its mark when they
     * reach exactly that sequence (a pass over the changes only), else computed from {@code view} (or
     * from a fresh view when null, only for a database that can restore incrementally: else it is not
     * worth a pass over every entry) if that view is at {@code sequence}
     */
    String fingerprintAt(long sequence, EntrySnapshot view) {
        String derived = derivedAt(sequence);
        if (derived != null) {
            return derived;
        }
        if (view == null && !tracks()) {
            return null;
        }
        EntrySnapshot at = view != null ? view : db.snapshot();
        return at.sequence() == sequence ? fingerprint(at) : null;
    }

    /** The known state's fingerprint changed by what was tracked since its mark, when that reaches {@code sequence}. */
    private String derivedAt(long sequence) {
        PriorStateTracking.PriorState changes = changesSinceMark();
        if (changes == null || changes.sequence() != sequence) {
            return null;
        }
        StateFingerprint f = StateFingerprint.parse(known.fingerprint());
        for (PriorStateTracking.Change c : changes.changes()) {
            if (c.before() != null) {
                f.remove(c.before());
            }
            if (c.after() != null) {
                f.add(c.after());
            }
        }
        return f.value();
    }

    /** Forgets the known state (the database no longer derives from it in a way worth tracking). */
    void forget() {
        known = null;
        hashes.clear();
        if (db instanceof PriorStateTracking tracking) {
            tracking.clearPriorState();
        }
    }

    /**
     * Restores {@code target} incrementally if the plan allows it and the result checks out.
     *
     * @param targetFingerprint the fingerprint recorded with the target, or null to derive it from the known one
     * @return the database's change sequence after the restore (-1 when it does not track changes), or
     *         empty when a full restore is needed; the database is then as it was
     */
    OptionalLong tryRestore(List<String> target, String targetFingerprint, PieceReader pieces,
                            ProgressListener listener, String operation) {
        RestorePlanner.Plan plan = RestorePlanner.plan(known, target);
        PriorStateTracking.PriorState changes = plan.incremental() ? changesSinceMark() : null;
        if (changes == null) {
            LOG.debug("{} in full: {}", operation, plan.incremental() ? "the changes since the known state are not "
                    + "known (beyond the limit, or replaced wholesale)" : plan.reason());
            return OptionalLong.empty();
        }
        ProgressReporter progress = new ProgressReporter(operation + "-incremental", changes.changes().size(), listener,
                batchSize);
        progress.start(plan.reason() + " (" + changes.changes().size() + " entries changed since)");
        ChainLoader.Changes added = plan.apply().isEmpty() ? new ChainLoader.Changes(List.of(), List.of())
                : pieces.read(plan.fromIndex(), progress);
        EntrySnapshot before = db.snapshot();
        if (before.sequence() != changes.sequence()) {
            return OptionalLong.empty(); // a write came in meanwhile: restore in full
        }
        String expected = targetFingerprint != null ? targetFingerprint
                : added.upserts().isEmpty() && added.deletions().isEmpty() ? known.fingerprint()
                : RevertBatch.targetFingerprint(known.fingerprint(), changes, added, before);
        RevertBatch batch = RevertBatch.of(changes, added);
        byte[] index = db.indexState().orElse(null);
        long sequence;
        try {
            sequence = ((ChangeApplying) db).applyChanges(batch.upserts().values(), batch.deletions());
        } catch (IllegalArgumentException e) {
            LOG.warn("{}: the incremental change was refused ({}); restoring in full", operation, e.getMessage());
            return OptionalLong.empty(); // nothing changed (ChangeApplying's contract)
        }
        String actual = fingerprint(db.snapshot());
        if (!actual.equals(expected)) {
            LOG.warn("{}: the incremental result has state fingerprint {} but the target has {}; putting the database "
                    + "back and restoring in full", operation, actual, expected);
            db.replaceAll(entriesOf(before), index);
            forget();
            return OptionalLong.empty();
        }
        holds(target, expected, sequence);
        audit.detail("incremental", Map.of("reverted", (long) changes.changes().size(),
                "upserts", (long) added.upserts().size(), "deletions", (long) added.deletions().size()));
        progress.finish(operation + ": reverted " + changes.changes().size() + " changed entries, applied "
                + added.upserts().size() + " upserts and " + added.deletions().size() + " deletions");
        return OptionalLong.of(sequence);
    }

    /**
     * Replaces the database with {@code staged} (read and checked in full) and checks the result's
     * fingerprint against {@code expected} when it is not null; on a mismatch puts the database back
     * and throws. Then the database holds {@code pieces}.
     *
     * @return the database's change sequence after the replacement
     * @throws CorruptedStateException when the fingerprint differs; the database is then as it was
     */
    long replace(ChainLoader.Staged staged, String expected, List<String> pieces, Path file) {
        EntrySnapshot before = expected == null ? null : db.snapshot();
        byte[] index = expected == null ? null : db.indexState().orElse(null);
        long sequence = staged.applyTo(db);
        if (expected == null && !tracks()) {
            known = null;
            return sequence;
        }
        String actual = fingerprint(db.snapshot());
        if (expected != null && !actual.equals(expected)) {
            db.replaceAll(entriesOf(before), index);
            forget();
            throw new CorruptedStateException("the restored content has state fingerprint " + actual
                    + " but " + String.join(" + ", pieces) + " records " + expected + "; the database is unchanged",
                    file, null);
        }
        holds(pieces, actual, sequence);
        return sequence;
    }

    /**
     * {@return the fingerprint of {@code entries}}: while a state is known, entry hashes are kept
     * between passes (references to the database's immutable entries), so a pass costs a lookup per
     * entry plus hashing the entries changed since the last one; else nothing is kept.
     */
    String fingerprint(Iterable<VectorEntry> entries) {
        if (!tracks()) {
            return StateFingerprint.of(entries);
        }
        return hashes.of(entries);
    }

    /** Whether the database can be restored incrementally at all (and it is not turned off). */
    private boolean tracks() {
        return db instanceof PriorStateTracking && db instanceof ChangeApplying && db instanceof ChangeTracking
                && ratio > 0;
    }

    /** The changes tracked since the known state's mark, or null when there are none to trust. */
    private PriorStateTracking.PriorState changesSinceMark() {
        if (known == null || !(db instanceof PriorStateTracking tracking) || !(db instanceof ChangeApplying)) {
            return null;
        }
        PriorStateTracking.PriorState changes = tracking.priorState();
        return changes != null && changes.markSequence() == known.markSequence() ? changes : null;
    }

    private static List<VectorEntry> entriesOf(EntrySnapshot snapshot) {
        List<VectorEntry> all = new ArrayList<>((int) Math.min(Integer.MAX_VALUE - 8, snapshot.count()));
        snapshot.forEach(all::add);
        return all;
    }
}
