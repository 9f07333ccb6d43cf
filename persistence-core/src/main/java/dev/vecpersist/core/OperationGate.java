package dev.vecpersist.core;

import dev.vecpersist.api.ProgressListener;
import dev.vecpersist.api.SnapshotMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What every operation of a {@link DatabasePersistence} passes through: the read-only checks, the
 * audit record, the operation lock (one operation at a time) and the closed flag; also the background
 * ticks (auto-save, follow polls) and the orderly close. The manager's operations delegate here when
 * they need any of these, and straight to the {@link ManagerParts} when they do not.
 */
final class OperationGate {

    private static final Logger LOG = LoggerFactory.getLogger(DatabasePersistence.class);

    private final ReentrantLock operation = new ReentrantLock();
    final ManagerParts parts;
    private final StateLoads loads;
    private volatile boolean closed;

    /** Assembles the parts, handing them this gate's ticks. */
    OperationGate(Function<ManagerParts.Ticks, ManagerParts> assembly) {
        this.parts = assembly.apply(new ManagerParts.Ticks(this::autoSaveTick, this::followTick, this::followFailed));
        this.loads = new StateLoads(parts);
    }

    // ------------------------------------------------------------------ saves, loads, snapshots

    Path save(ProgressListener listener) {
        return write("save()", "save", () -> parts.committedStates.save(() -> parts.saves.saveFull(listener)));
    }

    Path save(Path file, ProgressListener listener) {
        return write("save(Path)", "save", () -> parts.writeFile(file, parts.as, parts.options.includeIndexState(),
                listener, "save"));
    }

    Optional<Path> saveIncremental(ProgressListener listener) {
        return write("saveIncremental()", "saveIncremental",
                () -> parts.committedStates.save(() -> parts.saves.saveIncremental(listener)));
    }

    /** Exports; an unknown format or codec is refused before the audit record. */
    Path export(ExportOptions export) {
        SaveFormat to = parts.as.forExport(parts.plugins, export);
        return audited("export", () -> parts.writeFile(export.path(), to, export.includeIndexState(),
                export.progress(), "export"));
    }

    void startAutoSave() {
        requireWritable("startAutoSave()");
        ensureOpen();
        parts.startAutoSave();
    }

    /** Loads the committed state: a replica the one its source holds now, a writer its own (audited). */
    void load(ProgressListener listener) {
        if (parts.readOnly) {
            locked(() -> parts.follower.load(listener));
        } else {
            run("load", () -> loads.loadCommitted(listener));
        }
    }

    void load(Path file, ProgressListener listener) {
        write("load(Path)", "load", () -> loads.loadFile(file, listener));
    }

    void importFrom(ImportOptions imp) {
        write("importFrom()", "import", () -> loads.importFile(imp));
    }

    /** Takes a snapshot; a name or metadata outside the limits is refused before the audit record. */
    SnapshotMetadata createSnapshot(String name, Map<String, ?> metadata, ProgressListener listener) {
        requireWritable("createSnapshot()");
        Map<String, Object> userMetadata = SnapshotManager.checkedUserMetadata(name, metadata);
        return audited("createSnapshot", () -> parts.snapshots.create(name, userMetadata, listener));
    }

    void restoreSnapshot(String id, boolean verify, ProgressListener listener) {
        write("restoreSnapshot()", "restoreSnapshot", () -> loads.restoreSnapshot(id, verify, listener));
    }

    RetentionDecision pruneSnapshots(boolean dryRun) {
        return audited("pruneSnapshots", () -> parts.snapshots.prune(dryRun));
    }

    void deleteSnapshot(String id) {
        write("deleteSnapshot()", "deleteSnapshot", () -> parts.snapshots.delete(id));
    }

    /** Re-encrypts the directory; see {@link DatabasePersistence#reencrypt()}. */
    void reencrypt() {
        requireWritable("reencrypt()");
        KeyRotation rotation = parts.keyRotation();
        run("reencrypt", () -> rotation.rotate(parts.dir, parts.commits, parts.snapshots, parts.audit));
    }

    // ------------------------------------------------------------------ publishing and replicas

    void publish() {
        parts.requirePublisher("publish()");
        locked(parts::publishNow);
    }

