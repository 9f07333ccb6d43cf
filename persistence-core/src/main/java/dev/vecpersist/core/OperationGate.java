package dev.vecpersist.core;

import dev.vecpersist.api.ProgressListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What every operation of a {@link DatabasePersistence} passes through: the operation lock (one
 * operation at a time), the closed flag, the audit record and the read-only checks; also the
 * background ticks (auto-save, follow polls) and the orderly close.
 */
final class OperationGate {

    private static final Logger LOG = LoggerFactory.getLogger(DatabasePersistence.class);

    private final ReentrantLock operation = new ReentrantLock();
    final ManagerParts parts;
    private volatile boolean closed;

    /** Assembles the parts, handing them this gate's ticks. */
    OperationGate(Function<ManagerParts.Ticks, ManagerParts> assembly) {
        this.parts = assembly.apply(new ManagerParts.Ticks(this::autoSaveTick, this::followTick, this::followFailed));
    }

    /** A writer's operation: refused on a replica, audited as {@code name}, under the operation lock. */
    <T> T write(String operation, String name, Supplier<T> action) {
        requireWritable(operation);
        return audited(name, action);
    }

    void write(String operation, String name, Runnable action) {
        requireWritable(operation);
        run(name, action);
    }

    /** Runs {@code action} as the audited operation {@code name}, under the operation lock. */
    void run(String name, Runnable action) {
        audited(name, () -> {
            action.run();
            return null;
        });
    }

    <T> T audited(String name, Supplier<T> action) {
        return parts.audit.record(name, () -> locked(action));
    }

    void locked(Runnable action) {
        locked(() -> {
            action.run();
            return null;
        });
    }

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

    void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("this DatabasePersistence is closed");
        }
    }

    void requireWritable(String operation) {
        if (parts.readOnly) {
            throw new IllegalStateException(operation + " is not allowed on a read-only DatabasePersistence (opened "
                    + "with openReadOnly on " + parts.options.baseDir() + "): it never writes; only the manager that "
                    + "owns the directory saves and changes snapshots");
        }
    }

    /** Refuses {@code operation} on a writer; {@return the follower of this read-only manager} */
    ChainFollower requireReadOnly(String operation) {
        if (!parts.readOnly) {
            throw new IllegalStateException(operation + " is for read-only managers (DatabasePersistence.openReadOnly); "
                    + "this one owns " + parts.options.baseDir());
        }
        return parts.follower;
    }

    Optional<Path> saveIncremental(ProgressListener listener) {
        return write("saveIncremental()", "saveIncremental", () -> parts.saves.saveIncremental(listener));
    }

    Optional<ReplicaListener.Applied> refresh() {
        ChainFollower follower = requireReadOnly("refresh()");
        return locked(follower::refresh);
    }

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
}
