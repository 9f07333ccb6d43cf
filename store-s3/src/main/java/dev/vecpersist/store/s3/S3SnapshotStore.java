package dev.vecpersist.store.s3;

import dev.vecpersist.api.PersistenceException;
import dev.vecpersist.api.SnapshotIds;
import dev.vecpersist.api.SnapshotMetadata;
import dev.vecpersist.api.SnapshotListing;
import dev.vecpersist.api.SnapshotStore;
import dev.vecpersist.api.UnreadableSnapshot;
import dev.vecpersist.json.SnapshotMetadataJson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Snapshots as objects in an S3 bucket (AWS S3, or an S3-compatible server such as MinIO):
 * {@code PREFIXsnapshots/ID.data} holds the state and {@code PREFIXsnapshots/ID.meta.json} its
 * {@link SnapshotMetadata}, in the filesystem store's JSON layout; the pieces of differential
 * snapshots are {@code PREFIXsnapshots/pieces/ID.piece} ({@link S3Pieces}).
 *
 * <p><b>Guarantees</b>:
 * <ul>
 *   <li>The data is streamed up with a multipart upload, one part in memory at a time (a snapshot
 *       smaller than a part goes up with a single PutObject), each part with its SHA-256 for the
 *       server to check where it supports flexible checksums; nothing appears under its key until
 *       the upload completes.</li>
 *   <li>Before the metadata is written the data object is verified ({@code verify} setting): its
 *       size (HEAD), then the server's SHA-256 checksum or, where the server keeps none, the
 *       SHA-256 of the object read back. The metadata object is written last, read back and
 *       parsed, and is what makes a snapshot exist: {@link #list()} reads only metadata objects, so
 *       a snapshot interrupted or failing at any point is never listed. {@link #listing()} reports a
 *       metadata object it cannot use (unparsable, naming another id, or without its data object),
 *       so that no piece is collected while it is there. A failed check is an
 *       {@link S3VerificationException}; an upload closed without commit, or failing, aborts its
 *       multipart upload and deletes whatever it wrote. {@link #delete} removes the metadata first.</li>
 *   <li>Snapshots in the reference module's layout ({@code ID.json} beside {@code ID.meta.json})
 *       copied into the bucket are listed, opened and deleted too.</li>
 *   <li>Ids are random UUIDs issued by {@link #begin()}; {@link #open} and {@link #delete} reject any
 *       other string before sending a request, so an id never names another key.</li>
 *   <li>Opening the store removes what interrupted snapshots left behind (crashed processes):
 *       multipart uploads and data objects without metadata older than a day, so that an upload in
 *       progress elsewhere is left alone.</li>
 * </ul>
 *
 * <p>Every failure (unreachable endpoint, access denied, missing bucket, throttling) surfaces as a
 * {@link PersistenceException} naming the bucket and key and giving S3's error code; transient
 * errors are first retried by the SDK's standard retry strategy.
 *
 * <p>Thread-safe: the S3 client is, and the store keeps no other mutable state. Each
 * {@link Upload} is used by one thread.
 */
public final class S3SnapshotStore implements SnapshotStore {

    /** The name users select this store by. */
    public static final String NAME = "s3";

    /** Interrupted uploads older than this are removed when a store opens. */
    static final Duration LEFTOVER_AGE = Duration.ofHours(24);

    private static final Logger LOG = LoggerFactory.getLogger(S3SnapshotStore.class);

    private final S3Client s3;
    private final boolean ownsClient;
    private final String bucket;
    private final SnapshotKeys keys;
    private final int partSize;
    private final boolean checksums;
    private final S3Errors errors;
    private final BucketObjects objects;
    private final UploadVerifier verifier;
    private final S3Pieces pieces;
    private final String description;
    private volatile boolean closed;

    private S3SnapshotStore(S3Client s3, boolean ownsClient, S3StoreSettings settings) {
        this.s3 = s3;
        this.ownsClient = ownsClient;
        this.bucket = settings.bucket();
        this.keys = new SnapshotKeys(settings.prefix());
        this.partSize = settings.partSizeBytes();
        this.checksums = settings.checksums() == S3StoreSettings.Checksums.WHEN_SUPPORTED;
        this.description = settings.describe();
        this.errors = new S3Errors(bucket, settings.endpoint() != null ? "endpoint " + settings.endpoint() : "AWS S3");
        this.objects = new BucketObjects(s3, bucket, errors);
        this.verifier = new UploadVerifier(objects, settings.verify(), checksums);
        this.pieces = new S3Pieces(s3, objects, keys, partSize, checksums, verifier, description);
    }

    /**
     * Opens a store with a client built from the settings: checks that the bucket exists and is
     * accessible, then removes leftovers of interrupted snapshots.
     *
     * @throws PersistenceException when the bucket is missing or inaccessible, or the endpoint unreachable
     */
    public static S3SnapshotStore open(S3StoreSettings settings) {
        S3Client client = S3Clients.build(settings);
        try {
            return open(client, true, settings, LEFTOVER_AGE);
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
    }

    /**
     * Opens a store on a client the caller configured (e.g. with its own credentials provider) and
     * keeps owning: {@link #close()} leaves it open. Only the settings' bucket, prefix, part size,
     * checksums and verify are used (the client's own configuration decides the rest).
     *
     * @param client   the caller's client
     * @param settings the bucket, prefix and upload settings
     * @return the open store
     * @throws PersistenceException when the bucket is missing or inaccessible, or the endpoint unreachable
     */
    public static S3SnapshotStore open(S3Client client, S3StoreSettings settings) {
        return open(client, false, settings, LEFTOVER_AGE);
    }

    /**
     * Like {@link #open(S3Client, S3StoreSettings)}, for a client the store then owns and closes
     * with itself: what a {@link SnapshotStore.Provider} that builds its own client returns.
     *
     * @param client   a client the store takes over
     * @param settings the bucket, prefix and upload settings
     * @return the open store
     * @throws PersistenceException when the bucket is missing or inaccessible, or the endpoint unreachable
     */
    public static S3SnapshotStore openOwning(S3Client client, S3StoreSettings settings) {
        try {
            return open(client, true, settings, LEFTOVER_AGE);
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
    }

    static S3SnapshotStore open(S3Client client, boolean ownsClient, S3StoreSettings settings, Duration leftoverAge) {
        S3SnapshotStore store = new S3SnapshotStore(client, ownsClient, settings);
        store.checkBucket();
        store.removeLeftovers(leftoverAge);
        return store;
    }

    /** A store that sends no request until used (tests: ids must be rejected before any request). */
    static S3SnapshotStore unchecked(S3Client client, S3StoreSettings settings) {
        return new S3SnapshotStore(client, true, settings);
    }

    @Override
    public Upload begin() {
        ensureOpen();
        return new S3Upload(SnapshotIds.newId(), objects, keys, partSize, checksums, verifier, this::ensureOpen);
    }

    @Override
    public List<SnapshotMetadata> list() {
        return listing().snapshots();
    }

    /**
     * Also reports every {@code ID.meta.json} object it cannot use: unparsable (damaged, truncated,
     * of an unknown version), naming another id, or without its data object. A failing request
     * fails the listing instead.
     */
    @Override
    public SnapshotListing listing() {
        ensureOpen();
        Set<String> withData = new HashSet<>();
        List<String> metaIds = new ArrayList<>();
        try {
            for (S3Object o : s3.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(keys.base())).contents()) {
                String dataId = keys.idOfData(o.key());
                if (dataId == null) {
                    dataId = keys.idOfLegacyData(o.key());
                }
                if (dataId != null) {
                    withData.add(dataId);
                }
                String metaId = keys.idOfMeta(o.key());
                if (metaId != null) {
                    metaIds.add(metaId);
                }
            }
        } catch (SdkException e) {
            throw errors.failure("listing of", keys.base(), e);
        }
        List<SnapshotMetadata> all = new ArrayList<>();
        List<UnreadableSnapshot> unreadable = new ArrayList<>();
        for (String id : metaIds) {
            if (!withData.contains(id)) {
                unreadable.add(unusable(id, "its data object is missing"));
                continue;
            }
            readMetadata(id, all, unreadable);
        }
        all.sort(Comparator.comparing(SnapshotMetadata::timestamp).thenComparing(SnapshotMetadata::id).reversed());
        return new SnapshotListing(all, unreadable);
    }

    /** Opens {@code ID.data}, or the reference module's {@code ID.json} for a snapshot copied in. */
    @Override
    public InputStream open(String id) {
        requireCommitted(id);
        InputStream in = objects.get(keys.data(id));
        if (in == null) {
            in = objects.get(keys.legacyData(id));
        }
        if (in == null) {
            throw unknown(id);
        }
        return in;
    }

    @Override
    public void delete(String id) {
        requireCommitted(id);
        // metadata first: once it is gone the snapshot no longer exists, whatever happens next
        objects.delete(keys.meta(id));
        objects.delete(keys.data(id));
        objects.delete(keys.legacyData(id));
    }

    /** {@return true: pieces are {@code PREFIXsnapshots/pieces/ID.piece}, verified like snapshot data ({@link S3Pieces})} */
    @Override
    public boolean supportsPieces() {
        return true;
    }

    @Override
    public PieceUpload beginPiece() {
        ensureOpen();
        return pieces.begin();
    }

    @Override
    public InputStream openPiece(String pieceId) {
        ensureOpen();
        return pieces.open(pieceId);
    }

    @Override
    public void deletePiece(String pieceId) {
        ensureOpen();
        pieces.delete(pieceId);
    }

    @Override
    public List<String> listPieces() {
        ensureOpen();
        return pieces.list();
    }

    /** Closes the S3 client if the store built it. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            if (ownsClient) {
                s3.close();
            }
        }
    }

    @Override
    public String toString() {
        return "S3SnapshotStore[" + description + "]";
    }

    private void ensureOpen() {
        if (closed) {
            throw new PersistenceException("the S3 snapshot store " + description + " is closed");
        }
    }

    private void requireCommitted(String id) {
        if (!SnapshotKeys.isWellFormedId(id)) {
            throw new PersistenceException("invalid snapshot id '" + id + "': ids are issued by the store (UUIDs)");
        }
        ensureOpen();
        if (!objects.exists(keys.meta(id))) {
            throw unknown(id);
        }
    }

    private PersistenceException unknown(String id) {
        return new PersistenceException("no snapshot with id " + id + " in " + description);
    }

    /**
     * Adds the metadata of a listed snapshot to {@code readable}, or to {@code unreadable} when it
     * cannot be used. Downloaded first, then parsed: a failing request fails the listing, while a
     * document that does not parse is reported.
     */
    private void readMetadata(String id, List<SnapshotMetadata> readable, List<UnreadableSnapshot> unreadable) {
        String key = keys.meta(id);
        byte[] document;
        try {
            document = s3.getObjectAsBytes(r -> r.bucket(bucket).key(key)).asByteArray();
        } catch (SdkException e) {
            if (!S3Errors.isNotFound(e)) {
                throw errors.failure("download of", key, e);
            }
            return; // deleted since the listing: the snapshot is gone
        }
        try {
            SnapshotMetadata m = SnapshotMetadataJson.read(new ByteArrayInputStream(document));
            if (id.equals(m.id())) {
                readable.add(m);
            } else {
                unreadable.add(unusable(id, "it names id " + m.id()));
            }
        } catch (IOException e) {
            unreadable.add(unusable(id, String.valueOf(e.getMessage())));
        }
    }

    private UnreadableSnapshot unusable(String id, String reason) {
        String location = "s3://" + bucket + "/" + keys.meta(id);
        LOG.warn("ignoring unreadable snapshot metadata {}: {}", location, reason);
        return new UnreadableSnapshot(id, location, reason);
    }

    private void checkBucket() {
        try {
            s3.headBucket(r -> r.bucket(bucket));
        } catch (SdkException e) {
            if (e instanceof AwsServiceException ase && ase.statusCode() == 404) {
                throw new PersistenceException("S3 bucket '" + bucket + "' does not exist (NoSuchBucket, HTTP 404) ["
                        + description + "]", e);
            }
            throw errors.failure("access to bucket", null, e);
        }
    }

    private void abortOldMultipartUploads(Instant before) {
        try {
            for (MultipartUpload u : s3.listMultipartUploadsPaginator(r -> r.bucket(bucket).prefix(keys.base())).uploads()) {
                if ((keys.idOfData(u.key()) != null || keys.idOfPiece(u.key()) != null) && u.initiated() != null && u.initiated().isBefore(before)) {
                    LOG.info("aborting the multipart upload of an interrupted snapshot: s3://{}/{}", bucket, u.key());
                    s3.abortMultipartUpload(r -> r.bucket(bucket).key(u.key()).uploadId(u.uploadId()));
                }
            }
        } catch (SdkException e) {
            if (!S3Errors.isUnsupported(e)) {
                throw e;
            }
            // e.g. s3rver: it cannot list (or abort) multipart uploads, so there is nothing to clean up here
            LOG.debug("{} cannot list multipart uploads: {}", description, e.getMessage());
        }
    }

    /**
     * Best effort: removes multipart uploads and data objects without metadata that are older than
     * {@code age}, left by processes that died mid-snapshot. Younger ones may be uploads in progress.
     */
    private void removeLeftovers(Duration age) {
        Instant before = Instant.now().minus(age);
        try {
            Map<String, S3Object> data = new HashMap<>();
            Set<String> metas = new HashSet<>();
            for (S3Object o : s3.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(keys.base())).contents()) {
                String id = keys.idOfData(o.key());
                if (id != null) {
                    data.put(id, o);
                } else if ((id = keys.idOfMeta(o.key())) != null) {
                    metas.add(id);
                }
            }
            for (Map.Entry<String, S3Object> e : data.entrySet()) {
                if (!metas.contains(e.getKey()) && e.getValue().lastModified().isBefore(before)) {
                    LOG.info("removing leftover of an interrupted snapshot: s3://{}/{}", bucket, e.getValue().key());
                    objects.delete(e.getValue().key());
                }
            }
            abortOldMultipartUploads(before);
        } catch (SdkException | PersistenceException e) {
            LOG.warn("could not remove leftovers of interrupted snapshots in {}: {}", description, e.getMessage());
        }
    }
}