    Optional<CommitVersion> version() {
        return parts.readOnly ? parts.follower.version() : locked(parts::committedVersion);
    }

    Duration lag() {
        return requireReadOnly("lag()").lag();
    }

    Optional<ReplicaListener.Applied> refresh() {
        ChainFollower follower = requireReadOnly("refresh()");
        return locked(follower::refresh);
    }

    void follow(Duration pollInterval) {
        requireReadOnly("follow()");
        ensureOpen();
        parts.followSchedule.start(Objects.requireNonNull(pollInterval, "pollInterval"));
    }

    void addReplicaListener(ReplicaListener listener) {
        requireReadOnly("addReplicaListener()").addListener(listener);
    }

    // ------------------------------------------------------------------ lifecycle

    /**
     * Stops following and auto-save, waits for a save in flight, makes a final save if auto-save was
     * running and anything changed, and releases the parts. Closing twice is harmless.
     */
    void close() {
        if (closed) {
            return;
        }
        boolean wasAutoSaving = parts.stopBackgroundWork();
        try {
            if (wasAutoSaving && parts.hasUnsavedChanges()) {
                saveIncremental(ProgressListener.NONE);
            }
        } finally {
            closed = true;
            parts.release(operation);
        }
    }

    private void autoSaveTick() {
        if (closed || !parts.hasUnsavedChanges()) {
            return;
        }
        parts.audit.record("autoSave", () -> saveIncremental(ProgressListener.NONE));
    }

    private void followTick() {
        if (!closed) {
            refresh();
        }
    }

    private void followFailed(Throwable t) {
        if (closed) {
            return;
        }
        LOG.warn("refreshing the replica of {} failed; the next poll retries: {}", parts.options.baseDir(), t.toString());
        parts.follower.notifyError(t);
    }

    VersionInfo versionAsOf(java.time.Instant time) {
        java.util.Objects.requireNonNull(time, "time");
        return locked(() -> parts.versions().asOf(time));
    }

    void loadVersion(long number, ProgressListener listener) {
        if (parts.isFollowing()) {
            throw new IllegalStateException("loadVersion() while following " + parts.options.baseDir() + ": the next poll "
                    + "would replace it; stopFollowing() first");
        }
        run("loadVersion", () -> parts.versions().load(number, listener));
    }

    VersionInfo restoreVersion(long number) {
        return write("restoreVersion()", "restoreVersion", () -> parts.versions().restore(number, ProgressListener.NONE));
    }

    /** A writer's operation: refused on a replica, audited as {@code name}, under the operation lock. */
    private <T> T write(String operation, String name, Supplier<T> action) {
        requireWritable(operation);
        return audited(name, action);
    }

    private void write(String operation, String name, Runnable action) {
        requireWritable(operation);
        run(name, action);
    }

    /** Runs {@code action} as the audited operation {@code name}, under the operation lock. */
    private void run(String name, Runnable action) {
        audited(name, () -> {
            action.run();
            return null;
        });
    }

    private <T> T audited(String name, Supplier<T> action) {
        return parts.audit.record(name, () -> locked(action));
    }

    void locked(Runnable action) {
        locked(() -> {
            action.run();
            return null;
        });
    }

    /** Runs {@code action} under the operation lock, refusing it once the manager is closed. */
    <T> T locked(Supplier<T> action) {
        ensureOpen();
        operation.lock();
        try {
            ensureOpen();
            return action.get();
        } finally {
            operation.unlock();
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("this DatabasePersistence is closed");
        }
    }

    private void requireWritable(String operation) {
        if (parts.readOnly) {
            throw new IllegalStateException(operation + " is not allowed on a read-only DatabasePersistence (opened "
                    + "with openReadOnly on " + parts.options.baseDir() + "): it never writes; only the manager that "
                    + "owns the directory saves and changes snapshots");
        }
    }

    /** Refuses {@code operation} on a writer; {@return the follower of this read-only manager} */
    private ChainFollower requireReadOnly(String operation) {
        if (!parts.readOnly) {
            throw new IllegalStateException(operation + " is for read-only managers (DatabasePersistence.openReadOnly); "
                    + "this one owns " + parts.options.baseDir());
        }
        return parts.follower;
    }
}
