package dev.vecpersist.api;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a {@link StateReader} reads from: {@link FromStream an uncompressed stream} for stream
 * formats, or {@link FromFile an uncompressed file} for formats that
 * {@linkplain StateFormat#needsFile() need one}. The manager hands each format the variant it
 * declares, so a format takes what it expects with one {@code instanceof} pattern. The caller owns
 * and closes the stream: a reader never closes it, neither when it is closed nor when it fails.
 */
public sealed interface StateSource permits StateSource.FromStream, StateSource.FromFile {

    /** {@return what names the origin (the user's file) in error messages} */
    String displayName();

    /**
     * The content as a stream, already decrypted and decompressed.
     *
     * @param stream      the content (read, never closed by readers)
     * @param displayName names the origin in error messages
     */
    record FromStream(InputStream stream, String displayName) implements StateSource {
        /**
         * Checks the components.
         *
         * @param stream      the stream
         * @param displayName names it in error messages
         * @throws NullPointerException when a component is null
         */
        public FromStream {
            Objects.requireNonNull(stream, "stream");
            Objects.requireNonNull(displayName, "displayName");
        }
    }

    /**
     * The content as a file, already decrypted and decompressed (it may be a scratch file).
     *
     * @param file        the file
     * @param displayName names the user's file in error messages (it may differ from a scratch file)
     */
    record FromFile(Path file, String displayName) implements StateSource {
        /**
         * Checks the components.
         *
         * @param file        the file
         * @param displayName names the origin in error messages; null means the file's name
         * @throws NullPointerException when the file is null
         */
        public FromFile {
            Objects.requireNonNull(file, "file");
            displayName = displayName != null ? displayName : file.toString();
        }
    }

    /**
     * A stream endpoint.
     *
     * @param stream      the stream (not closed by readers)
     * @param displayName names it in error messages
     * @return the endpoint
     */
    static FromStream ofStream(InputStream stream, String displayName) {
        return new FromStream(stream, displayName);
    }

    /**
     * A file endpoint.
     *
     * @param file        the file
     * @param displayName names the user's file in error messages (it may differ from a decompressed scratch file);
     *                    null means the file's name
     * @return the endpoint
     */
    static FromFile ofFile(Path file, String displayName) {
        return new FromFile(file, displayName);
    }
}
