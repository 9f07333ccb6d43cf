package dev.vecpersist.store.s3;

import dev.vecpersist.api.PersistenceException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Streams one object to S3 holding at most one part in memory. Bytes collect in a buffer of the
 * part size; when more arrive than fit, the full buffer goes out as the next part of a multipart
 * upload (started then). {@link #complete()} sends what is left: as a single PutObject when the
 * object fits in one part, else as the last part followed by CompleteMultipartUpload.
 * {@link #abort()} aborts a multipart upload in progress. Nothing is visible under the key before
 * {@link #complete()}.
 *
 * <p>{@link #close()} only ends writing (callers close the data stream before committing);
 * {@link #flush()} sends nothing, since parts but the last have a minimum size. Not thread-safe.
 */
final class MultipartUploadStream extends OutputStream {

    private static final Logger LOG = LoggerFactory.getLogger(MultipartUploadStream.class);
    private static final int INITIAL_BUFFER = 64 * 1024;
    /** S3 numbers parts 1 to 10,000. */
    static final int MAX_PARTS = 10_000;

    private enum State { WRITING, CLOSED, COMPLETING, COMPLETED, FAILED, ABORTED }

    private final S3Client s3;
    private final S3Errors errors;
    private final String bucket;
    private final String key;
    private final int partSize;
    private final boolean checksums;
    private final UploadDigests digests = new UploadDigests();

    private byte[] buffer;
    private int count;
    private long total;
    private String uploadId;
    private final List<CompletedPart> parts = new ArrayList<>();
    private State state = State.WRITING;
    private boolean completionAttempted;

    /**
     * @param partSize  bytes per part (S3 requires at least 5 MiB for all but the last)
     * @param checksums whether the object and its parts carry SHA-256 checksums that the server verifies
     */
    MultipartUploadStream(S3Client s3, S3Errors errors, String bucket, String key, int partSize, boolean checksums) {
        this.s3 = s3;
        this.errors = errors;
        this.bucket = bucket;
        this.key = key;
        this.partSize = partSize;
        this.checksums = checksums;
        this.buffer = new byte[Math.min(partSize, INITIAL_BUFFER)];
    }

    @Override
    public void write(int b) throws IOException {
        ensureWritable();
        if (count == buffer.length) {
            makeRoom();
        }
        buffer[count++] = (byte) b;
        total++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        ensureWritable();
        while (len > 0) {
            if (count == buffer.length) {
                makeRoom();
            }
            int n = Math.min(len, buffer.length - count);
            System.arraycopy(b, off, buffer, count, n);
            count += n;
            total += n;
            off += n;
            len -= n;
        }
    }

    /** Does nothing: parts are sent when full, the rest by {@link #complete()}. */
    @Override
    public void flush() {
    }

    /** Ends writing; the data stays buffered until {@link #complete()}. */
    @Override
    public void close() {
        if (state == State.WRITING) {
            state = State.CLOSED;
        }
    }

    /** Bytes written so far. */
    long size() {
        return total;
    }

    /** The digests of what was sent: valid after {@link #complete()}. */
    UploadDigests digests() {
        return digests;
    }

    /** Whether an object may exist under the key: completion was at least attempted. */
    boolean objectMayExist() {
        return completionAttempted;
    }

    /**
     * Sends what is buffered and makes the object visible under the key.
     *
     * @throws PersistenceException when S3 refuses or cannot be reached; the caller then {@link #abort()}s
     */
    void complete() {
        if (state != State.WRITING && state != State.CLOSED) {
            throw new PersistenceException("cannot complete the upload of s3://" + bucket + "/" + key + ": it is "
                    + state.name().toLowerCase(Locale.ROOT));
        }
        state = State.COMPLETING;
        completionAttempted = true;
        try {
            if (uploadId == null) {
                putObject();
            } else {
                if (count > 0) {
                    uploadPart();
                }
                s3.completeMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(uploadId)
                        .multipartUpload(m -> m.parts(parts)));
            }
            state = State.COMPLETED;
            LOG.debug("uploaded s3://{}/{}: {} bytes in {} part(s)", bucket, key, total, Math.max(1, parts.size()));
        } catch (SdkException e) {
            state = State.FAILED;
            throw errors.failure(uploadId == null ? "upload of" : "completing the multipart upload of", key, e);
        } catch (IOException e) {
            state = State.FAILED;
            throw new PersistenceException(e.getMessage(), e);
        } finally {
            buffer = null;
        }
    }

    /**
     * Stops the upload: aborts a multipart upload in progress so S3 drops its parts. Does not
     * delete an object that {@link #complete()} may have created (see {@link #objectMayExist()});
     * harmless when called again.
     *
     * @throws SdkException when the abort request fails
     */
    void abort() {
        State before = state;
        buffer = null;
        if (before == State.ABORTED || before == State.COMPLETED) {
            return;
        }
        state = State.ABORTED;
        if (uploadId != null) {
            s3.abortMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(uploadId));
            LOG.debug("aborted multipart upload {} of s3://{}/{}", uploadId, bucket, key);
        }
    }

    private void ensureWritable() throws IOException {
        if (state != State.WRITING) {
            throw new IOException("the upload stream of s3://" + bucket + "/" + key + " is "
                    + state.name().toLowerCase(Locale.ROOT));
        }
    }

    /** The buffer is full: grow it up to the part size, or send it as a part. */
    private void makeRoom() throws IOException {
        if (buffer.length < partSize) {
            byte[] bigger = new byte[(int) Math.min(partSize, 2L * buffer.length)];
            System.arraycopy(buffer, 0, bigger, 0, count);
            buffer = bigger;
            return;
        }
        try {
            if (uploadId == null) {
                uploadId = s3.createMultipartUpload(r -> {
                    r.bucket(bucket).key(key).contentType("application/octet-stream");
                    if (checksums) {
                        r.checksumAlgorithm(ChecksumAlgorithm.SHA256);
                    }
                }).uploadId();
                LOG.debug("started multipart upload {} of s3://{}/{}", uploadId, bucket, key);
            }
            uploadPart();
        } catch (SdkException e) {
            state = State.FAILED;
            throw errors.ioFailure("upload of part " + (parts.size() + 1) + " of", key, e);
        }
    }

    private void uploadPart() throws IOException {
        int partNumber = parts.size() + 1;
        if (partNumber > MAX_PARTS) {
            state = State.FAILED;
            throw new IOException("s3://" + bucket + "/" + key + " needs more than " + MAX_PARTS
                    + " parts of " + partSize / (1024 * 1024) + " MiB: raise the 'partSizeMb' setting");
        }
        String sha256 = digests.addPart(buffer, count);
        UploadPartResponse response = s3.uploadPart(r -> {
            r.bucket(bucket).key(key).uploadId(uploadId).partNumber(partNumber).contentLength((long) count);
            if (checksums) {
                r.checksumAlgorithm(ChecksumAlgorithm.SHA256).checksumSHA256(sha256);
            }
        }, body());
        parts.add(CompletedPart.builder().partNumber(partNumber).eTag(response.eTag())
                .checksumSHA256(checksums ? sha256 : null).build());
        count = 0;
    }

    private void putObject() {
        String sha256 = digests.addWhole(buffer, count);
        s3.putObject(r -> {
            r.bucket(bucket).key(key).contentType("application/octet-stream").contentLength((long) count);
            if (checksums) {
                r.checksumAlgorithm(ChecksumAlgorithm.SHA256).checksumSHA256(sha256);
            }
        }, body());
    }

    /** The buffered bytes, without a copy: the SDK re-reads them from the start on a retry. */
    private RequestBody body() {
        byte[] bytes = buffer;
        int length = count;
        return RequestBody.fromContentProvider(() -> new ByteArrayInputStream(bytes, 0, length), length,
                "application/octet-stream");
    }
}
