package dev.vecpersist.core;

import dev.vecpersist.api.ChangeTracking;
import dev.vecpersist.api.EntrySnapshot;
import dev.vecpersist.api.PersistableDatabase;
import dev.vecpersist.api.ProgressListener;
import dev.vecpersist.api.StateHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Saves into the committed chain of a base directory: a full save writes a new base, an incremental
 * save one more delta (or a new base when the {@link CompactionPolicy} says so); each is committed
 * through the {@link CommitPoint}. Knows which change sequence of the database the chain holds, so
 * that it can tell what changed since. Not thread-safe: the manager calls it under its operation lock
 * ({@link #hasUnsavedChanges()} excepted).
 */
final class ChainSaver {

    private static final Logger LOG = LoggerFactory.getLogger(ChainSaver.class);

    private final PersistableDatabase db;
    private final BaseDirectory dir;
    private final CommitPoint commits;
    private final CompactionPolicy compaction;
    private final DatabaseWriter out;
    private final SaveFormat as;
    private final boolean includeIndexState;
    private final Auditor audit;
    private final ChangeRelease release;
    /** Change sequence of the database that the committed chain holds, or -1 when unknown. */
    private volatile long savedSequence = -1;
    private boolean warnedNoTracking;

    ChainSaver(PersistableDatabase db, BaseDirectory dir, CommitPoint commits, CompactionPolicy compaction,
               DatabaseWriter out, SaveFormat as, boolean includeIndexState, Auditor audit) {
        this(db, dir, commits, compaction, out, as, includeIndexState, audit, new ChangeRelease(db));
    }

    /** {@code release} is shared with the differential snapshots, which may need changes a save covered. */
    ChainSaver(PersistableDatabase db, BaseDirectory dir, CommitPoint commits, CompactionPolicy compaction,
               DatabaseWriter out, SaveFormat as, boolean includeIndexState, Auditor audit, ChangeRelease release) {
        this.release = release;
        this.db = db;
        this.dir = dir;
        this.commits = commits;
        this.compaction = compaction;
        this.out = out;
        this.as = as;
        this.includeIndexState = includeIndexState;
        this.audit = audit;
    }

    /** Writes the whole database as a new base and commits it as a full version; returns the file written. */
    Path saveFull(ProgressListener listener) {
        return saveFull(listener, VersionInfo.Kind.FULL);
    }

    /** Writes the whole database as a new base and commits it as a version of {@code kind}; returns the file written. */
    Path saveFull(ProgressListener listener, VersionInfo.Kind kind) {
        EntrySnapshot snapshot = db.snapshot();
        long generation = commits.nextGeneration();
        Path target = dir.baseFile(generation, as.fileExtension());
        StateHeader header = out.header(as, StateHeader.Kind.FULL, snapshot.count(), 0, includeIndexState);
        ProgressReporter progress = out.progress("save", snapshot.count(), listener);
        progress.start("saving " + snapshot.count() + " entries to " + target.getFileName());
        StateFileWriter.Written written = out.write(target, as, header, new StateFileWriter.Body(snapshot, List.of()),
                progress);
        commits.commitVersion(new VersionHistory.Chain(generation, ref(written), List.of()), kind);
        markSaved(snapshot.sequence());
        progress.finish("saved " + snapshot.count() + " entries to " + target.getFileName());
        return target;
    }

    /** Writes what changed since the chain's sequence as a delta, or a full save when it must; empty when nothing changed. */
    Optional<Path> saveIncremental(ProgressListener listener) {
        if (!(db instanceof ChangeTracking tracking)) {
            if (!warnedNoTracking) {
                warnedNoTracking = true;
                LOG.info("{} does not implement ChangeTracking: incremental saves are full saves", db.getClass().getName());
            }
            return Optional.of(saveFull(listener));
        }
        Manifest committed = commits.current();
        if (committed == null || savedSequence < 0 || compaction.shouldCompact(committed)) {
            audit.compaction();
            boolean compacting = committed != null && savedSequence >= 0;
            return Optional.of(saveFull(listener, compacting ? VersionInfo.Kind.COMPACTION : VersionInfo.Kind.FULL));
        }
        ChangeTracking.ChangeSet changes = tracking.changesSince(savedSequence);
        if (changes == null) {
            return Optional.of(saveFull(listener));
        }
        if (changes.isEmpty()) {
            return Optional.empty();
        }
        Path target = dir.deltaFile(committed.generation(), committed.deltas().size() + 1, as.fileExtension());
        StateHeader header = out.header(as, StateHeader.Kind.DELTA, changes.upserts().size(), changes.deletions().size(),
                false);
        ProgressReporter progress = out.progress("save-incremental", changes.upserts().size(), listener);
        progress.start("saving " + changes.upserts().size() + " changed and " + changes.deletions().size()
                + " deleted entries to " + target.getFileName());
        StateFileWriter.Written written = out.write(target, as, header,
                new StateFileWriter.Body(changes.upserts(), changes.deletions()), progress);
        List<Manifest.FileRef> deltas = new java.util.ArrayList<>(committed.deltas());
        deltas.add(ref(written));
        commits.commitVersion(new VersionHistory.Chain(committed.generation(), committed.base(), deltas),
                VersionInfo.Kind.DELTA);
        markSaved(changes.toSequence());
        progress.finish("saved delta " + target.getFileName());
        return Optional.of(target);
    }

    /** Whether the database changed since the chain's sequence (always true when that is unknown). */
    boolean hasUnsavedChanges() {
        if (db instanceof ChangeTracking tracking && savedSequence >= 0) {
            return tracking.currentSequence() != savedSequence;
        }
        return true;
    }

    /** {@return the change sequence of the database that the committed chain holds, or -1 when unknown} */
    long savedSequence() {
        return savedSequence;
    }

    /** The database now holds the committed chain, at change sequence {@code sequence}. */
    void loaded(long sequence) {
        savedSequence = sequence;
    }

    /** The database no longer holds the committed chain (it was replaced from elsewhere). */
    void forgetSavedSequence() {
        savedSequence = -1;
    }

    private void markSaved(long sequence) {
        savedSequence = sequence;
        if (sequence >= 0) {
            release.saved(sequence);
        }
    }

    private Manifest.FileRef ref(StateFileWriter.Written w) {
        return new Manifest.FileRef(w.file().getFileName().toString(), as.format().name(), as.codecName(), w.checksum(),
                w.entries(), w.deletions(), w.bytes());
    }
}
