package dev.vecpersist.core.io;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.UUID;

/**
 * Writes a file so that it either appears whole or not at all: the bytes go to a temporary file in
 * the target's directory; {@link #commit()} flushes, fsyncs, renames it over the target and fsyncs
 * the directory (Redis' rdbSave recipe). {@link #close()} without a commit deletes the temporary
 * file, leaving any previous target untouched. A large file is written back to disk behind the
 * writer ({@link SyncBehind}), so that the commit's fsync has little left to do. Not thread-safe.
 */
public final class AtomicFile implements AutoCloseable {

    /** Temporary files carry this marker; anything with it is a leftover that loads ignore. */
    public static final String TEMP_MARKER = ".tmp-";

    /**
     * Smaller than the chunks a format's own buffer hands over (msgpack's packer: ~1 MiB) and than a
     * compressed LZ4 block (up to 256 KiB; ~250 KiB for msgpack's vectors), so that those are
     * written straight to the file instead of being copied through this buffer (BufferedOutputStream
     * copies only writes shorter than itself); small writes are still gathered.
     */
    private static final int BUFFER = 1 << 16;
    /**
     * Bytes between two early write-backs; {@code -Dvecpersist.syncBehind=0} turns them off. Every
     * 1 MiB measured better than every 4 MiB on the benchmark VM; a write-back in progress makes
     * the next requests wait, so a fast writer does not queue them up.
     */
    private static final long SYNC_BEHIND_STEP = 1 << 20;

    private final FileOps ops;
    private final Path target;
    private final Path temp;
    private final FileOps.WritableFile file;
    private final SyncBehind behind;
    private final OutputStream buffered;
    private boolean committed;
    private boolean closed;

    private AtomicFile(FileOps ops, Path target) throws IOException {
        this.ops = ops;
        this.target = target;
        this.temp = tempSibling(target, "");
        this.file = ops.create(temp);
        long step = Long.getLong("vecpersist.syncBehind", SYNC_BEHIND_STEP);
        this.behind = new SyncBehind(file, step > 0 ? step : Long.MAX_VALUE);
        this.buffered = new BufferedOutputStream(behind, BUFFER);
    }

    /**
     * Starts writing {@code target}; its directory must exist.
     *
     * @param ops    the file operations to write with
     * @param target the final path
     * @return the file, open for writing to a temporary sibling
     * @throws IOException when the temporary file cannot be created
     */
    public static AtomicFile create(FileOps ops, Path target) throws IOException {
        return new AtomicFile(ops, target.toAbsolutePath());
    }

    /**
     * A fresh temporary path beside {@code target}, e.g. for a scratch file.
     *
     * @param target the file it stands in for
     * @param suffix appended to the name, e.g. {@code ".scratch"}, or empty
     * @return {@code .<name>.tmp-<pid>-<uuid><suffix>} in the target's directory: the id of the process
     *         writing it tells {@link StaleTemps} whether a live process still owns it
     */
    public static Path tempSibling(Path target, String suffix) {
        Path absolute = target.toAbsolutePath();
        return absolute.resolveSibling("." + absolute.getFileName() + TEMP_MARKER + ProcessHandle.current().pid() + "-"
                + UUID.randomUUID() + suffix);
    }

    /**
     * Tells whether a file is one of our temporary files.
     *
     * @param file the file
     * @return true when its name starts with a dot and holds {@link #TEMP_MARKER}
     */
    public static boolean isTemp(Path file) {
        String name = file.getFileName().toString();
        return name.startsWith(".") && name.contains(TEMP_MARKER);
    }

    /**
     * The stream to write to. Closing it does not close the file (so that a codec's stream can be
     * finished by closing it, and the file still be fsynced).
     *
     * @return the buffered stream into the temporary file
     */
    public OutputStream stream() {
        return new FilterOutputStream(buffered) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                out.flush();
            }
        };
    }

    /** {@return the final path} */
    public Path target() {
        return target;
    }

    /**
     * Makes the file durable and visible under its final name.
     *
     * @throws IOException           when a step fails; if the rename happened but the directory fsync
     *                               failed, the file is in place but may not survive a power loss
     * @throws IllegalStateException when already committed or closed
     */
    public void commit() throws IOException {
        commitLeavingNameToSync();
        ops.syncDirectory(target.getParent());
    }

    /**
     * Like {@link #commit()} but without the directory fsync, for a caller that commits several files
     * into one directory: one fsync of the directory after the last rename makes every name durable.
     * Until then the content is durable but a power loss may lose the name (never expose half a file).
     *
     * @throws IOException           when flushing, fsyncing or renaming fails
     * @throws IllegalStateException when already committed or closed
     */
    public void commitLeavingNameToSync() throws IOException {
        if (closed) {
            throw new IllegalStateException("already closed");
        }
        buffered.flush();
        file.sync(); // may overlap the last early write-back: both only write back
        behind.finish(); // a failed early write-back fails the commit, even if the fsync above passed
        file.close();
        ops.atomicMove(temp, target);
        committed = true;
        closed = true;
    }

    /**
     * Without a commit, abandons the write and deletes the temporary file.
     *
     * @throws IOException when closing or deleting the temporary file fails
     */
    @Override
    public void close() throws IOException {
        if (committed) {
            return;
        }
        closed = true;
        try {
            behind.stop(); // no write-back may outlive the file
            file.close();
        } finally {
            ops.deleteIfExists(temp);
        }
    }
}
