package dev.vecpersist.store.azure;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlobErrorCode;
import com.azure.storage.blob.models.BlobHttpHeaders;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.models.ListBlobsOptions;
import com.azure.storage.blob.options.BlockBlobSimpleUploadOptions;
import dev.vecpersist.api.ChainStore;
import dev.vecpersist.api.PersistenceException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A writer's published chain in an Azure Blob Storage container: {@code PREFIXchain/NAME} holds each
 * state file and {@code PREFIXchain/MANIFEST.json} the manifest. State files are streamed up as
 * snapshot data is ({@link BlockUploadStream}: one block in memory, each with its MD5; the blob
 * appears when its block list is committed) and verified as snapshot data is ({@link BlobVerifier}:
 * size, then the SHA-256 read back unless {@code verify=size}) before {@link #upload} returns; a
 * failed upload deletes what it committed. The manifest goes up as one block-blob upload, which
 * replaces the previous one atomically.
 *
 * <p>Thread-safe: the container client is, and the store keeps no other mutable state.
 */
public final class AzureChainStore implements ChainStore {

    /** Far more than any manifest; a larger blob is not one of ours. */
    private static final int MAX_MANIFEST_BYTES = 16 * 1024 * 1024;
    static final String MANIFEST = "MANIFEST.json";

    private static final Logger LOG = LoggerFactory.getLogger(AzureChainStore.class);

    private final BlobContainerClient container;
    private final String base;
    private final AzureErrors errors;
    private final BlobVerifier verifier;
    private final int blockSize;
    private final String description;

    private AzureChainStore(BlobContainerClient container, AzureStoreSettings settings) {
        this.container = container;
        this.base = settings.prefix() + "chain/";
        this.errors = new AzureErrors(settings.container(), "account " + container.getAccountName() + " at "
                + container.getAccountUrl());
        this.verifier = new BlobVerifier(container, errors, settings.verify());
        this.blockSize = settings.blockSizeBytes();
        this.description = "azure://" + container.getAccountName() + "/" + settings.container() + "/" + base
                + " (" + container.getAccountUrl() + ")";
    }

    /**
     * Opens the chain store the settings describe (those of {@link AzureStoreSettings}); checks that
     * the container exists and is accessible.
     *
     * @param settings the container, prefix, credentials and upload settings
     * @return the store
     * @throws PersistenceException when the container is missing or inaccessible, or the endpoint unreachable
     */
    public static AzureChainStore open(AzureStoreSettings settings) {
        return open(AzureClients.build(settings), settings);
    }

    /**
     * Opens the chain store on a container client the caller built; only the settings' prefix, block
     * size and verify are used.
     *
     * @param container the caller's client of the container
     * @param settings  the prefix and upload settings
     * @return the store
     * @throws PersistenceException when the container is missing or inaccessible, or the endpoint unreachable
     */
    public static AzureChainStore open(BlobContainerClient container, AzureStoreSettings settings) {
        AzureChainStore store = new AzureChainStore(container, settings);
        store.checkContainer();
        return store;
    }

    @Override
    public void upload(String name, Path file) throws IOException {
        String blob = blobName(name);
        BlockUploadStream data = new BlockUploadStream(container.getBlobClient(blob).getBlockBlobClient(), errors,
                blockSize);
        boolean done = false;
        try {
            try (InputStream in = Files.newInputStream(file)) {
                in.transferTo(data);
            }
            data.complete();
            long local = Files.size(file);
            if (data.size() != local) {
                throw new PersistenceException("uploading " + file + " to " + description + name + " sent "
                        + data.size() + " bytes but the file has " + local + " (was it changed meanwhile?)");
            }
            verifier.verify(blob, data.size(), data.sha256Hex());
            done = true;
            LOG.debug("uploaded {} to {}{}: {} bytes, SHA-256 {}", file, description, name, data.size(),
                    data.sha256Hex());
        } finally {
            if (!done && data.blobMayExist()) {
                deleteLeftover(blob);
            }
        }
    }

    /** Removes what a failed upload committed; a failure to do so is logged (the writer deletes unreferenced names later). */
    private void deleteLeftover(String blob) {
        try {
            container.getBlobClient(blob).deleteIfExists();
        } catch (RuntimeException e) {
            LOG.warn("cleaning up the failed upload of blob '{}' in {} failed: {}", blob, description, e.getMessage());
        }
    }

    @Override
    public Optional<InputStream> open(String name) throws IOException {
        try {
            return Optional.of(new BufferedInputStream(
                    new BlobDownloadStream(container.getBlobClient(blobName(name)), errors), 1 << 16));
        } catch (FileNotFoundException e) {
            return Optional.empty();
        }
    }

    @Override
    public List<StoredObject> list() {
        List<StoredObject> found = new ArrayList<>();
        try {
            for (BlobItem b : container.listBlobs(new ListBlobsOptions().setPrefix(base), null)) {
                String name = b.getName().substring(base.length());
                if (name.equals(MANIFEST) || !NAME.matcher(name).matches()) {
                    continue;
                }
                OffsetDateTime modified = b.getProperties() == null ? null : b.getProperties().getLastModified();
                Long size = b.getProperties() == null ? null : b.getProperties().getContentLength();
                found.add(new StoredObject(name, size == null ? -1 : size,
                        modified == null ? Instant.EPOCH : modified.toInstant()));
            }
        } catch (RuntimeException e) {
            throw errors.failure("listing of", base, e);
        }
        return found;
    }

    @Override
    public void delete(String name) {
        String blob = blobName(name);
        try {
            container.getBlobClient(blob).deleteIfExists();
        } catch (RuntimeException e) {
            throw errors.failure("deletion of", blob, e);
        }
    }

    /** One Put Blob (the SDK uploads this size in a single request): readers see the old or the new manifest. */
    @Override
    public void writeManifest(byte[] content) {
        if (content.length > MAX_MANIFEST_BYTES) {
            throw new IllegalArgumentException("a manifest of " + content.length + " bytes is larger than "
                    + MAX_MANIFEST_BYTES);
        }
        String blob = base + MANIFEST;
        try {
            container.getBlobClient(blob).getBlockBlobClient().uploadWithResponse(
                    new BlockBlobSimpleUploadOptions(BinaryData.fromBytes(content))
                            .setHeaders(new BlobHttpHeaders().setContentType("application/json")
                                    .setContentMd5(md5(content))), null, null);
        } catch (RuntimeException e) {
            throw errors.failure("upload of", blob, e);
        }
    }

    @Override
    public Optional<byte[]> readManifest() throws IOException {
        String blob = base + MANIFEST;
        try (InputStream in = new BlobDownloadStream(container.getBlobClient(blob), errors)) {
            byte[] bytes = in.readNBytes(MAX_MANIFEST_BYTES + 1);
            if (bytes.length > MAX_MANIFEST_BYTES) {
                throw new PersistenceException(description + MANIFEST + " is larger than " + MAX_MANIFEST_BYTES
                        + " bytes: not a manifest");
            }
            return Optional.of(bytes);
        } catch (FileNotFoundException e) {
            return Optional.empty();
        }
    }

    @Override
    public String describe() {
        return description;
    }

    /** Nothing to release: the SDK's clients hold no resources of their own. */
    @Override
    public void close() {
    }

    @Override
    public String toString() {
        return "AzureChainStore[" + description + "]";
    }

    private String blobName(String name) {
        String n = ChainStore.requireName(name);
        if (n.equals(MANIFEST)) {
            throw new IllegalArgumentException("the manifest is written with writeManifest, not as an object");
        }
        return base + n;
    }

    private static byte[] md5(byte[] content) {
        try {
            return java.security.MessageDigest.getInstance("MD5").digest(content);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has MD5", e);
        }
    }

    /** A listing, not the container's properties: a SAS token for the container may list but not read those. */
    private void checkContainer() {
        try {
            container.listBlobs(new ListBlobsOptions().setPrefix(base).setMaxResultsPerPage(1), null)
                    .iterableByPage().iterator().next();
        } catch (RuntimeException e) {
            if (e instanceof BlobStorageException b && b.getErrorCode() == BlobErrorCode.CONTAINER_NOT_FOUND) {
                throw new PersistenceException("Azure container '" + container.getBlobContainerName()
                        + "' does not exist (ContainerNotFound) [" + description + "]", e);
            }
            throw errors.failure("access to", null, e);
        }
    }
}
