package dev.vecpersist.api;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a {@link StateReader} reads from: an uncompressed stream for stream formats, or an
 * uncompressed file for formats that need one. The caller owns and closes the stream.
 *
 * @param stream      the content, already decompressed, or null for a file source
 * @param file        the content as a file, or null for a stream source
 * @param displayName names the origin (the user's file) in error messages
 */
public record StateSource(InputStream stream, Path file, String displayName) {

    /**
     * Exactly one of stream and file is set.
     *
     * @param stream      the content, already decompressed, or null for a file source
     * @param file        the content as a file, or null for a stream source
     * @param displayName names the origin in error messages; null means the file's name
     * @throws IllegalArgumentException when both or neither of stream and file are set
     */
    public StateSource {
        if ((stream == null) == (file == null)) {
            throw new IllegalArgumentException("a source is either a stream or a file");
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
    public static StateSource ofStream(InputStream stream, String displayName) {
        return new StateSource(Objects.requireNonNull(stream), null, displayName);
    }

    /**
     * A file endpoint.
     *
     * @param file        the file
     * @param displayName names the user's file in error messages (it may differ from a decompressed scratch file)
     * @return the endpoint
     */
    public static StateSource ofFile(Path file, String displayName) {
        return new StateSource(null, Objects.requireNonNull(file), displayName);
    }
}
