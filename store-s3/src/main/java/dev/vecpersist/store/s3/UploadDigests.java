package dev.vecpersist.store.s3;

import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The SHA-256 digests of one uploaded object, computed from the bytes as they go out: the digest
 * of the whole object (what the snapshot metadata records), and the checksum S3 reports for it.
 * For a single PutObject that is the base64 SHA-256 of the object; for a multipart upload S3
 * reports a composite checksum, the SHA-256 of the parts' binary SHA-256 digests followed by
 * {@code -N}, the number of parts.
 */
final class UploadDigests {

    private final MessageDigest whole = sha256();
    private final ByteArrayOutputStream partDigests = new ByteArrayOutputStream();
    private int parts;
    private boolean single;
    private long size;

    /** Adds the next part of a multipart upload; returns its base64 SHA-256 for the request. */
    String addPart(byte[] bytes, int length) {
        whole.update(bytes, 0, length);
        size += length;
        byte[] digest = digestOf(bytes, length);
        partDigests.writeBytes(digest);
        parts++;
        return Base64.getEncoder().encodeToString(digest);
    }

    /** Records the object as one PutObject; returns its base64 SHA-256 for the request. */
    String addWhole(byte[] bytes, int length) {
        whole.update(bytes, 0, length);
        size += length;
        single = true;
        return Base64.getEncoder().encodeToString(digestOf(bytes, length));
    }

    /** Bytes sent. */
    long size() {
        return size;
    }

    /** The lower-case hex SHA-256 of everything sent, as in snapshot metadata; call once, after the last part. */
    String sha256Hex() {
        return HexFormat.of().formatHex(whole.digest());
    }

    /** The checksum S3 reports for the object (HEAD with checksum mode), base64, without a {@code -N} suffix. */
    String serverChecksum(String wholeHex) {
        if (single || parts == 0) {
            return Base64.getEncoder().encodeToString(HexFormat.of().parseHex(wholeHex));
        }
        return Base64.getEncoder().encodeToString(sha256().digest(partDigests.toByteArray()));
    }

    /** Parts of the multipart upload, 0 for a single PutObject. */
    int parts() {
        return parts;
    }

    private static byte[] digestOf(byte[] bytes, int length) {
        MessageDigest md = sha256();
        md.update(bytes, 0, length);
        return md.digest();
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
