package dev.vecpersist.api;

import java.nio.file.Path;

/** A format or codec name is unknown, or the module providing it is not on the classpath. */
public class UnsupportedFormatException extends PersistenceException {
    /** @param message what went wrong */
    public UnsupportedFormatException(String message) {
        super(message);
    }

    /**
     * @param message what went wrong
     * @param file    the file concerned, prefixed to the message, or null
     * @param cause   the underlying failure, or null
     */
    public UnsupportedFormatException(String message, Path file, Throwable cause) {
        super(message, file, cause);
    }
}
