package dev.vecpersist.store.azure;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.ListBlobsOptions;
import dev.vecpersist.api.PersistenceException;
import dev.vecpersist.api.SnapshotIds;
import dev.vecpersist.api.SnapshotStore;

import java.io.BufferedInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The pieces of an {@link AzureSnapshotStore}: block blobs {@code PREFIXsnapshots/pieces/ID.piece},
 * uploaded like snapshot data (one block in memory, each with its MD5) and verified by the store's
 * {@link BlobVerifier} (size, and by default the SHA-256 read back) before
 * {@link SnapshotStore.PieceUpload#commit} returns; an upload closed without commit, or failing,
 * deletes whatever became visible. Thread-safe.
 */
final class AzurePieces {

    private final BlobContainerClient container;
    private final BlobNames names;
    private final AzureErrors errors;
    private final BlobVerifier verifier;
    private final int blockSize;
    private final String description;

    AzurePieces(BlobContainerClient container, BlobNames names, AzureErrors errors, BlobVerifier verifier,
                int blockSize, String description) {
        this.container = container;
        this.names = names;
        this.errors = errors;
        this.verifier = verifier;
        this.blockSize = blockSize;
        this.description = description;
    }

    SnapshotStore.PieceUpload begin() {
        return new PieceUpload(SnapshotIds.newId());
    }

    InputStream open(String pieceId) throws IOException {
        String name = names.piece(requireWellFormed(pieceId));
        try {
            return new BufferedInputStream(new BlobDownloadStream(container.getBlobClient(name), errors), 1 << 16);
        } catch (FileNotFoundException e) {
            throw unknown(pieceId);
        }
    }

    void delete(String pieceId) {
        String name = names.piece(requireWellFormed(pieceId));
        boolean deleted;
        try {
            deleted = container.getBlobClient(name).deleteIfExists();
        } catch (RuntimeException e) {
            throw errors.failure("deletion of", name, e);
        }
        if (!deleted) {
            throw unknown(pieceId);
        }
    }

    List<String> list() {
        List<String> ids = new ArrayList<>();
        try {
            for (BlobItem b : container.listBlobs(new ListBlobsOptions().setPrefix(names.pieces()), null)) {
                String id = names.idOfPiece(b.getName());
                if (id != null) {
                    ids.add(id);
                }
            }
        } catch (RuntimeException e) {
            throw errors.failure("listing of", names.pieces(), e);
        }
        return ids;
    }

    private static String requireWellFormed(String pieceId) {
        if (!SnapshotIds.isWellFormed(pieceId)) {
            throw new PersistenceException("invalid piece id '" + pieceId + "': ids are issued by the store (UUIDs)");
        }
        return pieceId;
    }

    private PersistenceException unknown(String pieceId) {
        return new PersistenceException("no piece with id " + pieceId + " in " + description);
    }

    private final class PieceUpload implements SnapshotStore.PieceUpload {
        private final String id;
        private BlockUploadStream data;
        private boolean committed;

        PieceUpload(String id) {
            this.id = id;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public OutputStream data() {
            if (data == null) {
                data = new BlockUploadStream(container.getBlobClient(names.piece(id)).getBlockBlobClient(), errors,
                        blockSize);
            }
            return data;
        }

        @Override
        public void commit(long size, String sha256) {
            data();
            data.complete();
            if (data.size() != size || !data.sha256Hex().equalsIgnoreCase(sha256)) {
                throw new PersistenceException("piece " + id + ": " + data.size() + " bytes with SHA-256 "
                        + data.sha256Hex() + " were sent, the caller says " + size + " bytes with SHA-256 " + sha256);
            }
            verifier.verify(names.piece(id), data.size(), data.sha256Hex());
            committed = true;
        }

        @Override
        public void close() {
            if (committed || data == null || !data.blobMayExist()) {
                return;
            }
            try {
                container.getBlobClient(names.piece(id)).deleteIfExists();
            } catch (RuntimeException e) {
                if (!AzureErrors.isGone(e)) {
                    throw errors.failure("deletion of", names.piece(id), e);
                }
            }
        }
    }
}
