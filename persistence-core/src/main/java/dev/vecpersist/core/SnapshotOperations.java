package dev.vecpersist.core;

import dev.vecpersist.api.CorruptedStateException;
import dev.vecpersist.api.PersistenceException;
import dev.vecpersist.api.ProgressListener;
import dev.vecpersist.api.SnapshotMetadata;

import java.util.List;
import java.util.Map;

/**
 * The snapshots of a {@link DatabasePersistence}: taking, listing, restoring, pruning and deleting
 * them in its snapshot store. Type a component that only manages snapshots as
 * {@code SnapshotOperations} to say so. On a read-only manager the changes throw
 * {@link IllegalStateException}.
 */
public interface SnapshotOperations {

    /**
     * Takes a snapshot; see {@link #createSnapshot(String, Map, ProgressListener)}.
     *
     * @param name free text
     * @return the stored snapshot's metadata
     */
    default SnapshotMetadata createSnapshot(String name) {
        return createSnapshot(name, Map.of(), ProgressListener.NONE);
    }

    /**
     * Takes a snapshot; see {@link #createSnapshot(String, Map, ProgressListener)}.
     *
     * @param name     free text
     * @param metadata the user's metadata
     * @return the stored snapshot's metadata
     */
    default SnapshotMetadata createSnapshot(String name, Map<String, ?> metadata) {
        return createSnapshot(name, metadata, ProgressListener.NONE);
    }

    /**
     * Stores the database's current state as a snapshot in the snapshot store, in the manager's
     * format and codec, with the SHA-256 of the stored bytes, then applies the retention policy
     * ({@link PersistenceOptions#retention()}; by default the newest {@link PersistenceOptions#maxSnapshots()}
     * are kept and the oldest beyond them deleted). The snapshot just created is never deleted.
     *
     * @param name     free text (never used in a path)
     * @param metadata the user's metadata (same value model as entry metadata)
     * @param listener receives progress reports
     * @return the stored snapshot's metadata, with the id the store issued
     * @throws IllegalArgumentException when the name or metadata is outside the value model or its limits
     * @throws PersistenceException     when writing the snapshot or applying retention fails
     */
    SnapshotMetadata createSnapshot(String name, Map<String, ?> metadata, ProgressListener listener);

    /**
     * Lists the snapshots.
     *
     * @return every snapshot in the store, newest first
     */
    List<SnapshotMetadata> listSnapshots();

    /**
     * Restores a snapshot, verifying its SHA-256; see {@link #restoreSnapshot(String, boolean, ProgressListener)}.
     *
     * @param id an id from {@link #listSnapshots()}
     */
    default void restoreSnapshot(String id) {
        restoreSnapshot(id, true, ProgressListener.NONE);
    }

    /**
     * Replaces the database with a snapshot's state, all or nothing. The snapshot may be in any
     * format and codec on the classpath, whatever this manager writes. With incremental restores on
     * ({@link PersistenceOptions#incrementalRestoreRatio()}), when the database derives from this snapshot
     * (this manager created or restored it, and at most that fraction of the entries changed since), only
     * those changes are reverted, without reading the snapshot; the result is checked against the
     * snapshot's state fingerprint, and anything else restores in full (see docs/restore.md).
     *
     * @param id     an id from {@link #listSnapshots()}; anything else is rejected before any file is touched
     * @param verify   whether to verify the stored SHA-256 (and the content checksum) first
     * @param listener receives progress reports
     * @throws PersistenceException    when the id is unknown or the snapshot cannot be read
     * @throws CorruptedStateException when the snapshot is damaged; the database is then unchanged
     */
    void restoreSnapshot(String id, boolean verify, ProgressListener listener);

    /**
     * Applies the retention policy ({@link PersistenceOptions#retention()}) to the snapshot store now,
     * as {@link #createSnapshot} does after each snapshot; e.g. after changing the policy, or to see
     * what it would delete. See {@link RetentionPolicy} for what it keeps.
     *
     * @param dryRun true to decide only: nothing is deleted
     * @return every snapshot with its verdict, newest first: kept (and by which rules) or deleted (and
     *         why); without {@code dryRun} the deleted ones are gone
     * @throws SnapshotPruneException when a delete fails: it names the snapshots deleted before it,
     *                                the one that failed and those not attempted
     * @throws PersistenceException   when the store cannot be listed
     * @throws IllegalArgumentException when a calendar rule meets a snapshot whose timestamp is beyond
     *                                  the calendar's range (nothing is deleted then)
     */
    RetentionDecision pruneSnapshots(boolean dryRun);

    /**
     * Deletes one snapshot (and no other). A snapshot whose metadata the store cannot read (logged,
     * and named in the errors of {@link #restoreSnapshot(String)}) can be deleted by its id too:
     * then the pieces no other snapshot references go with it, once no other metadata is unreadable.
     *
     * @param id an id from {@link #listSnapshots()}, or of a snapshot whose metadata is unreadable
     * @throws PersistenceException when the id is unknown or the store fails
     */
    void deleteSnapshot(String id);
}
