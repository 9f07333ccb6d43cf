package dev.vecpersist.api;

import java.nio.file.Path;

/** The stored state is damaged: checksum mismatch, truncation or malformed content. */
public class CorruptedStateException extends PersistenceException {
    /** @param message what went wrong */
    public CorruptedStateException(String message) {
        super(message);
    }

    /**
     * @param message what went wrong
     * @param cause   the underlying failure
     */
    public CorruptedStateException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * @param message what went wrong
     * @param file    the file concerned, prefixed to the message, or null
     * @param cause   the underlying failure, or null
     */
    public CorruptedStateException(String message, Path file, Throwable cause) {
        super(message, file, cause);
    }
}
