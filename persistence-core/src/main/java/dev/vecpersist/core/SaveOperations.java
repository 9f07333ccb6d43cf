package dev.vecpersist.core;

import dev.vecpersist.api.ChangeTracking;
import dev.vecpersist.api.PersistenceException;
import dev.vecpersist.api.ProgressListener;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The writing side of a {@link DatabasePersistence}: full and incremental saves into its base
 * directory, saves and exports to one self-contained file, and auto-save. Type a component that only
 * saves as {@code SaveOperations} to say so. On a read-only manager the saves throw
 * {@link IllegalStateException}.
 */
public interface SaveOperations {

    /**
     * Saves the whole database as the new base of {@code baseDir}; see {@link #save(ProgressListener)}.
     *
     * @return the state file written
     */
    default Path save() {
        return save(ProgressListener.NONE);
    }

    /**
     * Saves the whole database as a new base in {@code baseDir} and commits it in the manifest;
     * superseded files are removed only after the manifest is durable.
     *
     * @param listener receives progress reports; one that throws aborts the save
     * @return the state file written
     * @throws PersistenceException when the save fails; the previous committed state is untouched
     */
    Path save(ProgressListener listener);

    /**
     * Saves the whole database to one self-contained file at {@code file} (outside the manifest).
     *
     * @param file the file to write (replaced atomically if it exists)
     * @return {@code file}
     */
    default Path save(Path file) {
        return save(file, ProgressListener.NONE);
    }

    /**
     * Saves the whole database to {@code file} atomically, with progress reports.
     *
     * @param file     the file to write (replaced atomically if it exists)
     * @param listener receives progress reports
     * @return {@code file}
     * @throws PersistenceException when the save fails; a previous file at {@code file} is untouched
     */
    Path save(Path file, ProgressListener listener);

    /**
     * Saves what changed since the last save; see {@link #saveIncremental(ProgressListener)}.
     *
     * @return the file written, or empty when nothing changed
     */
    default Optional<Path> saveIncremental() {
        return saveIncremental(ProgressListener.NONE);
    }

    /**
     * Writes the entries inserted, updated and deleted since the last save or load as a delta file
     * and appends it to the manifest. The first incremental save, and one after the delta
     * thresholds ({@link PersistenceOptions#maxDeltas()}, {@link PersistenceOptions#maxDeltaRatio()})
     * are passed, is a full save (compaction). A database without {@link ChangeTracking} is saved
     * in full every time.
     *
     * @param listener receives progress reports
     * @return the file written, or empty when nothing changed
     * @throws PersistenceException when the save fails; the previous committed state is untouched
     */
    Optional<Path> saveIncremental(ProgressListener listener);

    /**
     * Whether the database changed since the last save or load through this manager.
     *
     * @return true when it changed, and always true for a database without {@link ChangeTracking},
     *         before the first save or load, and after loading a version older than the latest (see
     *         {@link VersionOperations#loadVersion(long)}: it is not the committed state until saved)
     */
    boolean hasUnsavedChanges();

    /**
     * Writes the database to one self-contained file, in any format and codec, atomically.
     *
     * @param export the file, format, codec and level (unset ones default to the manager's)
     * @return the file written
     * @throws dev.vecpersist.api.UnsupportedFormatException when the format or codec is not on the classpath
     * @throws PersistenceException                          when writing fails; a previous file there is untouched
     */
    Path export(ExportOptions export);

    /** Starts saving every {@link PersistenceOptions#autoSaveInterval()} (incrementally when possible). */
    void startAutoSave();

    /** Stops auto-saving; waits for a save in flight to finish. */
    void stopAutoSave();

    /** {@return whether auto-save is running} */
    boolean isAutoSaving();
}
