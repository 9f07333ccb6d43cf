package dev.vecpersist.store.azure;

import dev.vecpersist.api.CorruptedStateException;

/**
 * What the service holds is not what was uploaded: its size or SHA-256 differs from the bytes
 * sent. The snapshot was not stored (its blobs were removed). Names the blob and both values.
 */
public final class AzureVerificationException extends CorruptedStateException {

    private static final long serialVersionUID = 1L;

    private final String container;
    private final String blob;
    private final String expected;
    private final String found;

    /**
     * @param container the container
     * @param blob      the blob's name
     * @param what      what was compared, e.g. "size" or "SHA-256 (read back)"
     * @param expected  the value of what was sent
     * @param found     the value the service has
     */
    public AzureVerificationException(String container, String blob, String what, String expected, String found) {
        super("verification of blob '" + blob + "' in container '" + container + "' failed: " + what + " expected "
                + expected + ", found " + found + "; the service does not hold what was sent, the snapshot was not stored");
        this.container = container;
        this.blob = blob;
        this.expected = expected;
        this.found = found;
    }

    /** {@return the container} */
    public String container() {
        return container;
    }

    /** {@return the name of the blob that failed verification} */
    public String blob() {
        return blob;
    }

    /** {@return the value of what was sent} */
    public String expected() {
        return expected;
    }

    /** {@return the value the service has} */
    public String found() {
        return found;
    }
}
