package dev.vecpersist.core.io;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * Temporary files ({@link AtomicFile#tempSibling}) that no live process owns: what a save killed in
 * mid-write leaves beside its target. A temporary file's name carries the id of the process that
 * writes it; it is stale when that process is gone. Names without a process id (older versions) are
 * stale. A live process, this one included, keeps its files: it may be writing them right now.
 */
public final class StaleTemps {

    private StaleTemps() {
    }

    /**
     * The stale temporary files of one target.
     *
     * @param target a file a save writes
     * @return its stale temporary files (and scratch files), sorted; empty when its directory does not exist
     * @throws IOException when the directory cannot be listed
     */
    public static List<Path> of(Path target) throws IOException {
        Path absolute = target.toAbsolutePath();
        String prefix = "." + absolute.getFileName() + AtomicFile.TEMP_MARKER;
        return list(absolute.getParent(), prefix);
    }

    /**
     * The stale temporary files of a whole directory.
     *
     * @param dir a directory
     * @return every stale temporary file in it, sorted; empty when it does not exist
     * @throws IOException when the directory cannot be listed
     */
    public static List<Path> in(Path dir) throws IOException {
        return list(dir.toAbsolutePath(), ".");
    }

    /**
     * Deletes the stale temporary files of one target.
     *
     * @param ops    the file operations to delete with
     * @param target a file a save writes, or a load reads
     * @return the files deleted
     * @throws IOException when listing or deleting fails
     */
    public static List<Path> remove(FileOps ops, Path target) throws IOException {
        List<Path> stale = of(target);
        for (Path f : stale) {
            ops.deleteIfExists(f);
        }
        return stale;
    }

    /**
     * The id of the process that wrote a temporary file, from its name.
     *
     * @param temp a temporary file
     * @return the process id, or empty for a name without one
     */
    public static OptionalLong ownerOf(Path temp) {
        String name = temp.getFileName().toString();
        int at = name.lastIndexOf(AtomicFile.TEMP_MARKER);
        if (at < 0) {
            return OptionalLong.empty();
        }
        int start = at + AtomicFile.TEMP_MARKER.length();
        int end = start;
        while (end < name.length() && end - start < 19 && Character.isDigit(name.charAt(end))) {
            end++;
        }
        // "<pid>-<uuid>": a uuid's first group has 8 hex digits and so cannot be confused with "<digits>-<uuid>"
        boolean pidThenUuid = end > start && end < name.length() && name.charAt(end) == '-'
                && name.length() - end > 36;
        return pidThenUuid ? OptionalLong.of(Long.parseLong(name, start, end, 10)) : OptionalLong.empty();
    }

    /**
     * Whether no live process owns a temporary file (a name without a process id is stale).
     *
     * @param temp a temporary file
     * @return true when it is a leftover of a save that is no longer running
     */
    public static boolean isStale(Path temp) {
        OptionalLong owner = ownerOf(temp);
        return owner.isEmpty() || !ProcessHandle.of(owner.getAsLong()).map(ProcessHandle::isAlive).orElse(false);
    }

    private static List<Path> list(Path dir, String prefix) throws IOException {
        List<Path> stale = new ArrayList<>();
        if (dir == null || !Files.isDirectory(dir)) {
            return stale;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                if (f.getFileName().toString().startsWith(prefix) && AtomicFile.isTemp(f) && Files.isRegularFile(f)
                        && isStale(f)) {
                    stale.add(f);
                }
            }
        }
        stale.sort(null);
        return stale;
    }
}
