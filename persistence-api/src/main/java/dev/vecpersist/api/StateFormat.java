package dev.vecpersist.api;

import java.io.IOException;

/**
 * A file layout for a database state, discovered with {@link java.util.ServiceLoader}.
 *
 * <p>Implementations are stateless and thread-safe; each writer or reader they open is used by one
 * thread. Register an implementation in {@code META-INF/services/dev.vecpersist.api.StateFormat}.
 *
 * <pre>{@code
 * StateFormat json = ServiceLoader.load(StateFormat.class).stream()
 *         .map(ServiceLoader.Provider::get).filter(f -> f.name().equals("json")).findFirst().orElseThrow();
 * }</pre>
 */
public interface StateFormat {

    /** {@return the unique lower-case name users select it by and manifests record, e.g. {@code "json"}} */
    String name();

    /** {@return the file-name extension for saved files, without a dot. Never used for detection} */
    String fileExtension();

    /** {@return the newest layout version this implementation writes and reads} */
    int formatVersion();

    /**
     * Whether uncompressed content starting with these bytes is this format. Must be cheap and
     * must not claim another format's files.
     *
     * @param head   the first bytes of the uncompressed content
     * @param length how many bytes of {@code head} are valid (may be fewer than the file has)
     * @return true when the content is this format's
     */
    boolean recognizes(byte[] head, int length);

    /**
     * Which endpoint the format takes: the manager passes {@link StateSink.ToFile} and
     * {@link StateSource.FromFile} to a format that returns true (e.g. SQLite), and
     * {@link StateSink.ToStream} and {@link StateSource.FromStream} to every other.
     *
     * @return true when the format reads and writes a file rather than a stream
     */
    default boolean needsFile() {
        return false;
    }

    /**
     * Opens a writer; the header is written before this returns. The writer never closes a
     * {@link StateSink.ToStream}'s stream; {@link StateWriter#finish} flushes it.
     *
     * @param sink   where to write: a {@link StateSink.ToStream}, or a {@link StateSink.ToFile} (a fresh
     *               path) when {@link #needsFile()}
     * @param header the state's header
     * @return the writer, for one thread
     * @throws IllegalArgumentException when the sink is the other variant than {@link #needsFile()} declares
     * @throws IOException              when the sink fails
     */
    StateWriter newWriter(StateSink sink, StateHeader header) throws IOException;

    /**
     * Opens a reader and reads the header. The reader never closes a {@link StateSource.FromStream}'s
     * stream, neither in {@link StateReader#close} nor when it fails.
     *
     * @param source the uncompressed content: a {@link StateSource.FromStream}, or a
     *               {@link StateSource.FromFile} when {@link #needsFile()}
     * @return the reader, positioned before the first entry, for one thread
     * @throws IllegalArgumentException    when the source is the other variant than {@link #needsFile()} declares
     * @throws CorruptedStateException     when the content is not a valid state of this format
     * @throws IncompatibleStateException when the layout version is newer than {@link #formatVersion()}
     * @throws IOException                 when the source fails
     */
    StateReader newReader(StateSource source) throws IOException;
}
