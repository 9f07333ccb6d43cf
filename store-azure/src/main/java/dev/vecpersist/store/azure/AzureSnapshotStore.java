package dev.vecpersist.store.azure;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlobErrorCode;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.models.ListBlobsOptions;
import dev.vecpersist.api.PersistenceException;
import dev.vecpersist.api.SnapshotIds;
import dev.vecpersist.api.SnapshotMetadata;
import dev.vecpersist.api.SnapshotListing;
import dev.vecpersist.api.SnapshotStore;
import dev.vecpersist.api.UnreadableSnapshot;
import dev.vecpersist.json.SnapshotMetadataJson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Snapshots as blobs in an Azure Blob Storage container: {@code PREFIXsnapshots/ID.data} holds the
 * state and {@code PREFIXsnapshots/ID.meta.json} its {@link SnapshotMetadata}, in the filesystem
 * store's JSON layout (the reference module's {@code ID.json} data blobs are read too); the pieces
 * of differential snapshots are {@code PREFIXsnapshots/pieces/ID.piece} ({@link AzurePieces}).
 *
 * <p><b>Guarantees</b>:
 * <ul>
 *   <li>The data is streamed up as blocks of a block blob, one block in memory at a time, each with
 *       its MD5 for the service to check; the blob appears only when its block list is committed.</li>
 *   <li>Before the metadata is written the data blob is verified: its size, and (by default) the
 *       SHA-256 of the blob read back. The metadata blob is written last, then read back and parsed;
 *       only then does the snapshot exist. {@link #listing()} reports a metadata blob it cannot use
 *       (unparsable, naming another id, or without its data blob), so that no piece is collected
 *       while it is there. A failed verification is an
 *       {@link AzureVerificationException} naming container, blob, expected and found; whatever
 *       was written is removed, so nothing is listed.</li>
 *   <li>Ids are random UUIDs issued by {@link #begin()}; {@link #open} and {@link #delete} reject
 *       any other string before sending a request, so an id never names another blob.</li>
 *   <li>Opening the store removes data blobs without metadata older than a day (interrupted
 *       snapshots of processes that died); younger ones may be uploads in progress elsewhere.</li>
 * </ul>
 * Every failure surfaces as a {@link PersistenceException} naming container and blob. Thread-safe.
 */
public final class AzureSnapshotStore implements SnapshotStore {

    /** The name users select this store by. */
    public static final String NAME = "azure";

    /** Interrupted uploads older than this are removed when a store opens. */
    static final Duration LEFTOVER_AGE = Duration.ofHours(24);

    private static final Logger LOG = LoggerFactory.getLogger(AzureSnapshotStore.class);

    private final BlobContainerClient container;
    private final BlobNames names;
    private final AzureErrors errors;
    private final BlobVerifier verifier;
    private final int blockSize;
    private final String description;
    private final AzurePieces pieces;
    private volatile boolean closed;

    private AzureSnapshotStore(BlobContainerClient container, AzureStoreSettings settings) {
        this.container = container;
        this.names = new BlobNames(settings.prefix());
        this.errors = new AzureErrors(settings.container(), "account " + container.getAccountName() + " at "
                + container.getAccountUrl());
        this.verifier = new BlobVerifier(container, errors, settings.verify());
        this.blockSize = settings.blockSizeBytes();
        this.description = settings.describe();
        this.pieces = new AzurePieces(container, names, errors, verifier, blockSize, description);
    }

    /**
     * Opens a store: checks that the container exists and is accessible, then removes leftovers of
     * interrupted snapshots.
     *
     * @param settings the parsed settings
     * @return the open store
     * @throws PersistenceException when the container is missing or inaccessible, or the endpoint unreachable
     */
    public static AzureSnapshotStore open(AzureStoreSettings settings) {
        return open(AzureClients.build(settings), settings, LEFTOVER_AGE);
    }

    /**
     * Opens a store on a container client the caller built (its own credential, HTTP client or
     * pipeline). Only the settings' prefix, block size and verify are used.
     *
     * @param container the caller's client of the container
     * @param settings  the prefix and upload settings
     * @return the open store
     * @throws PersistenceException when the container is missing or inaccessible, or the endpoint unreachable
     */
    public static AzureSnapshotStore open(BlobContainerClient container, AzureStoreSettings settings) {
        return open(container, settings, LEFTOVER_AGE);
    }

    static AzureSnapshotStore open(BlobContainerClient container, AzureStoreSettings settings, Duration leftoverAge) {
        AzureSnapshotStore store = new AzureSnapshotStore(container, settings);
        store.checkContainer();
        store.removeLeftovers(leftoverAge);
        return store;
    }

    /** A store that sends no request until used (tests: ids must be rejected before any request). */
    static AzureSnapshotStore unchecked(BlobContainerClient container, AzureStoreSettings settings) {
        return new AzureSnapshotStore(container, settings);
    }

    @Override
    public Upload begin() {
        ensureOpen();
        return new AzureUpload(SnapshotIds.newId(), container, names, errors, blockSize, verifier,
                this::ensureOpen);
    }

    @Override
    public List<SnapshotMetadata> list() {
        return listing().snapshots();
    }

    /**
     * Also reports every {@code ID.meta.json} blob it cannot use: unparsable (damaged, truncated, of
     * an unknown version), naming another id, or without its data blob. A failing request fails the
     * listing instead.
     */
    @Override
    public SnapshotListing listing() {
        ensureOpen();
        Set<String> withData = new HashSet<>();
        List<String> metaIds = new ArrayList<>();
        for (BlobItem b : blobs()) {
            String dataId = names.idOf(b.getName(), BlobNames.DATA);
            if (dataId == null) {
                dataId = names.idOf(b.getName(), BlobNames.LEGACY_DATA);
            }
            if (dataId != null) {
                withData.add(dataId);
            }
            String metaId = names.idOf(b.getName(), BlobNames.META);
            if (metaId != null) {
                metaIds.add(metaId);
            }
        }
        List<SnapshotMetadata> all = new ArrayList<>();
        List<UnreadableSnapshot> unreadable = new ArrayList<>();
        for (String id : metaIds) {
            if (!withData.contains(id)) {
                unreadable.add(unusable(id, "its data blob is missing"));
                continue;
            }
            readMetadata(id, all, unreadable);
        }
        all.sort(Comparator.comparing(SnapshotMetadata::timestamp).thenComparing(SnapshotMetadata::id).reversed());
        return new SnapshotListing(all, unreadable);
    }

    /** Opens {@code ID.data}, or the reference module's {@code ID.json} for a snapshot copied in. */
    @Override
    public InputStream open(String id) throws IOException {
        requireCommitted(id);
        for (String name : List.of(names.data(id), names.legacyData(id))) {
            try {
                return new BufferedInputStream(new BlobDownloadStream(container.getBlobClient(name), errors), 1 << 16);
            } catch (FileNotFoundException e) {
                // try the next layout
            }
        }
        throw unknown(id);
    }

    @Override
    public void delete(String id) {
        requireCommitted(id);
        // metadata first: once it is gone the snapshot no longer exists, whatever happens next
        for (String name : List.of(names.meta(id), names.data(id), names.legacyData(id))) {
            try {
                container.getBlobClient(name).deleteIfExists();
            } catch (RuntimeException e) {
                throw errors.failure("deletion of", name, e);
            }
        }
    }

    /** {@return true: pieces are block blobs {@code PREFIXsnapshots/pieces/ID.piece}, verified like snapshot data} */
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
    public InputStream openPiece(String pieceId) throws IOException {
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

    /** Marks the store closed; the SDK's clients hold no resources of their own to release. */
    @Override
    public void close() {
        closed = true;
    }

    @Override
    public String toString() {
        return "AzureSnapshotStore[" + description + "]";
    }

    private void ensureOpen() {
        if (closed) {
            throw new PersistenceException("the Azure snapshot store " + description + " is closed");
        }
    }

    private Iterable<BlobItem> blobs() {
        try {
            return container.listBlobs(new ListBlobsOptions().setPrefix(names.base()), null).stream().toList();
        } catch (RuntimeException e) {
            throw errors.failure("listing of", names.base(), e);
        }
    }

    private void requireCommitted(String id) {
        if (!BlobNames.isWellFormedId(id)) {
            throw new PersistenceException("invalid snapshot id '" + id + "': ids are issued by the store (UUIDs)");
        }
        ensureOpen();
        boolean exists;
        try {
            exists = container.getBlobClient(names.meta(id)).exists();
        } catch (RuntimeException e) {
            throw errors.failure("lookup of", names.meta(id), e);
        }
        if (!exists) {
            throw unknown(id);
        }
    }

    private PersistenceException unknown(String id) {
        return new PersistenceException("no snapshot with id " + id + " in " + description);
    }

    /**
     * Adds the metadata of a listed snapshot to {@code readable}, or to {@code unreadable} when it
     * cannot be used. Downloaded first, then parsed: a failing request fails the listing, while a
     * document that does not parse (whatever the parser's exception) is reported.
     */
    private void readMetadata(String id, List<SnapshotMetadata> readable, List<UnreadableSnapshot> unreadable) {
        String name = names.meta(id);
        byte[] document;
        try (InputStream in = new BlobDownloadStream(container.getBlobClient(name), errors)) {
            document = in.readAllBytes();
        } catch (FileNotFoundException e) {
            return; // deleted since the listing: the snapshot is gone
        } catch (IOException e) {
            throw new PersistenceException(e.getMessage(), e);
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
        String location = "blob '" + names.meta(id) + "' in container '" + container.getBlobContainerName() + "'";
        LOG.warn("ignoring unreadable snapshot metadata {}: {}", location, reason);
        return new UnreadableSnapshot(id, location, reason);
    }

    /** A listing, not the container's properties: a SAS token for the container may list but not read those. */
    private void checkContainer() {
        try {
            container.listBlobs(new ListBlobsOptions().setPrefix(names.base()).setMaxResultsPerPage(1), null)
                    .iterableByPage().iterator().next();
        } catch (RuntimeException e) {
            if (e instanceof BlobStorageException b && b.getErrorCode() == BlobErrorCode.CONTAINER_NOT_FOUND) {
                throw new PersistenceException("Azure container '" + container.getBlobContainerName()
                        + "' does not exist (ContainerNotFound) [" + description + "]", e);
            }
            throw errors.failure("access to", null, e);
        }
    }

    /** Best effort: removes data blobs without metadata older than {@code age}. */
    private void removeLeftovers(Duration age) {
        OffsetDateTime before = OffsetDateTime.now().minus(age);
        try {
            Map<String, BlobItem> data = new HashMap<>();
            Set<String> metas = new HashSet<>();
            for (BlobItem b : blobs()) {
                String id = names.idOf(b.getName(), BlobNames.DATA);
                if (id != null) {
                    data.put(id, b);
                } else if ((id = names.idOf(b.getName(), BlobNames.META)) != null) {
                    metas.add(id);
                }
            }
            for (Map.Entry<String, BlobItem> e : data.entrySet()) {
                OffsetDateTime modified = e.getValue().getProperties().getLastModified();
                if (!metas.contains(e.getKey()) && modified != null && modified.isBefore(before)) {
                    LOG.info("removing leftover of an interrupted snapshot: blob '{}'", e.getValue().getName());
                    container.getBlobClient(e.getValue().getName()).deleteIfExists();
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("could not remove leftovers of interrupted snapshots in {}: {}", description, e.getMessage());
        }
    }
}
