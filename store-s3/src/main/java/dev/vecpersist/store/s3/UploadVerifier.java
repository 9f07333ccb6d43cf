package dev.vecpersist.store.s3;

import dev.vecpersist.api.PersistenceException;
import dev.vecpersist.store.s3.S3StoreSettings.Verify;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Checks that the server holds what was uploaded, before a snapshot counts as stored: the size
 * (HEAD) always, then, as the {@code verify} setting says, the SHA-256 checksum the server reports
 * (S3 flexible checksums), or the SHA-256 of the object read back once, streaming. The default
 * takes the server's checksum when it reports one and reads back otherwise.
 */
final class UploadVerifier {

    private static final Logger LOG = LoggerFactory.getLogger(UploadVerifier.class);

    private final BucketObjects objects;
    private final Verify mode;
    private final boolean serverChecksums;

    /**
     * @param serverChecksums whether uploads carry checksums, so that the server may report them
     */
    UploadVerifier(BucketObjects objects, Verify mode, boolean serverChecksums) {
        this.objects = objects;
        this.mode = mode;
        this.serverChecksums = serverChecksums;
    }

    /**
     * Verifies one uploaded object.
     *
     * @param key          the object
     * @param size         bytes sent
     * @param sha256Hex    SHA-256 of the bytes sent, lower-case hex
     * @param checksum     the checksum the server reports for them (base64, without a {@code -N} suffix)
     * @throws S3VerificationException when the server holds something else
     * @throws PersistenceException    when the server cannot be asked, or reports no checksum under {@code verify=checksum}
     */
    void verify(String key, long size, String sha256Hex, String checksum) {
        boolean askChecksum = serverChecksums && (mode == Verify.AUTO || mode == Verify.CHECKSUM);
        HeadObjectResponse head = objects.head(key, askChecksum);
        Long length = head.contentLength();
        if (length == null || length != size) {
            throw new S3VerificationException(objects.bucket(), key, "size (HEAD)", size + " bytes",
                    length == null ? "no size" : length + " bytes");
        }
        if (mode == Verify.SIZE) {
            return;
        }
        String reported = askChecksum ? head.checksumSHA256() : null;
        if (mode == Verify.CHECKSUM && reported == null) {
            throw new PersistenceException("S3 server reported no SHA-256 checksum for s3://" + objects.bucket() + "/"
                    + key + " (it does not keep S3 flexible checksums" + (serverChecksums ? ""
                    : ", and the 'checksums' setting is when_required") + "): set 'verify' to readback");
        }
        if (reported != null) {
            String found = withoutPartCount(reported);
            if (!found.equals(checksum)) {
                throw new S3VerificationException(objects.bucket(), key, "SHA-256 checksum reported by the server",
                        checksum, found);
            }
            LOG.debug("verified s3://{}/{}: {} bytes, server SHA-256 {}", objects.bucket(), key, size, found);
            return;
        }
        String found = readBack(key);
        if (!found.equals(sha256Hex)) {
            throw new S3VerificationException(objects.bucket(), key, "SHA-256 (read back)", sha256Hex, found);
        }
        LOG.debug("verified s3://{}/{}: {} bytes read back, SHA-256 {}", objects.bucket(), key, size, found);
    }

    /** The SHA-256 of the object as the server returns it. */
    private String readBack(String key) {
        MessageDigest sha = UploadDigests.sha256();
        InputStream raw = objects.get(key);
        if (raw == null) {
            throw new S3VerificationException(objects.bucket(), key, "existence (read back)", "the object", "none");
        }
        try (InputStream in = new DigestInputStream(raw, sha)) {
            in.transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            throw new PersistenceException("S3 read-back of s3://" + objects.bucket() + "/" + key
                    + " for verification failed: " + e.getMessage(), e);
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    /** A multipart object's composite checksum ends with {@code -N} (the number of parts) on AWS. */
    static String withoutPartCount(String checksum) {
        int dash = checksum.lastIndexOf('-');
        return dash > 0 && checksum.substring(dash + 1).chars().allMatch(Character::isDigit)
                ? checksum.substring(0, dash) : checksum;
    }

    @Override
    public String toString() {
        return mode.name().toLowerCase(Locale.ROOT);
    }
}
