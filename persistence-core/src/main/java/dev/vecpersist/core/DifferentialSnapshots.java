package dev.vecpersist.core;

import dev.vecpersist.api.ChangeTracking;
import dev.vecpersist.api.EntrySnapshot;
import dev.vecpersist.api.PersistableDatabase;
import dev.vecpersist.api.PersistenceException;
import dev.vecpersist.api.PiecesUnsupportedException;
import dev.vecpersist.api.ProgressListener;
import dev.vecpersist.api.SnapshotMetadata;
import dev.vecpersist.api.SnapshotPiece;
import dev.vecpersist.api.SnapshotStore;
import dev.vecpersist.api.StateHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Creates differential snapshots ({@link SnapshotMode#DIFFERENTIAL}): a snapshot is the pieces of the
 * previous one this manager took plus one delta piece of what changed since (read from the
 * database's {@link ChangeTracking}), or a new base piece when there is no usable previous one, the
 * database no longer knows what changed, or the chain of pieces is long by the {@link CompactionPolicy}.
 * Every new piece is committed (durable) before the snapshot that references it, so a crash leaves at
 * worst a piece no snapshot lists ({@link PieceCollector} removes those). Not thread-safe: the
 * manager calls it under its operation lock. Each snapshot records its state fingerprint
 * ({@link SnapshotFingerprints}), and the database is then known to hold its pieces ({@link IncrementalRestore}).
 *
 * <p>On the file-system store a delta snapshot costs five fsyncs, each needed: the piece's content and
 * its directory (the piece durable before anything references it), then the snapshot's (empty) data
 * file, its metadata file, and the snapshot directory once for both names (the snapshot visible only
 * whole). Retention adds one fsync of the snapshot directory per deleted snapshot.
 */
final class DifferentialSnapshots {

    private static final Logger LOG = LoggerFactory.getLogger(DifferentialSnapshots.class);
    /** How often to capture again when writes keep slipping in between the view and the change set. */
    private static final int CAPTURE_ATTEMPTS = 3;

    /** The newest differential snapshot this manager took or restored: its pieces reach database sequence {@code sequence}. */
    private record Tip(String snapshotId, List<SnapshotPiece> pieces, long sequence) {
    }

    /**
     * One point in time: the entry count and sequence, and either the changes since the tip up to it
     * (a delta) or a view of every entry (a new base; {@code changes} null).
     */
    private record Capture(EntrySnapshot view, long count, long sequence, ChangeTracking.ChangeSet changes) {
    }

    private final PersistableDatabase db;
    private final PersistenceOptions options;
    private final DatabaseWriter out;
    private final SaveFormat as;
    private final CompactionPolicy compaction;
    private final ChangeRelease release;
    private final Auditor audit;
    /** Fingerprints each snapshot's state, and then knows the database holds it (to restore incrementally). */
    private final IncrementalRestore restores;
    private Tip tip;

    DifferentialSnapshots(PersistableDatabase db, PersistenceOptions options, DatabaseWriter out, SaveFormat as,
                          ChangeRelease release, Auditor audit, IncrementalRestore restores) {
        this.db = db;
        this.options = options;
        this.out = out;
        this.as = as;
        this.compaction = CompactionPolicy.of(options);
        this.release = release;
        this.audit = audit;
        this.restores = restores;
    }

    /** Stores the database's current state as a differential snapshot; retention is the caller's business. */
    SnapshotMetadata create(SnapshotStore store, String name, Map<String, Object> userMetadata, ProgressListener listener) {
        if (!store.supportsPieces()) {
            throw new PiecesUnsupportedException(store);
        }
        SnapshotFingerprints.checkNotReserved(userMetadata);
        SnapshotPiece written = null;
        try {
            Tip base = usableTip(store);
            Capture capture = capture(base);
            List<SnapshotPiece> pieces = new ArrayList<>();
            long sequence = capture.sequence();
            ProgressReporter progress;
            if (capture.changes() == null) {
                progress = out.progress("snapshot", capture.view().count(), listener);
                progress.start("differential snapshot '" + name + "': new base piece of " + capture.view().count() + " entries");
                StateHeader header = out.header(as, StateHeader.Kind.FULL, capture.view().count(), 0,
                        options.includeIndexState());
                written = writePiece(store, SnapshotPiece.Kind.BASE, header,
                        new StateFileWriter.Body(capture.view(), List.of()), progress);
                pieces.add(written);
            } else {
                ChangeTracking.ChangeSet changes = capture.changes();
                progress = out.progress("snapshot", changes.upserts().size(), listener);
                progress.start("differential snapshot '" + name + "': " + changes.upserts().size() + " changed and "
                        + changes.deletions().size() + " deleted entries over " + base.pieces().size() + " pieces");
                pieces.addAll(base.pieces());
                if (!changes.isEmpty()) {
                    StateHeader header = out.header(as, StateHeader.Kind.DELTA, changes.upserts().size(),
                            changes.deletions().size(), false);
                    written = writePiece(store, SnapshotPiece.Kind.DELTA, header,
                            new StateFileWriter.Body(changes.upserts(), changes.deletions()), progress);
                    pieces.add(written);
                }
            }
            // derived from the changes tracked since the known state when it can, else one pass over a view at that point
            String fingerprint = restores.fingerprintAt(sequence, capture.view());
            SnapshotMetadata committed = commit(store, name, fingerprint == null ? userMetadata
                    : SnapshotFingerprints.with(userMetadata, fingerprint), capture.count(), pieces);
            SnapshotPiece newPiece = written;
            written = null; // referenced now: never deleted as a failed snapshot's piece
            tip = new Tip(committed.id(), committed.pieces(), sequence);
            release.snapshotNeedsChangesSince(sequence);
            if (fingerprint != null) {
                restores.alsoHolds(RestorePlanner.pieces(committed.pieces()), fingerprint, sequence);
            }
            audit.detail("snapshotMode", "differential");
            audit.detail("pieces", pieces.size());
            audit.detail("newPiece", newPiece == null ? "none" : newPiece.kind() + " " + newPiece.id());
            progress.finish("snapshot " + committed.id() + " created (" + pieces.size() + " pieces)");
            return committed;
        } catch (IOException | RuntimeException e) {
            if (written != null) {
                deleteQuietly(store, written);
            }
            if (e instanceof PersistenceException pe) {
                throw pe;
            }
            throw new PersistenceException("snapshot '" + name + "' failed: " + e.getMessage(), e);
        }
    }

    /** The database now holds a differential snapshot restored at {@code sequence}: the next one may extend its pieces. */
    void restored(SnapshotMetadata snapshot, long sequence) {
        // only in differential mode: holding deletions back for a snapshot that never comes would keep them forever
        if (sequence >= 0 && db instanceof ChangeTracking && options.snapshotMode() == SnapshotMode.DIFFERENTIAL) {
            tip = new Tip(snapshot.id(), snapshot.pieces(), sequence);
            release.snapshotNeedsChangesSince(sequence);
        }
    }

    /**
     * A key rotation replaced {@code old} by {@code now}, the same content under new piece ids: when
     * {@code old} is the tip, the next snapshot extends {@code now} (the old pieces are collected).
     */
    void replaced(SnapshotMetadata old, SnapshotMetadata now) {
        if (tip != null && tip.snapshotId().equals(old.id()) && tip.pieces().equals(old.pieces()) && now.isDifferential()) {
            tip = new Tip(now.id(), now.pieces(), tip.sequence());
        }
    }

    /** The tip, when it is still listed as this manager left it and its chain is short enough to extend. */
    private Tip usableTip(SnapshotStore store) throws IOException {
        if (tip == null || !(db instanceof ChangeTracking)) {
            return null;
        }
        boolean listed = store.list().stream().anyMatch(m -> m.id().equals(tip.snapshotId())
                && m.pieces().equals(tip.pieces()));
        if (!listed) {
            LOG.info("snapshot {} (the previous differential one) is gone: writing a new base piece", tip.snapshotId());
            return null;
        }
        List<SnapshotPiece> deltas = tip.pieces().subList(1, tip.pieces().size());
        long deltaBytes = deltas.stream().mapToLong(SnapshotPiece::size).sum();
        return compaction.shouldCompact(deltas.size(), deltaBytes, tip.pieces().get(0).size()) ? null : tip;
    }

    /**
     * The changes since the tip, with the entry count and sequence they lead to; without a tip, or
     * when the database no longer knows what changed ({@code changesSince} returned null, e.g. it
     * was replaced), a view of the whole database for a new base piece. The count is read between
     * two equal sequences, so no write came between it and the changes (a delta needs no O(n) view).
     */
    private Capture capture(Tip base) {
        if (base != null && db instanceof ChangeTracking tracking) {
            for (int attempt = 0; attempt < CAPTURE_ATTEMPTS; attempt++) {
                long before = tracking.currentSequence();
                long count = db.size();
                ChangeTracking.ChangeSet changes = tracking.changesSince(base.sequence());
                if (changes == null) {
                    LOG.info("the database no longer knows what changed since sequence {}: writing a new base piece",
                            base.sequence());
                    break;
                }
                if (changes.toSequence() == before) {
                    return new Capture(null, count, before, changes);
                }
                // a write came in between: capture again (after a few tries, a base of one point in time)
            }
        }
        EntrySnapshot view = db.snapshot();
        return new Capture(view, view.count(), view.sequence(), null);
    }

    private SnapshotPiece writePiece(SnapshotStore store, SnapshotPiece.Kind kind, StateHeader header,
                                     StateFileWriter.Body body, ProgressReporter progress) throws IOException {
        try (SnapshotStore.PieceUpload upload = store.beginPiece()) {
            MessageDigest sha = Sha256.newDigest();
            StateFileWriter.CountingOutputStream counted =
                    new StateFileWriter.CountingOutputStream(new DigestOutputStream(upload.data(), sha));
            String content = out.writeStream(counted, options.baseDir().resolve("piece"), as, header, body, progress);
            counted.flush();
            String hex = HexFormat.of().formatHex(sha.digest());
            upload.commit(counted.count, hex);
            audit.file("snapshot piece " + upload.id(), header.entryCount(), header.deletionCount(), counted.count, content);
            return new SnapshotPiece(upload.id(), kind, header.entryCount(), header.deletionCount(), counted.count, hex,
                    content);
        }
    }

    /** Commits the snapshot itself: empty data, and the pieces in its metadata. */
    private SnapshotMetadata commit(SnapshotStore store, String name, Map<String, Object> userMetadata, long count,
                                    List<SnapshotPiece> pieces) throws IOException {
        try (SnapshotStore.Upload upload = store.begin()) {
            upload.data(); // the state is in the pieces: the snapshot's own data is empty
            // dated to the millisecond, as a full snapshot (its state header) and the stored metadata document are
            Instant taken = Instant.ofEpochMilli(options.clock().millis());
            return upload.commit(new SnapshotMetadata(upload.id(), name, taken, count,
                    db.dimension(), as.format().name(), as.codecName(), 0, Sha256.EMPTY, userMetadata, pieces));
        }
    }

    private static void deleteQuietly(SnapshotStore store, SnapshotPiece piece) {
        try {
            store.deletePiece(piece.id());
        } catch (IOException | RuntimeException e) {
            LOG.warn("could not delete piece {} of a failed snapshot (the next snapshot collects it): {}", piece.id(),
                    e.getMessage());
        }
    }
}
