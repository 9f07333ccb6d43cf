package dev.vecpersist.api;

import java.nio.file.Path;

/**
 * Base of every failure the persistence layer reports. A failed operation never changes the
 * previously saved state, nor the in-memory database.
 */
public class PersistenceException extends RuntimeException {
    private final transient Path file;

    /** @param message what went wrong */
    public PersistenceException(String message) {
        this(message, null, null);
    }

    /**
     * @param message what went wrong
     * @param cause   the underlying failure
     */
    public PersistenceException(String message, Throwable cause) {
        this(message, null, cause);
    }

    /**
     * @param message what went wrong
     * @param file    the file concerned, or null; it is prefixed to the message
     * @param cause   the underlying failure, or null
     */
    public PersistenceException(String message, Path file, Throwable cause) {
        super(file == null ? message : file + ": " + message, cause);
        this.file = file;
    }

    /** {@return the file the failure concerns, or null when none} */
    public Path file() {
        return file;
    }
}
