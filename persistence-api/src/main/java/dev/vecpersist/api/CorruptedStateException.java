package dev.vecpersist.api;

import java.nio.file.Path;

/** The stored state is damaged: checksum mismatch, truncation or malformed content. */
public class CorruptedStateException extends PersistenceException {
    public CorruptedStateException(String message) {
        super(message);
    }

    public CorruptedStateException(String message, Throwable cause) {
        super(message, cause);
    }

    public CorruptedStateException(String message, Path file, Throwable cause) {
        super(message, file, cause);
    }
}
