package dev.vecpersist.store.s3;

import dev.vecpersist.api.ChainStore;
import dev.vecpersist.api.PersistenceException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A writer's published chain in an S3 bucket: {@code PREFIXchain/NAME} holds each state file and
 * {@code PREFIXchain/MANIFEST.json} the manifest. State files are streamed up as snapshot data is
 * ({@link MultipartUploadStream}: one part in memory, a single PutObject below one part) and
 * verified as snapshot data is ({@link UploadVerifier}: size, then the server's SHA-256 or a
 * read-back) before {@link #upload} returns; a failed upload aborts and deletes what it wrote.
 * The manifest goes up in one PutObject with its SHA-256 for the server to check.
 *
 * <p>Thread-safe: the S3 client is, and the store keeps no other mutable state.
 */
public final class S3ChainStore implements ChainStore {

    /** Far more than any manifest; a larger object is not one of ours. */
    private static final int MAX_MANIFEST_BYTES = 16 * 1024 * 1024;
    static final String MANIFEST = "MANIFEST.json";

    private static final Logger LOG = LoggerFactory.getLogger(S3ChainStore.class);

    private final S3Client s3;
    private final boolean ownsClient;
    private final String bucket;
    private final String base;
    private final int partSize;
    private final boolean checksums;
    private final BucketObjects objects;
    private final UploadVerifier verifier;
    private final String description;

    private S3ChainStore(S3Client s3, boolean ownsClient, S3StoreSettings settings) {
        this.s3 = s3;
        this.ownsClient = ownsClient;
        this.bucket = settings.bucket();
        this.base = settings.prefix() + "chain/";
        this.partSize = settings.partSizeBytes();
        this.checksums = settings.checksums() == S3StoreSettings.Checksums.WHEN_SUPPORTED;
        this.description = "s3://" + bucket + "/" + base + " (" + (settings.endpoint() != null
                ? settings.endpoint() : "AWS S3") + ")";
        S3Errors errors = new S3Errors(bucket, settings.endpoint() != null ? "endpoint " + settings.endpoint() : "AWS S3");
        this.objects = new BucketObjects(s3, bucket, errors);
        this.verifier = new UploadVerifier(objects, settings.verify(), checksums);
    }

    /**
     * Opens the chain store the settings describe (those of {@link S3StoreSettings}) with a client it
     * builds and owns; checks that the bucket exists and is accessible.
     *
     * @param settings the bucket, prefix, endpoint, credentials and upload settings
     * @return the store
     * @throws PersistenceException when the bucket is missing or inaccessible, or the endpoint unreachable
     */
    public static S3ChainStore open(S3StoreSettings settings) {
        S3Client client = S3Clients.build(settings);
        try {
            S3ChainStore store = new S3ChainStore(client, true, settings);
            store.checkBucket();
            return store;
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
    }

    /**
     * Opens the chain store on a client the caller configured and keeps owning ({@link #close()}
     * leaves it open); only the settings' bucket, prefix, part size, checksums and verify are used.
     *
     * @param client   the caller's client
     * @param settings the bucket, prefix and upload settings
     * @return the store
     * @throws PersistenceException when the bucket is missing or inaccessible, or the endpoint unreachable
     */
    public static S3ChainStore open(S3Client client, S3StoreSettings settings) {
        S3ChainStore store = new S3ChainStore(client, false, settings);
        store.checkBucket();
        return store;
    }

    @Override
    public void upload(String name, Path file) throws IOException {
        String key = key(name);
        MultipartUploadStream data = new MultipartUploadStream(s3, objects.errors(), bucket, key, partSize, checksums);
        boolean done = false;
        try {
            try (InputStream in = Files.newInputStream(file)) {
                in.transferTo(data);
            }
            data.complete();
            UploadDigests digests = data.digests();
            long local = Files.size(file);
            if (digests.size() != local) {
                throw new PersistenceException("uploading " + file + " to " + description + name + " sent "
                        + digests.size() + " bytes but the file has " + local + " (was it changed meanwhile?)");
            }
            String sha256 = digests.sha256Hex();
            verifier.verify(key, digests.size(), sha256, digests.serverChecksum(sha256));
            done = true;
            LOG.debug("uploaded {} to s3://{}/{}: {} bytes, SHA-256 {}, verified by {}", file, bucket, key,
                    digests.size(), sha256, verifier);
        } finally {
            if (!done) {
                abort(data, key);
            }
        }
    }

    /** Removes what a failed upload wrote; a failure to do so is logged (the writer deletes unreferenced names later). */
    private void abort(MultipartUploadStream data, String key) {
        try {
            data.abort();
            if (data.objectMayExist()) {
                objects.deleteLeftover(key);
            }
        } catch (RuntimeException e) {
            LOG.warn("cleaning up the failed upload of s3://{}/{} failed: {}", bucket, key, e.getMessage());
        }
    }

    @Override
    public Optional<InputStream> open(String name) {
        return Optional.ofNullable(objects.get(key(name)));
    }

    @Override
    public List<StoredObject> list() {
        List<StoredObject> found = new ArrayList<>();
        try {
            for (S3Object o : s3.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(base)).contents()) {
                String name = o.key().substring(base.length());
                if (name.equals(MANIFEST) || !NAME.matcher(name).matches()) {
                    continue;
                }
                found.add(new StoredObject(name, o.size() == null ? -1 : o.size(),
                        o.lastModified() == null ? Instant.EPOCH : o.lastModified()));
            }
        } catch (SdkException e) {
            throw objects.errors().failure("listing of", base, e);
        }
        return found;
    }

    @Override
    public void delete(String name) {
        objects.delete(key(name));
    }

    @Override
    public void writeManifest(byte[] content) {
        objects.put(base + MANIFEST, content, "application/json", checksums);
    }

    @Override
    public Optional<byte[]> readManifest() throws IOException {
        InputStream in = objects.get(base + MANIFEST);
        if (in == null) {
            return Optional.empty();
        }
        try (in) {
            byte[] bytes = in.readNBytes(MAX_MANIFEST_BYTES + 1);
            if (bytes.length > MAX_MANIFEST_BYTES) {
                throw new PersistenceException("s3://" + bucket + "/" + base + MANIFEST + " is larger than "
                        + MAX_MANIFEST_BYTES + " bytes: not a manifest");
            }
            return Optional.of(bytes);
        }
    }

    @Override
    public String describe() {
        return description;
    }

    /** Closes the S3 client if the store built it. */
    @Override
    public void close() {
        if (ownsClient) {
            s3.close();
        }
    }

    @Override
    public String toString() {
        return "S3ChainStore[" + description + "]";
    }

    private String key(String name) {
        String n = ChainStore.requireName(name);
        if (n.equals(MANIFEST)) {
            throw new IllegalArgumentException("the manifest is written with writeManifest, not as an object");
        }
        return base + n;
    }

    private void checkBucket() {
        try {
            s3.headBucket(r -> r.bucket(bucket));
        } catch (SdkException e) {
            if (e instanceof AwsServiceException ase && ase.statusCode() == 404) {
                throw new PersistenceException("S3 bucket '" + bucket + "' does not exist (NoSuchBucket, HTTP 404) ["
                        + description + "]", e);
            }
            throw objects.errors().failure("access to bucket", null, e);
        }
    }
}
