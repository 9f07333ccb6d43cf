package dev.vecpersist.core.io;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Creates directories so that they survive a power loss: a new directory is only an entry in its
 * parent until the parent is fsynced, so each directory created here is followed by an fsync of its
 * parent before the next step (the rule SQLite and Lucene follow).
 */
public final class Directories {

    private Directories() {
    }

    /**
     * Creates {@code dir} and its missing parents, top down, fsyncing each new directory's parent.
     * A directory that already exists is left alone (and its parent not synced).
     *
     * @param ops the file operations to create and sync with
     * @param dir the directory
     * @throws IOException when a directory cannot be created or synced, or a non-directory is in the way
     */
    public static void createDurably(FileOps ops, Path dir) throws IOException {
        Deque<Path> missing = new ArrayDeque<>();
        for (Path p = dir.toAbsolutePath().normalize(); p != null && !Files.isDirectory(p); p = p.getParent()) {
            missing.push(p);
        }
        while (!missing.isEmpty()) {
            Path next = missing.pop();
            try {
                ops.createDirectory(next);
            } catch (FileAlreadyExistsException e) {
                if (!Files.isDirectory(next)) {
                    throw e;
                }
                continue; // created by someone else meanwhile: theirs to sync
            }
            ops.syncDirectory(next.getParent());
        }
    }
}
