package dev.vecpersist.core;

import dev.vecpersist.api.CorruptedStateException;
import dev.vecpersist.api.PersistenceException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * Checks on files a base directory names, made before anything is opened: opening a FIFO blocks
 * until a writer appears, and a symbolic link may point at a file the caller has no business reading.
 */
final class ContainedFile {

    private ContainedFile() {
    }

    /**
     * Requires a regular file, not following a symbolic link, without opening it.
     *
     * @param what names the file in the message, e.g. "manifest"
     * @throws PersistenceException    when it does not exist (the caller's "nothing saved" case)
     * @throws CorruptedStateException when it is a FIFO, device, directory or symbolic link
     */
    static void requireRegularNoFollow(Path file, String what) {
        if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new PersistenceException("no " + what + ": nothing has been saved here", file,
                    new java.nio.file.NoSuchFileException(file.toString()));
        }
        throw new CorruptedStateException("the " + what + " is not a regular file (a FIFO, device, directory or "
                + "symbolic link); refused without opening it", file, null);
    }

    /**
     * Refuses a state file of a base directory that is a symbolic link leading out of the directory
     * (the manifest names files inside it; a link to {@code /etc/shadow} must not be read).
     *
     * @param baseDir the directory the manifest belongs to
     * @param file    a file it lists
     * @throws CorruptedStateException when the file is a link whose target lies outside {@code baseDir}
     */
    static void requireInside(Path baseDir, Path file) {
        if (!Files.isSymbolicLink(file)) {
            return;
        }
        boolean inside;
        try {
            inside = file.toRealPath().startsWith(baseDir.toRealPath());
        } catch (IOException e) {
            inside = false; // dangling or unreadable link: not ours to follow
        }
        if (!inside) {
            throw new CorruptedStateException("is a symbolic link leading out of the base directory; refused "
                    + "without reading it", file, null);
        }
    }
}
