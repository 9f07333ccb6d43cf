package dev.vecpersist.store.s3;

import dev.vecpersist.api.CorruptedStateException;

/**
 * What the server holds is not what was uploaded: its size or SHA-256 differs from the bytes sent.
 * The snapshot was not stored (its objects were removed). Names the object and both values.
 */
public final class S3VerificationException extends CorruptedStateException {

    private static final long serialVersionUID = 1L;

    private final String bucket;
    private final String key;
    private final String expected;
    private final String found;

    /**
     * @param bucket   the bucket
     * @param key      the object's key
     * @param what     what was compared, e.g. "size (HEAD)" or "SHA-256 (read back)"
     * @param expected the value of what was sent
     * @param found    the value the server has
     */
    public S3VerificationException(String bucket, String key, String what, String expected, String found) {
        super("verification of s3://" + bucket + "/" + key + " failed: " + what + " expected " + expected
                + ", found " + found + "; the server does not hold what was sent, the snapshot was not stored");
        this.bucket = bucket;
        this.key = key;
        this.expected = expected;
        this.found = found;
    }

    /** {@return the bucket} */
    public String bucket() {
        return bucket;
    }

    /** {@return the key of the object that failed verification} */
    public String key() {
        return key;
    }

    /** {@return the value of what was sent} */
    public String expected() {
        return expected;
    }

    /** {@return the value the server has} */
    public String found() {
        return found;
    }
}
