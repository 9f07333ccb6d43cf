package dev.vecpersist.core;

import dev.vecpersist.api.PersistenceException;
import dev.vecpersist.core.audit.AuditEvent;
import dev.vecpersist.core.audit.AuditLog;
import dev.vecpersist.core.crypto.Encryption;

import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * The manager's side of the audit log: wraps each public operation, collects what it wrote and read
 * while it runs (per thread; a nested operation, such as the save an auto-save tick makes, adds to
 * the outer one), and appends one line when it ends, successful or not. Does nothing when the audit
 * log is off. Thread-safe.
 */
final class Auditor implements AutoCloseable {

    private final AuditLog log;
    private final ThreadLocal<AuditEvent> current = new ThreadLocal<>();

    private Auditor(AuditLog log) {
        this.log = log;
    }

    /** {@return an auditor that records nothing (a read-only manager writes no log into the directory)} */
    static Auditor off() {
        return new Auditor(null);
    }

    static Auditor open(PersistenceOptions options, Encryption encryption) {
        if (!options.auditLog()) {
            return new Auditor(null);
        }
        try {
            return new Auditor(new AuditLog(options.baseDir(), options.auditLogMaxBytes(), encryption));
        } catch (IOException e) {
            throw new PersistenceException("cannot open the audit log: " + e.getMessage(), options.baseDir(), e);
        }
    }

    /** Runs {@code action} as the operation {@code name} and appends its line. */
    <T> T record(String name, Supplier<T> action) {
        if (log == null || current.get() != null) {
            return action.get();
        }
        AuditEvent event = new AuditEvent(name);
        current.set(event);
        try {
            T result = action.get();
            log.append(event, null);
            return result;
        } catch (RuntimeException | Error e) {
            log.append(event, e);
            throw e;
        } finally {
            current.remove();
        }
    }

    void wrote(StateFileWriter.Written w) {
        file(w.file().getFileName().toString(), w.entries(), w.deletions(), w.bytes(), w.checksum());
    }

    void read(Path file, StateFileReader.Result r, long bytes) {
        file(file.getFileName().toString(), r.header().entryCount(), r.header().deletionCount(), bytes, r.checksum());
    }

    void file(String name, long entries, long deletions, long bytes, String checksum) {
        AuditEvent event = current.get();
        if (event != null) {
            event.file(name, entries, deletions, bytes, checksum);
        }
    }

    void detail(String key, Object value) {
        AuditEvent event = current.get();
        if (event != null) {
            event.detail(key, value);
        }
    }

    /** A saveIncremental that writes a new base is logged as "compaction". */
    void compaction() {
        AuditEvent event = current.get();
        if (event != null && event.operation().equals("saveIncremental")) {
            event.rename("compaction");
        } else {
            detail("compaction", true);
        }
    }

    @Override
    public void close() throws IOException {
        if (log != null) {
            log.close();
        }
    }
}
