package dev.vecpersist.core;

import dev.vecpersist.api.CorruptedStateException;
import dev.vecpersist.api.PersistenceException;

import java.nio.file.Path;
import java.util.List;

/**
 * The base directory of a {@link DatabasePersistence} as files: the committed chain, the manifest, and
 * re-encrypting them under the primary key. Type a component that backs up or inspects the directory
 * as {@code DirectoryOperations} to say so.
 */
public interface DirectoryOperations {

    /**
     * Re-encrypts under the primary key everything older keys (or none) encrypted: the committed
     * chain is rewritten into new files and committed through the manifest (sealed with the primary
     * key), then the snapshots are re-uploaded. Crash-safe: an interruption leaves the previous
     * commit loadable (see docs/encryption.md). Afterwards the older keys can be dropped. Also adopts
     * a directory saved before encryption was turned on.
     *
     * @throws IllegalStateException   when no encryption keys are configured
     * @throws PersistenceException    when reading or writing fails; the previous commit stays
     * @throws CorruptedStateException when a file fails authentication or its checksum
     */
    void reencrypt();

    /** {@return the files of the committed chain in {@code baseDir} (base first), empty before the first save} */
    List<Path> committedFiles();

    /** {@return the manifest file of {@code baseDir}} */
    Path manifestFile();
}
