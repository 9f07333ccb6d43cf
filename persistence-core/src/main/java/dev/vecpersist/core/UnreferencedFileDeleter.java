package dev.vecpersist.core;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The one place that decides a state file of a base directory may be deleted (Lucene's
 * {@code IndexFileDeleter}): only a file that no manifest references, and only when that is proven.
 * A manifest references the files of every version it retains ({@link Manifest#referencedFileNames()},
 * the reference count over its history), not only those of its latest chain.
 * A manifest that cannot be read, or a damaged one kept aside ({@link DamagedManifest}), may list
 * any file, so then nothing is deleted as unreferenced.
 */
final class UnreferencedFileDeleter {

    private static final Logger LOG = LoggerFactory.getLogger(UnreferencedFileDeleter.class);

    private final BaseDirectory dir;

    UnreferencedFileDeleter(BaseDirectory dir) {
        this.dir = dir;
    }

    /** After {@code committed} replaced {@code previous}: deletes the files only {@code previous}'s versions named. */
    void deleteSuperseded(Manifest previous, Manifest committed) {
        if (previous != null) {
            deleteUnreferenced(previous.referencedFileNames(), committed);
        }
    }

    /**
     * After committing {@code failed} did not happen: deletes the files it lists that the manifest
     * still in force ({@code committed}, null for none) does not: they were written for it, under
     * names no manifest in force uses.
     */
    void deleteUncommitted(Manifest failed, Manifest committed) {
        deleteUnreferenced(failed.referencedFileNames(), committed);
    }

    /**
     * Deletes the state files on disk that no version {@code committed} retains references (leftovers of a
     * crash between writing a file and committing it, or between committing and deleting); nothing
     * when there is no readable manifest or a damaged one is kept aside.
     */
    void deleteOrphans(Manifest committed) {
        if (committed == null || DamagedManifest.anyKeptAside(dir.path())) {
            return;
        }
        List<String> stateFiles = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir.path())) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                if (Manifest.STATE_FILE.matcher(name).matches()) {
                    stateFiles.add(name);
                }
            }
        } catch (IOException e) {
            LOG.warn("could not scan {} for leftovers: {}", dir.path(), e.getMessage());
            return;
        }
        for (String name : unreferenced(stateFiles, committed)) {
            LOG.info("removing leftover of an interrupted save: {}", dir.resolve(name));
            BaseDirectory.deleteQuietly(dir.ops(), dir.resolve(name));
        }
    }

    private void deleteUnreferenced(Collection<String> candidates, Manifest committed) {
        for (String name : unreferenced(candidates, committed)) {
            BaseDirectory.deleteQuietly(dir.ops(), dir.resolve(name));
        }
    }

    /** The decision: those of {@code candidates} that {@code committed} (null for none) does not reference. */
    private static List<String> unreferenced(Collection<String> candidates, Manifest committed) {
        Set<String> referenced = committed == null ? Set.of() : new HashSet<>(committed.referencedFileNames());
        return candidates.stream().filter(name -> !referenced.contains(name)).toList();
    }
}
