package dev.vecpersist.api;

import java.nio.file.Path;

/**
 * The stored state is sound but cannot go into this database: another dimension or metric, or a
 * format version newer than this library reads.
 */
public class IncompatibleStateException extends PersistenceException {
    /** @param message what went wrong */
    public IncompatibleStateException(String message) {
        super(message);
    }

    /**
     * @param message what went wrong
     * @param file    the file concerned, prefixed to the message, or null
     * @param cause   the underlying failure, or null
     */
    public IncompatibleStateException(String message, Path file, Throwable cause) {
        super(message, file, cause);
    }
}
