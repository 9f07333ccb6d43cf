package dev.vecpersist.api;

import java.io.Closeable;
import java.io.IOException;

/**
 * Writes one state: the header (already given when the writer was opened), then the entries one
 * at a time, then the deleted ids of a delta, then {@link #finish(String)}. Not thread-safe.
 *
 * <p>{@link #close()} without {@link #finish(String)} abandons the output; the caller discards it.
 */
public interface StateWriter extends Closeable {

    /**
     * Writes one entry.
     *
     * @param entry the entry; its vector has the header's dimension
     * @throws IOException when the sink fails
     */
    void writeEntry(VectorEntry entry) throws IOException;

    /**
     * Writes one deleted id (delta states only), after every entry.
     *
     * @param id the deleted id
     * @throws IOException when the sink fails
     */
    void writeDeletion(String id) throws IOException;

    /**
     * Completes the state with its checksum and flushes everything written to the sink.
     *
     * @param checksum the content checksum computed by the caller ({@link ContentChecksum#value()})
     * @throws IOException when the sink fails
     */
    void finish(String checksum) throws IOException;
}
