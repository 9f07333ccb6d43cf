package dev.vecpersist.store.s3;

import dev.vecpersist.api.PersistenceException;
import dev.vecpersist.api.SnapshotIds;
import dev.vecpersist.api.SnapshotStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The pieces of an {@link S3SnapshotStore}: {@code PREFIXsnapshots/pieces/ID.piece}, uploaded like
 * snapshot data (multipart, one part in memory) and verified by the store's {@link UploadVerifier}
 * (size and SHA-256) before {@link SnapshotStore.PieceUpload#commit} returns; an upload closed
 * without commit, or failing, is aborted and whatever it wrote deleted. Thread-safe.
 */
final class S3Pieces {

    private static final Logger LOG = LoggerFactory.getLogger(S3Pieces.class);

    private final S3Client s3;
    private final BucketObjects objects;
    private final SnapshotKeys keys;
    private final int partSize;
    private final boolean checksums;
    private final UploadVerifier verifier;
    private final String description;

    S3Pieces(S3Client s3, BucketObjects objects, SnapshotKeys keys, int partSize, boolean checksums,
             UploadVerifier verifier, String description) {
        this.s3 = s3;
        this.objects = objects;
        this.keys = keys;
        this.partSize = partSize;
        this.checksums = checksums;
        this.verifier = verifier;
        this.description = description;
    }

    SnapshotStore.PieceUpload begin() {
        return new PieceUpload(SnapshotIds.newId());
    }

    InputStream open(String pieceId) {
        InputStream in = objects.get(keys.piece(requireWellFormed(pieceId)));
        if (in == null) {
            throw unknown(pieceId);
        }
        return in;
    }

    void delete(String pieceId) {
        String key = keys.piece(requireWellFormed(pieceId));
        if (!objects.exists(key)) {
            throw unknown(pieceId);
        }
        objects.delete(key);
    }

    List<String> list() {
        List<String> ids = new ArrayList<>();
        try {
            for (S3Object o : s3.listObjectsV2Paginator(r -> r.bucket(objects.bucket()).prefix(keys.pieces())).contents()) {
                String id = keys.idOfPiece(o.key());
                if (id != null) {
                    ids.add(id);
                }
            }
        } catch (SdkException e) {
            throw objects.errors().failure("listing of", keys.pieces(), e);
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
        private MultipartUploadStream data;
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
                data = new MultipartUploadStream(s3, objects.errors(), objects.bucket(), keys.piece(id), partSize, checksums);
            }
            return data;
        }

        @Override
        public void commit(long size, String sha256) {
            data();
            data.complete();
            UploadDigests digests = data.digests();
            String sent = digests.sha256Hex(); // once: it finishes the digest
            if (digests.size() != size || !sent.equalsIgnoreCase(sha256)) {
                throw new PersistenceException("piece " + id + ": " + digests.size() + " bytes with SHA-256 " + sent
                        + " were sent, the caller says " + size + " bytes with SHA-256 " + sha256);
            }
            verifier.verify(keys.piece(id), digests.size(), sent, digests.serverChecksum(sent));
            committed = true;
        }

        @Override
        public void close() {
            if (committed || data == null) {
                return;
            }
            try {
                data.abort();
            } catch (SdkException e) {
                LOG.warn("could not abort the upload of piece s3://{}/{}: {}", objects.bucket(), keys.piece(id),
                        e.getMessage());
            }
            if (data.objectMayExist()) {
                objects.deleteLeftover(keys.piece(id));
            }
        }
    }
}
