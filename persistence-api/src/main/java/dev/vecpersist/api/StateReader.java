package dev.vecpersist.api;

import java.io.Closeable;
import java.io.IOException;

/**
 * Reads one state: the header first, then entries until {@link #nextEntry()} returns null, then
 * deleted ids until {@link #nextDeletion()} returns null, then the stored checksum. Not thread-safe.
 *
 * <p>Readers report malformed or truncated input as {@link CorruptedStateException}, a newer
 * format version as {@link IncompatibleStateException}, and never allocate from a length they
 * read before checking it against the header (a vector has exactly {@code dimension} components).
 */
public interface StateReader extends Closeable {

    /** {@return the header, read when the reader was opened} */
    StateHeader header();

    /**
     * Reads the next entry.
     *
     * @return the next entry, or null after the last one
     * @throws CorruptedStateException when the entry is malformed or the content ends early
     * @throws IOException             when the source fails
     */
    VectorEntry nextEntry() throws IOException;

    /**
     * Whether this reader already decodes entries ahead of {@link #nextEntry()} on a thread of its
     * own. The library then checks and stages the entries on the calling thread; otherwise, for a
     * large state on a machine with more than one core, it does that on a second thread while this
     * reader decodes. Either way the reader is only called from one thread at a time.
     *
     * @return true when the reader runs its own read-ahead thread; false (the default) otherwise
     */
    default boolean readsAhead() {
        return false;
    }

    /**
     * Reads the next deleted id; call once {@link #nextEntry()} returned null.
     *
     * @return the next deleted id, or null after the last one
     * @throws CorruptedStateException when the content is malformed or ends early
     * @throws IOException             when the source fails
     */
    String nextDeletion() throws IOException;

    /**
     * The checksum stored in the file, available once both sequences are exhausted. The caller
     * compares it with the one it computed over what it read.
     *
     * @return the stored checksum string, or null if the file carries none
     * @throws CorruptedStateException when what follows the deletions is malformed or truncated
     * @throws IOException             when the source fails
     */
    String storedChecksum() throws IOException;
}
