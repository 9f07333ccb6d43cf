package dev.vecpersist.core;

import dev.vecpersist.api.ProgressListener;

import java.nio.file.Path;

/**
 * Routes a writer's loads and imports to the {@link ChainLoader}, and keeps the commit point and the
 * saver in step with what the database then holds. Takes no lock: the manager calls it under its own.
 */
final class StateLoads {

    private final ManagerParts parts;

    StateLoads(ManagerParts parts) {
        this.parts = parts;
    }

    /** Loads the chain of the manifest in force in the base directory. */
    void loadCommitted(ProgressListener listener) {
        loadCommitted(parts.commits.read(false), listener);
    }

    /** Loads a state file, or a manifest's chain (in force only when it is the base directory's). */
    void loadFile(Path file, ProgressListener listener) {
        PersistenceOptions options = parts.options;
        Path f = file.toAbsolutePath().normalize();
        boolean manifest = f.getFileName() != null && f.getFileName().toString().equals(Manifest.FILE_NAME);
        if (manifest && f.getParent().equals(options.baseDir())) {
            loadCommitted(Manifest.read(options.fileOps(), f, parts.encryption, false), listener);
        } else if (manifest) {
            parts.loader.loadChain(f.getParent(), Manifest.read(options.fileOps(), f, parts.encryption, false), listener);
            parts.saves.forgetSavedSequence();
        } else {
            BaseDirectory.removeStaleTemps(options.fileOps(), f);
            parts.loader.loadFull(f, options.verifyChecksums(), listener, "load");
            parts.saves.forgetSavedSequence();
        }
    }

    /** Replaces the database with a state file's content, or merges its entries in. */
    void importFile(ImportOptions imp) {
        Path file = imp.path().toAbsolutePath().normalize();
        if (imp.mode() == ImportOptions.Mode.REPLACE) {
            parts.loader.loadFull(file, imp.verifyChecksum(), imp.progress(), "import");
            parts.saves.forgetSavedSequence();
        } else {
            parts.loader.merge(file, imp.verifyChecksum(), imp.progress());
        }
    }

    /** Replaces the database with a snapshot; the next incremental save is then a full one. */
    void restoreSnapshot(String id, boolean verify, ProgressListener listener) {
        parts.snapshots.restore(id, verify, listener);
        parts.saves.forgetSavedSequence();
    }

    /** Loads the chain of this directory's manifest {@code m} and makes it the one in force. */
    private void loadCommitted(Manifest m, ProgressListener listener) {
        long sequence = parts.committedStates.load(m, listener);
        parts.commits.adopt(m);
        parts.saves.loaded(sequence);
    }
}
