package dev.vecpersist.api;

import java.nio.file.Path;

/**
 * A file is encrypted (or a manifest authenticated) with a key that is not configured: no keys at
 * all, or none with the id the file names. The message names the key id needed; the key itself is
 * never part of a file or a message. A wrong key under the right id, or tampered content, is a
 * {@link CorruptedStateException} ("authentication failed") instead.
 */
public class EncryptionException extends PersistenceException {
    /** The id of the key the file needs, or null. */
    private final String keyId;

    /**
     * @param message what went wrong
     * @param keyId   the key id the file needs, or null when unknown
     * @param file    the file concerned, prefixed to the message, or null
     */
    public EncryptionException(String message, String keyId, Path file) {
        super(message, file, null);
        this.keyId = keyId;
    }

    /** {@return the id of the key the file needs, or null when unknown} */
    public String keyId() {
        return keyId;
    }
}
