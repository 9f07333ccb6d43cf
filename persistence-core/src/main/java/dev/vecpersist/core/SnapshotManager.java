package dev.vecpersist.core;

import dev.vecpersist.api.CorruptedStateException;
import dev.vecpersist.api.EntrySnapshot;
import dev.vecpersist.api.PersistableDatabase;
import dev.vecpersist.api.PersistenceException;
import dev.vecpersist.api.ProgressListener;
import dev.vecpersist.api.SnapshotListing;
import dev.vecpersist.api.SnapshotMetadata;
import dev.vecpersist.api.SnapshotStore;
import dev.vecpersist.api.StateHeader;
import dev.vecpersist.api.UnreadableSnapshot;
import dev.vecpersist.core.io.AtomicFile;
import dev.vecpersist.core.snapshot.FileSystemSnapshotStore;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The snapshots of a database in its {@link SnapshotStore} (opened on first use): creates one with
 * the SHA-256 of the stored bytes and applies the {@link RetentionPolicy}, lists, restores (verified,
 * all or nothing, through the {@link ChainLoader}) and deletes them. A snapshot id is only ever
 * compared with ids the store listed; it never becomes a path here. Differential snapshots
 * ({@link SnapshotMode#DIFFERENTIAL}) are made by {@link DifferentialSnapshots} and restored by
 * {@link PieceRestore} (only their later pieces when the database holds their first ones); whenever snapshots are deleted, the pieces no remaining snapshot references
 * are collected ({@link PieceCollector}). Not thread-safe: the manager calls it under its operation lock.
 */
final class SnapshotManager implements AutoCloseable {

    private final PersistableDatabase db;
    private final PersistenceOptions options;
    private final Plugins plugins;
    private final DatabaseWriter out;
    private final SaveFormat as;
    private final ChainLoader loader;
    private final RetentionPolicy retention;
    private final Auditor audit;
    /** Whether this manager owns the base directory (and may clean its snapshot store's leftovers). */
    private final boolean owner;
    private final DifferentialSnapshots differential;
    private final PieceRestore pieceRestore;
    /** Whether unreferenced pieces (a crash's or a failed snapshot's) may remain: collected by the next differential snapshot. */
    private boolean piecesToCollect = true;
    /** Knows which snapshot the database holds, to restore it incrementally. */
    private final IncrementalRestore restores;
    private SnapshotStore store;

    /**
     * Refuses up front what the store could not list or restore later: the same limits as entries.
     *
     * @return the user's metadata in the value model
     * @throws IllegalArgumentException when the name or metadata is outside the value model or its limits
     */
    static Map<String, Object> checkedUserMetadata(String name, Map<String, ?> metadata) {
        dev.vecpersist.api.ValueLimits.checkString(java.util.Objects.requireNonNull(name, "name"),
                dev.vecpersist.api.ValueLimits.MAX_ID_BYTES, "snapshot name");
        return dev.vecpersist.api.MetadataValues.normalize(metadata);
    }

    SnapshotManager(PersistableDatabase db, PersistenceOptions options, Plugins plugins, DatabaseWriter out,
                    SaveFormat as, ChainLoader loader, Auditor audit) {
        this(db, options, plugins, out, as, loader, audit, true, new ChangeRelease(db), new IncrementalRestore(db, options, audit));
    }

    SnapshotManager(PersistableDatabase db, PersistenceOptions options, Plugins plugins, DatabaseWriter out,
                    SaveFormat as, ChainLoader loader, Auditor audit, boolean owner, ChangeRelease release,
                    IncrementalRestore restores) {
        this.differential = new DifferentialSnapshots(db, options, out, as, release, audit, restores);
        this.pieceRestore = new PieceRestore(options, loader, restores);
        this.db = db;
        this.options = options;
        this.plugins = plugins;
        this.out = out;
        this.as = as;
        this.loader = loader;
        this.retention = options.retention();
        this.audit = audit;
        this.owner = owner;
        this.restores = restores;
    }

    /** Stores the database's current state as a snapshot, then deletes those beyond the retention policy. */
    SnapshotMetadata create(String name, Map<String, Object> userMetadata, ProgressListener listener) {
        SnapshotStore store = store();
        if (options.snapshotMode() == SnapshotMode.DIFFERENTIAL) {
            SnapshotMetadata committed;
            try {
                committed = differential.create(store, name, userMetadata, listener);
            } catch (RuntimeException e) {
                piecesToCollect = true; // its piece, should deleting it have failed
                throw e;
            }
            enforceRetention(store, committed.id());
            if (piecesToCollect) {
                collectPieces(store); // what a crash (of an earlier process) left before its snapshot committed
            }
            return SnapshotFingerprints.hidden(committed);
        }
        EntrySnapshot snapshot = db.snapshot();
        String fingerprint = restores.fingerprint(snapshot);
        Map<String, Object> stored = SnapshotFingerprints.with(userMetadata, fingerprint);
        StateHeader header = out.header(as, StateHeader.Kind.FULL, snapshot.count(), 0, options.includeIndexState());
        ProgressReporter progress = out.progress("snapshot", snapshot.count(), listener);
        progress.start("snapshot '" + name + "' of " + snapshot.count() + " entries");
        SnapshotMetadata committed;
        try (SnapshotStore.Upload upload = store.begin()) {
            MessageDigest sha = Sha256.newDigest();
            StateFileWriter.CountingOutputStream counted =
                    new StateFileWriter.CountingOutputStream(new DigestOutputStream(upload.data(), sha));
            String checksum = out.writeStream(counted, options.baseDir().resolve("snapshot"), as, header, snapshot,
                    progress);
            audit.file("snapshot " + upload.id(), snapshot.count(), 0, counted.count, checksum);
            counted.flush();
            SnapshotMetadata meta = new SnapshotMetadata(upload.id(), name, header.createdAt(), snapshot.count(),
                    db.dimension(), as.format().name(), as.codecName(), counted.count,
                    HexFormat.of().formatHex(sha.digest()), stored);
            committed = upload.commit(meta);
        } catch (IOException e) {
            throw new PersistenceException("snapshot '" + name + "' failed: " + e.getMessage(), e);
        } catch (PersistenceException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new PersistenceException("snapshot '" + name + "' failed: " + e, e);
        }
        restores.alsoHolds(RestorePlanner.snapshot(committed.id()), fingerprint, snapshot.sequence());
        enforceRetention(store, committed.id());
        progress.finish("snapshot " + committed.id() + " created");
        return SnapshotFingerprints.hidden(committed);
    }

    /** Deletes the snapshots the retention policy does not keep, never the one just created ({@code keep}). */
    private void enforceRetention(SnapshotStore store, String keep) {
        try {
            List<String> deleted = SnapshotPruner.prune(store, retention, false, keep).deletedIds();
            if (!deleted.isEmpty()) {
                audit.detail("retentionDeleted", deleted);
                collectPieces(store);
            }
        } catch (PersistenceException | IllegalArgumentException e) {
            throw new PersistenceException("snapshot created, but applying retention failed: " + e.getMessage(), e);
        }
    }

    /** Applies the retention policy now, or only decides ({@code dryRun}); the audit event names what was deleted. */
    RetentionDecision prune(boolean dryRun) {
        audit.detail("dryRun", dryRun);
        RetentionDecision decision;
        try {
            decision = SnapshotPruner.prune(store(), retention, dryRun);
        } catch (SnapshotPruneException e) {
            audit.detail("deleted", e.deleted().stream().map(SnapshotMetadata::id).toList());
            throw e;
        }
        audit.detail(dryRun ? "toDelete" : "deleted", decision.deletedIds());
        if (!dryRun && !decision.deletedIds().isEmpty()) {
            collectPieces(store());
        }
        return decision;
    }

    /** {@return every snapshot in the store, newest first, as users see them} */
    List<SnapshotMetadata> list() {
        return stored().snapshots().stream().map(SnapshotFingerprints::hidden).toList();
    }

    /** {@return every snapshot in the store, newest first, with the metadata as stored; and the unreadable ones} */
    private SnapshotListing stored() {
        try {
            return store().listing();
        } catch (IOException e) {
            throw new PersistenceException("cannot list snapshots: " + e.getMessage(), e);
        }
    }

    /**
     * Restores a snapshot: incrementally when the database derives from it ({@link IncrementalRestore}),
     * else copies it beside the base directory, verifies its SHA-256 and content checksum (when asked)
     * and replaces the database with it, checking the result against the recorded state fingerprint.
     */
    void restore(String id, boolean verify, ProgressListener listener) {
        SnapshotMetadata meta = find(id);
        audit.detail("snapshotId", meta.id());
        String fingerprint = SnapshotFingerprints.of(meta);
        if (meta.isDifferential()) {
            restoreDifferential(meta, fingerprint, listener);
            return;
        }
        List<String> target = RestorePlanner.snapshot(meta.id());
        if (restores.tryRestore(target, fingerprint, (from, progress) -> {
            throw new IllegalStateException("a snapshot is one piece");
        }, listener, "restore").isPresent()) {
            return;
        }
        Path local = AtomicFile.tempSibling(options.baseDir().resolve("restore-" + meta.id()), "");
        try {
            MessageDigest sha = Sha256.newDigest();
            try (InputStream in = store().open(meta.id());
                 OutputStream file = Files.newOutputStream(local, StandardOpenOption.CREATE_NEW);
                 DigestOutputStream digest = new DigestOutputStream(file, sha)) {
                in.transferTo(digest);
            }
            String actual = HexFormat.of().formatHex(sha.digest());
            if (verify && !actual.equalsIgnoreCase(meta.checksum())) {
                throw new CorruptedStateException("snapshot " + meta.id() + " is damaged: SHA-256 " + actual
                        + ", expected " + meta.checksum(), null, null);
            }
            ProgressReporter progress = new ProgressReporter("restore", 0, listener, options.batchSize());
            progress.start("restore " + local.getFileName());
            ChainLoader.Staged staged = loader.stageFull(local, verify, progress);
            restores.replace(staged, verify ? fingerprint : null, target, local);
            progress.finish("loaded " + staged.received() + " entries from " + local.getFileName());
        } catch (IOException e) {
            throw new PersistenceException("cannot restore snapshot " + meta.id() + ": " + e.getMessage(), e);
        } finally {
            BaseDirectory.deleteQuietly(options.fileOps(), local);
        }
    }

    /**
     * Restores a differential snapshot: when the database derives from its first pieces, reverts to them
     * and applies only the later ones; else all its pieces. Pieces are always checked against their
     * SHA-256, whatever verify says (one serves many snapshots), and the result against the fingerprint.
     */
    private void restoreDifferential(SnapshotMetadata meta, String fingerprint, ProgressListener listener) {
        List<String> target = RestorePlanner.pieces(meta.pieces());
        java.util.OptionalLong incremental = fingerprint == null ? java.util.OptionalLong.empty()
                : restores.tryRestore(target, fingerprint, (from, progress) -> pieceRestore.stageFrom(store(), meta, from,
                progress), listener, "restore");
        long sequence = incremental.isPresent() ? incremental.getAsLong()
                : pieceRestore.restore(store(), meta, fingerprint, target, listener);
        differential.restored(meta, sequence);
    }

    /** Deletes one snapshot (and no other). */
    void delete(String id) {
        // an unreadable snapshot may be deleted too (the user gives it up); then its pieces are not known
        UnreadableSnapshot damaged = stored().unreadable().stream().filter(u -> u.id().equals(id))
                .findFirst().orElse(null);
        SnapshotMetadata meta = damaged == null ? find(id) : null;
        audit.detail("snapshotId", id);
        try {
            store().delete(id);
        } catch (IOException e) {
            throw new PersistenceException("cannot delete snapshot " + id + ": " + e.getMessage(), e);
        }
        if (damaged != null || meta.isDifferential()) {
            collectPieces(store());
        }
    }

    /** A key rotation replaced {@code old} by {@code now} (same content, new id): the next differential snapshot extends it. */
    void replaced(SnapshotMetadata old, SnapshotMetadata now) {
        differential.replaced(old, now);
        restores.renamed(RestorePlanner.identity(old), RestorePlanner.identity(now)); // the database holding one holds both
    }

    /** Pieces no snapshot references may be left (a rotation that failed): the next differential snapshot collects them. */
    void piecesLeftUnreferenced() {
        piecesToCollect = true;
    }

    /** Deletes the pieces no listed snapshot references (none while metadata is unreadable); the audit event says which. */
    void collectPieces(SnapshotStore store) {
        try {
            PieceCollector.Outcome collected = PieceCollector.collect(store);
            piecesToCollect = !collected.ran(); // the next differential snapshot tries again
            if (!collected.deleted().isEmpty()) {
                audit.detail("piecesDeleted", collected.deleted());
            }
            if (!collected.ran()) {
                audit.detail("piecesKeptForUnreadableMetadata", collected.unreadableDescribed());
            }
        } catch (IOException e) {
            throw new PersistenceException("snapshots changed, but deleting the pieces no snapshot needs failed "
                    + "(the next snapshot retries): " + e.getMessage(), e);
        }
    }

    private SnapshotMetadata find(String id) {
        if (id == null || id.isEmpty() || id.length() > 200) {
            throw new PersistenceException("invalid snapshot id '" + id + "'");
        }
        SnapshotListing listing = stored();
        for (SnapshotMetadata m : listing.snapshots()) {
            if (m.id().equals(id)) {
                return m;
            }
        }
        for (UnreadableSnapshot u : listing.unreadable()) {
            if (u.id().equals(id)) {
                throw new PersistenceException("snapshot " + id + " cannot be used: its metadata is unreadable (" + u + ")");
            }
        }
        throw new PersistenceException("no snapshot with id '" + id + "'");
    }

    /** {@return the snapshot store, opened on first use} */
    SnapshotStore store() {
        if (store == null) {
            try {
                store = FileSystemSnapshotStore.NAME.equals(options.snapshotStore())
                        && !options.snapshotStoreSettings().containsKey(FileSystemSnapshotStore.DIR_SETTING)
                        ? openFileSystemStore(options.baseDir().resolve("snapshots"))
                        : plugins.snapshotStore(options.snapshotStore()).open(options.snapshotStoreSettings());
            } catch (IOException e) {
                throw new PersistenceException("cannot open snapshot store '" + options.snapshotStore() + "': "
                        + e.getMessage(), e);
            }
        }
        return store;
    }

    private SnapshotStore openFileSystemStore(Path dir) throws IOException {
        return owner ? FileSystemSnapshotStore.openAsOwner(dir, options.fileOps())
                : new FileSystemSnapshotStore(dir, options.fileOps());
    }

    /** Closes the store, if it was opened. */
    @Override
    public void close() throws IOException {
        if (store != null) {
            store.close();
        }
    }
}
