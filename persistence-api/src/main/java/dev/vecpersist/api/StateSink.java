package dev.vecpersist.api;

import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a {@link StateWriter} puts its bytes: a stream for stream formats, or a fresh file for
 * formats that need one ({@link StateFormat#needsFile()}). The caller owns both: a writer never
 * closes the stream, and the caller takes care of atomic renaming, fsync and compression.
 *
 * @param stream      the stream to write to, or null for a file sink
 * @param file        a path that does not exist yet, or null for a stream sink
 * @param displayName names the destination in error messages
 */
public record StateSink(OutputStream stream, Path file, String displayName) {

    /**
     * Exactly one of stream and file is set.
     *
     * @param stream      the stream to write to, or null for a file sink
     * @param file        a path that does not exist yet, or null for a stream sink
     * @param displayName names the destination in error messages; null means the file's name
     * @throws IllegalArgumentException when both or neither of stream and file are set
     */
    public StateSink {
        if ((stream == null) == (file == null)) {
            throw new IllegalArgumentException("a sink is either a stream or a file");
        }
        displayName = displayName != null ? displayName : String.valueOf(file);
    }

    /**
     * A stream endpoint.
     *
     * @param stream      the stream (not closed by readers or writers)
     * @param displayName names it in error messages
     * @return the endpoint
     */
    public static StateSink ofStream(OutputStream stream, String displayName) {
        return new StateSink(Objects.requireNonNull(stream), null, displayName);
    }

    /**
     * A file endpoint.
     *
     * @param file the file
     * @return the endpoint
     */
    public static StateSink ofFile(Path file) {
        return new StateSink(null, Objects.requireNonNull(file), file.toString());
    }
}
