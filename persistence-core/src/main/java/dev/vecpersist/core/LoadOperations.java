package dev.vecpersist.core;

import dev.vecpersist.api.CorruptedStateException;
import dev.vecpersist.api.PersistenceException;
import dev.vecpersist.api.ProgressListener;

import java.nio.file.Path;

/**
 * The reading side of a {@link DatabasePersistence}: loads of the committed state or of one file,
 * and imports. Every load is all or nothing: the database is replaced in one step, or unchanged.
 * Type a component that only loads as {@code LoadOperations} to say so. On a read-only manager only
 * {@link #load()} and {@link #load(ProgressListener)} are allowed.
 */
public interface LoadOperations {

    /** Loads the latest committed state of {@code baseDir}; see {@link #load(ProgressListener)}. */
    default void load() {
        load(ProgressListener.NONE);
    }

    /**
     * Loads the latest committed state of {@code baseDir} (the manifest's base and deltas) and
     * replaces the database with it, all or nothing. With {@link PersistenceOptions#incrementalRestoreRatio()}
     * set, when the database derives from that version or an earlier one of the same base (saved or
     * loaded by this manager), it reverts what changed since and reads only the later deltas, checked
     * against the expected state fingerprint (see docs/restore.md).
     *
     * @param listener receives progress reports
     * @throws PersistenceException when nothing was saved, or any file is unreadable or corrupt;
     *                              the database is then unchanged
     */
    void load(ProgressListener listener);

    /**
     * Loads a state file, or a manifest; see {@link #load(Path, ProgressListener)}.
     *
     * @param file a state file, or a {@code MANIFEST.json}
     */
    default void load(Path file) {
        load(file, ProgressListener.NONE);
    }

    /**
     * Replaces the database with the state in {@code file}, all or nothing. The format and codec
     * are detected from the content. A manifest file loads its whole chain.
     *
     * @param file     a state file, or a {@code MANIFEST.json}
     * @param listener receives progress reports
     * @throws CorruptedStateException                       on a checksum mismatch, truncation or malformed content
     * @throws dev.vecpersist.api.IncompatibleStateException on another dimension or metric, or a newer format
     * @throws dev.vecpersist.api.UnsupportedFormatException when the file needs a module that is not on the classpath
     */
    void load(Path file, ProgressListener listener);

    /**
     * Reads a state file and replaces the database with it ({@link ImportOptions.Mode#REPLACE}) or
     * upserts its entries ({@link ImportOptions.Mode#MERGE}). The file is read and verified
     * completely before anything changes; a dimension or metric mismatch is an
     * {@link dev.vecpersist.api.IncompatibleStateException} before any entry is read.
     *
     * @param imp the file, the mode and whether to verify its checksum
     * @throws CorruptedStateException                       on a checksum mismatch, truncation or malformed content
     * @throws dev.vecpersist.api.UnsupportedFormatException when the file needs a module that is not on the classpath
     */
    void importFrom(ImportOptions imp);
}
