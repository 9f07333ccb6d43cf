package dev.vecpersist.core;

import dev.vecpersist.api.EntrySnapshot;
import dev.vecpersist.api.PersistableDatabase;
import dev.vecpersist.api.PersistenceException;
import dev.vecpersist.api.ProgressListener;
import dev.vecpersist.api.StateHeader;
import dev.vecpersist.core.io.Directories;
import dev.vecpersist.core.io.FileOps;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Writes the database's state with {@link StateFileWriter}: the header of what is written, a file
 * written atomically (and recorded in the audit log), or a stream (a snapshot upload). Used by the
 * committed chain's saves, by snapshots, and for the standalone files of {@code save(Path)} and
 * exports. Thread-safe as far as the database is.
 */
final class DatabaseWriter {

    private final PersistableDatabase db;
    private final PersistenceOptions options;
    private final StateFileWriter writer;
    private final Auditor audit;

    DatabaseWriter(PersistableDatabase db, PersistenceOptions options, StateFileWriter writer, Auditor audit) {
        this.db = db;
        this.options = options;
        this.writer = writer;
        this.audit = audit;
    }

    /** A header dated by the options' clock; the index state only for a full state, when asked for. */
    StateHeader header(SaveFormat as, StateHeader.Kind kind, long entries, long deletions, boolean withIndexState) {
        byte[] index = withIndexState && kind == StateHeader.Kind.FULL ? db.indexState().orElse(null) : null;
        return new StateHeader(as.format().formatVersion(), kind, db.dimension(), db.metric(), entries, deletions,
                Instant.now(options.clock()), Map.of(), index);
    }

    /** Progress of {@code operation} over {@code total} entries, reported every {@code batchSize} at the latest. */
    ProgressReporter progress(String operation, long total, ProgressListener listener) {
        return new ProgressReporter(operation, total, listener, options.batchSize());
    }

    /**
     * Writes {@code target} atomically.
     *
     * @throws PersistenceException when it fails; a previous file at {@code target} is untouched
     */
    StateFileWriter.Written write(Path target, SaveFormat as, StateHeader header, StateFileWriter.Body body,
                                  ProgressReporter progress) {
        try {
            StateFileWriter.Written written = writer.writeFile(target, as.format(), as.codec(), as.level(), header,
                    body, progress);
            audit.wrote(written);
            return written;
        } catch (IOException e) {
            throw new PersistenceException("save failed, the previous file is untouched: " + e.getMessage(), target, e);
        } catch (PersistenceException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new PersistenceException("save failed, the previous file is untouched: " + e, target, e);
        }
    }

    /** Writes the whole database to {@code out}; {@code name} stands for it in messages. Returns the content checksum. */
    String writeStream(OutputStream out, Path name, SaveFormat as, StateHeader header, EntrySnapshot snapshot,
                       ProgressReporter progress) throws IOException {
        return writer.writeStream(out, name, as.format(), as.codec(), as.level(), header,
                new StateFileWriter.Body(snapshot, List.of()), progress);
    }

    /** Writes {@code body} (a differential snapshot's piece) to {@code out}; returns the content checksum. */
    String writeStream(OutputStream out, Path name, SaveFormat as, StateHeader header, StateFileWriter.Body body,
                       ProgressReporter progress) throws IOException {
        return writer.writeStream(out, name, as.format(), as.codec(), as.level(), header, body, progress);
    }

    /** Writes the whole database to one self-contained file outside the manifest, atomically. */
    void writeStandalone(Path file, SaveFormat as, boolean indexState, ProgressListener listener, String operation) {
        FileOps ops = options.fileOps();
        Path target = file.toAbsolutePath().normalize();
        BaseDirectory.removeStaleTemps(ops, target);
        EntrySnapshot snapshot = db.snapshot();
        StateHeader header = header(as, StateHeader.Kind.FULL, snapshot.count(), 0, indexState);
        ProgressReporter progress = progress(operation, snapshot.count(), listener);
        progress.start(operation + " of " + snapshot.count() + " entries to " + target.getFileName());
        if (target.getParent() != null) {
            try {
                Directories.createDurably(ops, target.getParent());
            } catch (IOException e) {
                throw new PersistenceException("cannot create directory: " + e.getMessage(), target.getParent(), e);
            }
        }
        write(target, as, header, new StateFileWriter.Body(snapshot, List.of()), progress);
        progress.finish(operation + " finished: " + target.getFileName());
    }
}
