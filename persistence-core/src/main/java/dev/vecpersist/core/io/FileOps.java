package dev.vecpersist.core.io;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The file operations the persistence layer performs, in one place, so that tests can inject
 * faults (a disk that fills up after N bytes, a rename that fails, a crash between two steps), the
 * way RocksDB's {@code Env} and Lucene's {@code MockDirectoryWrapper} do. {@link #SYSTEM} is the real
 * thing; implementations are thread-safe.
 */
public interface FileOps {

    /** The real file system. */
    FileOps SYSTEM = new SystemFileOps();

    /** A new file open for writing, which can be forced to stable storage. */
    interface WritableFile extends Closeable {
        /** {@return the stream to write to; closing it is the same as {@link #close()}} */
        OutputStream stream();

        /**
         * Forces what was written to stable storage (fsync).
         *
         * @throws IOException when the fsync fails
         */
        void sync() throws IOException;

        /**
         * Starts making what was written so far durable while the writer goes on appending, so that
         * the final {@link #sync()} finds little left to write back (RocksDB's {@code bytes_per_sync}).
         * Called from a second thread, concurrently with writes to {@link #stream()}, never after
         * {@link #close()}. Only an early start: durability still comes from {@link #sync()} alone,
         * so the default does nothing.
         *
         * @throws IOException when writing back fails; the file's write then fails too
         */
        default void syncWritten() throws IOException {
        }
    }

    /**
     * Creates a file that must not exist yet and opens it for writing.
     *
     * @param file the new file
     * @return the open file
     * @throws IOException when it exists or cannot be created
     */
    WritableFile create(Path file) throws IOException;

    /**
     * Opens an existing file for reading.
     *
     * @param file the file
     * @return a stream of its content
     * @throws IOException when it cannot be opened ({@link java.nio.file.NoSuchFileException} when absent)
     */
    InputStream open(Path file) throws IOException;

    /**
     * Forces an existing, closed file's content to stable storage.
     *
     * @param file the file
     * @throws IOException when the fsync fails
     */
    void sync(Path file) throws IOException;

    /**
     * Renames {@code from} over {@code to} atomically.
     *
     * @param from the file to move
     * @param to   its new name, replaced if it exists
     * @throws IOException when the rename fails (or cannot be atomic)
     */
    void atomicMove(Path from, Path to) throws IOException;

    /**
     * Forces a directory's entries (renames, creations, deletions) to stable storage.
     *
     * @param dir the directory
     * @throws IOException when the fsync fails
     */
    void syncDirectory(Path dir) throws IOException;

    /**
     * Creates one directory whose parent exists (not its parents; see {@link Directories#createDurably}).
     *
     * @param dir the new directory
     * @throws IOException when it exists ({@link java.nio.file.FileAlreadyExistsException}) or cannot be created
     */
    default void createDirectory(Path dir) throws IOException {
        Files.createDirectory(dir);
    }

    /**
     * Deletes a file if it exists.
     *
     * @param file the file
     * @throws IOException when it exists and cannot be deleted
     */
    void deleteIfExists(Path file) throws IOException;

    /** The real implementation, on {@link FileChannel}s. */
    final class SystemFileOps implements FileOps {

        private SystemFileOps() {
        }

        @Override
        public WritableFile create(Path file) throws IOException {
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            OutputStream stream = Channels.newOutputStream(channel);
            return new WritableFile() {
                @Override
                public OutputStream stream() {
                    return stream;
                }

                @Override
                public void sync() throws IOException {
                    channel.force(true);
                }

                @Override
                public void syncWritten() throws IOException {
                    channel.force(false); // Java has no sync_file_range: fdatasync of what is there so far
                }

                @Override
                public void close() throws IOException {
                    channel.close();
                }
            };
        }

        @Override
        public InputStream open(Path file) throws IOException {
            return Files.newInputStream(file);
        }

        @Override
        public void sync(Path file) throws IOException {
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
        }

        @Override
        public void atomicMove(Path from, Path to) throws IOException {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }

        @Override
        public void syncDirectory(Path dir) throws IOException {
            // Linux and macOS allow fsync on a directory opened for reading; Windows does not.
            try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
                channel.force(true);
            } catch (IOException e) {
                if (!System.getProperty("os.name", "").startsWith("Windows")) {
                    throw e;
                }
            }
        }

        @Override
        public void deleteIfExists(Path file) throws IOException {
            Files.deleteIfExists(file);
        }
    }
}
