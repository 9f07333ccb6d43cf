package dev.vecpersist.api;

import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a {@link StateWriter} puts its bytes: {@link ToStream a stream} for stream formats, or
 * {@link ToFile a fresh file} for formats that {@linkplain StateFormat#needsFile() need one}. The
 * manager hands each format the variant it declares, so a format takes what it expects with one
 * {@code instanceof} pattern. The caller owns both: a writer never closes the stream, and the caller
 * takes care of atomic renaming, fsync and compression.
 */
public sealed interface StateSink permits StateSink.ToStream, StateSink.ToFile {

    /** {@return what names the destination in error messages} */
    String displayName();

    /**
     * A stream to write to. The writer flushes it in {@link StateWriter#finish} and never closes it.
     *
     * @param stream      the stream
     * @param displayName names the destination in error messages
     */
    record ToStream(OutputStream stream, String displayName) implements StateSink {
        /**
         * Checks the components.
         *
         * @param stream      the stream
         * @param displayName names it in error messages
         * @throws NullPointerException when a component is null
         */
        public ToStream {
            Objects.requireNonNull(stream, "stream");
            Objects.requireNonNull(displayName, "displayName");
        }
    }

    /**
     * A file to create and write.
     *
     * @param file        a path that does not exist yet
     * @param displayName names the destination in error messages
     */
    record ToFile(Path file, String displayName) implements StateSink {
        /**
         * Checks the components.
         *
         * @param file        the file
         * @param displayName names the destination in error messages; null means the file's name
         * @throws NullPointerException when the file is null
         */
        public ToFile {
            Objects.requireNonNull(file, "file");
            displayName = displayName != null ? displayName : file.toString();
        }
    }

    /**
     * A stream endpoint.
     *
     * @param stream      the stream (not closed by writers)
     * @param displayName names it in error messages
     * @return the endpoint
     */
    static ToStream ofStream(OutputStream stream, String displayName) {
        return new ToStream(stream, displayName);
    }

    /**
     * A file endpoint, named by its path in error messages.
     *
     * @param file a path that does not exist yet
     * @return the endpoint
     */
    static ToFile ofFile(Path file) {
        return new ToFile(file, null);
    }
}
