package dev.vecpersist.store.s3;

import dev.vecpersist.api.PersistenceException;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

import java.io.BufferedInputStream;
import java.io.InputStream;
import java.util.Base64;

/**
 * The object requests of one store's bucket, each failure turned into a {@link PersistenceException}
 * naming the object (see {@link S3Errors}).
 */
final class BucketObjects {

    private final S3Client s3;
    private final String bucket;
    private final S3Errors errors;

    BucketObjects(S3Client s3, String bucket, S3Errors errors) {
        this.s3 = s3;
        this.bucket = bucket;
        this.errors = errors;
    }

    S3Client client() {
        return s3;
    }

    String bucket() {
        return bucket;
    }

    S3Errors errors() {
        return errors;
    }

    /** Writes a small object in one PutObject, with its SHA-256 for the server to check when {@code checksum}. */
    void put(String key, byte[] bytes, String contentType, boolean checksum) {
        String sha256 = Base64.getEncoder().encodeToString(UploadDigests.sha256().digest(bytes));
        try {
            s3.putObject(r -> {
                r.bucket(bucket).key(key).contentType(contentType).contentLength((long) bytes.length);
                if (checksum) {
                    r.checksumAlgorithm(ChecksumAlgorithm.SHA256).checksumSHA256(sha256);
                }
            }, RequestBody.fromBytes(bytes));
        } catch (SdkException e) {
            throw errors.failure("upload of", key, e);
        }
    }

    /** The object's HEAD, asking for its flexible checksum when {@code withChecksum}. */
    HeadObjectResponse head(String key, boolean withChecksum) {
        try {
            return s3.headObject(r -> {
                r.bucket(bucket).key(key);
                if (withChecksum) {
                    r.checksumMode(ChecksumMode.ENABLED);
                }
            });
        } catch (SdkException e) {
            throw errors.failure("lookup of", key, e);
        }
    }

    /** Whether the object exists. */
    boolean exists(String key) {
        try {
            s3.headObject(r -> r.bucket(bucket).key(key));
            return true;
        } catch (SdkException e) {
            if (S3Errors.isNotFound(e)) {
                return false;
            }
            throw errors.failure("lookup of", key, e);
        }
    }

    /**
     * The object's content, streamed; the caller closes it.
     *
     * @return the stream, or null when there is no such object
     */
    InputStream get(String key) {
        try {
            ResponseInputStream<GetObjectResponse> in = s3.getObject(r -> r.bucket(bucket).key(key));
            return new BufferedInputStream(new DownloadStream(in, errors, key), 1 << 16);
        } catch (SdkException e) {
            if (S3Errors.isNotFound(e)) {
                return null;
            }
            throw errors.failure("download of", key, e);
        }
    }

    /** Deletes an object; one that does not exist is fine. */
    void delete(String key) {
        try {
            s3.deleteObject(r -> r.bucket(bucket).key(key));
        } catch (SdkException e) {
            if (!S3Errors.isNotFound(e)) {
                throw errors.failure("deletion of", key, e);
            }
        }
    }

    /** Deletes what a failed upload may have written; already gone (even with its bucket) is fine. */
    void deleteLeftover(String key) {
        try {
            s3.deleteObject(r -> r.bucket(bucket).key(key));
        } catch (SdkException e) {
            if (!S3Errors.isGone(e)) {
                throw errors.failure("deletion of", key, e);
            }
        }
    }
}
