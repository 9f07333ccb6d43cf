package dev.vecpersist.api;

import java.util.Map;

/**
 * An entry's metadata whose decoding a {@link StateReader} left to its caller, after
 * {@link StateReader#deferMetadata()} returned true: the reader has framed the entry and checked
 * its id and vector, and hands over the metadata's bytes, so that a load can decode them on the
 * thread that checks and stages entries instead of the one that reads the file.
 *
 * <p>As a {@link Map} it decodes itself when first read. The library calls {@link #decode()} on
 * each entry in file order, on one thread, before it checks the entry.
 */
public interface DeferredMetadata extends Map<String, Object> {

    /**
     * Decodes the metadata, once; later calls return the same map.
     *
     * @return the decoded metadata, as {@link StateReader#nextEntry()} would have returned it
     * @throws CorruptedStateException the reader's own error for malformed metadata, naming the file,
     *                                 the entry and the byte offset exactly as {@code nextEntry()} would have
     */
    Map<String, Object> decode();
}
