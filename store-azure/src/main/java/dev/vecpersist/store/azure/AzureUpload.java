package dev.vecpersist.store.azure;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlobHttpHeaders;
import com.azure.storage.blob.options.BlobParallelUploadOptions;
import dev.vecpersist.api.PersistenceException;
import dev.vecpersist.api.SnapshotMetadata;
import dev.vecpersist.api.SnapshotStore;
import dev.vecpersist.json.SnapshotMetadataJson;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * One snapshot being uploaded. {@link #commit} commits the data blob's blocks, verifies the blob
 * ({@link BlobVerifier}), writes the metadata blob, reads that back and parses it; only then does
 * the snapshot exist. Any failure on the way, or a close without commit, removes what was written.
 * Used by one thread.
 */
final class AzureUpload implements SnapshotStore.Upload {

    private final String id;
    private final BlobContainerClient container;
    private final BlobNames names;
    private final AzureErrors errors;
    private final int blockSize;
    private final BlobVerifier verifier;
    private final Runnable ensureOpen;
    private BlockUploadStream data;
    private boolean metadataSent;
    private boolean committed;
    private boolean closed;

    AzureUpload(String id, BlobContainerClient container, BlobNames names, AzureErrors errors, int blockSize,
                BlobVerifier verifier, Runnable ensureOpen) {
        this.id = id;
        this.container = container;
        this.names = names;
        this.errors = errors;
        this.blockSize = blockSize;
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
            data = new BlockUploadStream(container.getBlobClient(names.data(id)).getBlockBlobClient(), errors, blockSize);
        }
        return data;
    }

    /**
     * @return the metadata as read back from the service
     * @throws AzureVerificationException when the service does not hold what was sent
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
        if (metadata.fileSize() != data.size() || !data.sha256Hex().equalsIgnoreCase(String.valueOf(metadata.checksum()))) {
            throw new PersistenceException("the metadata of snapshot " + id + " does not describe its data: it says "
                    + metadata.fileSize() + " bytes, SHA-256 " + metadata.checksum() + "; " + data.size()
                    + " bytes were sent, SHA-256 " + data.sha256Hex());
        }
        verifier.verify(names.data(id), data.size(), data.sha256Hex());
        metadataSent = true;
        String metaName = names.meta(id);
        try {
            container.getBlobClient(metaName).uploadWithResponse(new BlobParallelUploadOptions(BinaryData.fromBytes(json))
                    .setHeaders(new BlobHttpHeaders().setContentType("application/json")), null, null);
        } catch (RuntimeException e) {
            throw errors.failure("upload of", metaName, e);
        }
        byte[] found = verifier.readSmall(metaName);
        if (!Arrays.equals(found, json)) {
            throw new AzureVerificationException(container.getBlobContainerName(), metaName, "metadata (read back)",
                    json.length + " bytes", found.length + " different bytes");
        }
        SnapshotMetadata stored;
        try {
            stored = SnapshotMetadataJson.read(new ByteArrayInputStream(found));
        } catch (IOException e) {
            throw new PersistenceException("the metadata blob '" + metaName + "' read back does not parse: "
                    + e.getMessage(), e);
        }
        committed = true;
        return stored;
    }

    /** Without a commit: deletes whatever became visible (staged blocks are dropped by the service). */
    @Override
    public void close() {
        if (committed || closed) {
            return;
        }
        closed = true;
        RuntimeException failure = null;
        if (metadataSent) {
            failure = deleteLeftover(names.meta(id), null);
        }
        if (data != null && data.blobMayExist()) {
            failure = deleteLeftover(names.data(id), failure);
        }
        if (failure != null) {
            throw failure;
        }
    }

    private RuntimeException deleteLeftover(String name, RuntimeException earlier) {
        try {
            container.getBlobClient(name).deleteIfExists();
            return earlier;
        } catch (RuntimeException e) {
            RuntimeException failure = AzureErrors.isGone(e) ? null : errors.failure("deletion of", name, e);
            if (earlier == null) {
                return failure;
            }
            if (failure != null) {
                earlier.addSuppressed(failure);
            }
            return earlier;
        }
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
}
