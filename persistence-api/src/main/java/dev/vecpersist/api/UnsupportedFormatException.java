package dev.vecpersist.api;

import java.nio.file.Path;

/** A format or codec name is unknown, or the module providing it is not on the classpath. */
public class UnsupportedFormatException extends PersistenceException {
    public UnsupportedFormatException(String message) {
        super(message);
    }

    public UnsupportedFormatException(String message, Path file, Throwable cause) {
        super(message, file, cause);
    }
}
