package dev.vecpersist.store.azure;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlobProperties;
import dev.vecpersist.api.PersistenceException;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Checks that the service holds what was uploaded, before a snapshot counts as stored: the blob's
 * size always, and unless {@code verify=size}, the SHA-256 of the blob read back once, streaming.
 * (Azure keeps no whole-blob checksum of a block list to compare with; each block was already
 * checked by the service against its MD5.)
 */
final class BlobVerifier {

    /** Far more than any metadata blob. */
    private static final int MAX_SMALL = 16 * 1024 * 1024;

    private final BlobContainerClient container;
    private final AzureErrors errors;
    private final AzureStoreSettings.Verify mode;

    BlobVerifier(BlobContainerClient container, AzureErrors errors, AzureStoreSettings.Verify mode) {
        this.container = container;
        this.errors = errors;
        this.mode = mode;
    }

    /**
     * Verifies one uploaded blob.
     *
     * @throws AzureVerificationException when the service holds something else
     * @throws PersistenceException       when the service cannot be asked
     */
    void verify(String name, long size, String sha256Hex) {
        BlobProperties properties;
        try {
            properties = container.getBlobClient(name).getProperties();
        } catch (RuntimeException e) {
            throw errors.failure("lookup of", name, e);
        }
        if (properties.getBlobSize() != size) {
            throw new AzureVerificationException(container.getBlobContainerName(), name, "size", size + " bytes",
                    properties.getBlobSize() + " bytes");
        }
        if (mode == AzureStoreSettings.Verify.SIZE) {
            return;
        }
        MessageDigest sha = sha256();
        try (InputStream in = new DigestInputStream(new BlobDownloadStream(container.getBlobClient(name), errors), sha)) {
            in.transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            throw new PersistenceException("Azure read-back of blob '" + name + "' in container '"
                    + container.getBlobContainerName() + "' for verification failed: " + e.getMessage(), e);
        }
        String found = HexFormat.of().formatHex(sha.digest());
        if (!found.equals(sha256Hex)) {
            throw new AzureVerificationException(container.getBlobContainerName(), name, "SHA-256 (read back)",
                    sha256Hex, found);
        }
    }

    /** A small blob's content (metadata), read back. */
    byte[] readSmall(String name) throws IOException {
        try (InputStream in = new BlobDownloadStream(container.getBlobClient(name), errors)) {
            return in.readNBytes(MAX_SMALL);
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
