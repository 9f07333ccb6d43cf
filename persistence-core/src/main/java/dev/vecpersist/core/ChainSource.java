package dev.vecpersist.core;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Where a {@link ChainFollower} finds the committed chain it follows: the manifest, and a local
 * directory holding the files a version needs. A writer's own directory ({@link DirectoryChainSource})
 * or a published chain in an object store, downloaded into a local cache ({@link RemoteChainSource}).
 */
interface ChainSource {

    /**
     * Reads the manifest in force.
     *
     * @return it, or empty when nothing was committed yet
     * @throws dev.vecpersist.api.PersistenceException when it cannot be read or is damaged
     */
    Optional<Manifest> readManifest();

    /**
     * Makes the files {@code files} of {@code m} readable locally.
     *
     * @return the directory they are in
     * @throws dev.vecpersist.api.PersistenceException when one is missing or cannot be fetched
     *                                                 (e.g. deleted by the writer meanwhile)
     */
    Path fetch(Manifest m, List<Manifest.FileRef> files);

    /** Called once the database holds {@code m}: what only older versions needed may go. */
    void applied(Manifest m);

    /** {@return the directory that names the source in errors: the base directory, or the cache} */
    Path where();

    /** {@return the source for messages} */
    String describe();
}
