package dev.vecpersist.store.s3;

import dev.vecpersist.api.PersistenceException;
import dev.vecpersist.api.SnapshotMetadata;
import dev.vecpersist.api.SnapshotStore;
import dev.vecpersist.json.SnapshotMetadataJson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * One snapshot being uploaded. {@link #commit} completes the data object, verifies it
 * ({@link UploadVerifier}), writes the metadata object, reads that back and parses it; only then
 * does the snapshot exist. Any failure on the way, or a close without commit, removes what was
 * written. Used by one thread.
 */
final class S3Upload implements SnapshotStore.Upload {

    private static final Logger LOG = LoggerFactory.getLogger(S3Upload.class);
    /** Far more than any metadata object; a larger read-back is not ours. */
    private static final int MAX_METADATA_BYTES = 16 * 1024 * 1024;

    private final String id;
    private final BucketObjects objects;
    private final SnapshotKeys keys;
    private final int partSize;
    private final boolean checksums;
    private final UploadVerifier verifier;
    private final Runnable ensureOpen;
    private MultipartUploadStream data;
    private boolean metadataSent;
    private boolean committed;
    private boolean closed;

    S3Upload(String id, BucketObjects objects, SnapshotKeys keys, int partSize, boolean checksums,
             UploadVerifier verifier, Runnable ensureOpen) {
        this.id = id;
        this.objects = objects;
        this.keys = keys;
        this.partSize = partSize;
        this.checksums = checksums;
        this.verifier = verifier;
        this.ensureOpen = ensureOpen;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public OutputStream data() {
        if (committed || closed) {
            throw new IllegalStateException("upload " + id + " is " + (committed ? "committed" : "closed"));
        }
        if (data == null) {
            data = new MultipartUploadStream(objects.client(), objects.errors(), objects.bucket(), keys.data(id),
                    partSize, checksums);
        }
        return data;
    }

    /**
     * @return the metadata as read back from the server
     * @throws S3VerificationException when the server does not hold what was sent
     */
    @Override
    public SnapshotMetadata commit(SnapshotMetadata metadata) throws IOException {
        if (!id.equals(metadata.id())) {
            throw new IllegalArgumentException("metadata id " + metadata.id() + " is not the upload's id " + id);
        }
        data();
        ensureOpen.run();
        byte[] json = serialize(metadata); // before the data becomes visible: bad metadata fails early
        data.complete();
        UploadDigests digests = data.digests();
        String sha256 = digests.sha256Hex();
        requireDescribes(metadata, digests.size(), sha256);
        verifier.verify(keys.data(id), digests.size(), sha256, digests.serverChecksum(sha256));
        metadataSent = true;
        String metaKey = keys.meta(id);
        objects.put(metaKey, json, "application/json", checksums);
        SnapshotMetadata stored = readMetadataBack(metaKey, json);
        committed = true;
        LOG.debug("snapshot {} committed to s3://{}/{}: {} bytes, verified by {}", id, objects.bucket(),
                keys.data(id), digests.size(), verifier);
        return stored;
    }

    /** Without a commit: aborts the multipart upload and deletes whatever was written. */
    @Override
    public void close() {
        if (committed || closed) {
            return;
        }
        closed = true;
        RuntimeException failure = null;
        if (metadataSent) {
            failure = attempt(failure, () -> objects.deleteLeftover(keys.meta(id)));
        }
        if (data != null) {
            MultipartUploadStream d = data;
            failure = attempt(failure, () -> {
                try {
                    d.abort();
                } catch (SdkException e) {
                    if (S3Errors.isUnsupported(e)) {
                        // nothing was completed, so nothing is visible; the server keeps the parts until it drops them
                        LOG.warn("the server cannot abort the multipart upload of s3://{}/{}: {}", objects.bucket(),
                                keys.data(id), e.getMessage());
                    } else if (!S3Errors.isGone(e)) {
                        throw objects.errors().failure("abort of the multipart upload of", keys.data(id), e);
                    }
                }
            });
            if (d.objectMayExist()) {
                failure = attempt(failure, () -> objects.deleteLeftover(keys.data(id)));
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** The metadata must describe the data sent: restore checks the data against it. */
    private void requireDescribes(SnapshotMetadata metadata, long size, String sha256) {
        if (metadata.fileSize() != size || !sha256.equalsIgnoreCase(String.valueOf(metadata.checksum()))) {
            throw new PersistenceException("the metadata of snapshot " + id + " does not describe its data: it says "
                    + metadata.fileSize() + " bytes, SHA-256 " + metadata.checksum() + "; " + size
                    + " bytes were sent, SHA-256 " + sha256);
        }
    }

    /** Reads the metadata object back: it must be the bytes sent and parse. */
    private SnapshotMetadata readMetadataBack(String key, byte[] sent) throws IOException {
        byte[] found;
        InputStream in = objects.get(key);
        if (in == null) {
            throw new S3VerificationException(objects.bucket(), key, "existence (read back)", "the metadata object",
                    "none");
        }
        try (in) {
            found = in.readNBytes(MAX_METADATA_BYTES);
        }
        if (!Arrays.equals(found, sent)) {
            throw new S3VerificationException(objects.bucket(), key, "metadata (read back)", describe(sent),
                    describe(found));
        }
        try {
            return SnapshotMetadataJson.read(new ByteArrayInputStream(found));
        } catch (IOException e) {
            throw new PersistenceException("the metadata object s3://" + objects.bucket() + "/" + key
                    + " read back does not parse: " + e.getMessage(), e);
        }
    }

    private static String describe(byte[] bytes) {
        return bytes.length + " bytes, SHA-256 " + HexFormat.of().formatHex(UploadDigests.sha256().digest(bytes));
    }

    private static byte[] serialize(SnapshotMetadata metadata) {
        ByteArrayOutputStream json = new ByteArrayOutputStream(1024);
        try {
            SnapshotMetadataJson.write(metadata, json);
        } catch (IOException | IllegalArgumentException e) {
            throw new PersistenceException("cannot serialize the metadata of snapshot " + metadata.id() + ": "
                    + e.getMessage(), e);
        }
        return json.toByteArray();
    }

    private static RuntimeException attempt(RuntimeException earlier, Runnable step) {
        try {
            step.run();
            return earlier;
        } catch (RuntimeException e) {
            if (earlier == null) {
                return e;
            }
            earlier.addSuppressed(e);
            return earlier;
        }
    }
}
