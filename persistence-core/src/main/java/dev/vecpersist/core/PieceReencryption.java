package dev.vecpersist.core;

import dev.vecpersist.api.CorruptedStateException;
import dev.vecpersist.api.PersistenceException;
import dev.vecpersist.api.SnapshotMetadata;
import dev.vecpersist.api.SnapshotPiece;
import dev.vecpersist.api.SnapshotStore;
import dev.vecpersist.core.crypto.Encryption;
import dev.vecpersist.core.crypto.Envelope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Re-encrypts differential snapshots under the primary key, for {@link KeyRotation}. A snapshot with
 * any piece not under the primary key gets a new copy: each such piece is re-encrypted once into a
 * new piece (pieces are shared: the copies of all snapshots that list it use the same new one),
 * checked and committed before anything references it; then a snapshot with a new id, the same
 * name, time, counts and metadata, and the re-encrypted pieces in place of the old ones is
 * committed; only then is the old snapshot deleted. The old pieces stay until the caller collects
 * the pieces no snapshot references ({@link PieceCollector}). A crash leaves at worst both copies
 * of a snapshot (both restore, since the older key is still configured), or new pieces nothing
 * references: the next rotation deletes the old copy ({@link KeyRotation#sameSnapshot}) and the
 * collection the unreferenced pieces.
 *
 * <p>Every piece is streamed, never held in memory: the old one is checked against the size and
 * SHA-256 its snapshot lists while it is decrypted, the new one is read back after its commit and
 * must hold the same size and SHA-256 as written and decrypt to exactly the same plaintext. Not
 * thread-safe: one instance serves one rotation, under the manager's lock.
 */
final class PieceReencryption {

    private static final Logger LOG = LoggerFactory.getLogger(PieceReencryption.class);

    private final Encryption encryption;
    private final SnapshotStore store;
    /** Old piece id to the piece holding the same plaintext under the primary key, for this rotation. */
    private final Map<String, SnapshotPiece> replacements = new HashMap<>();
    /** The key id of each piece read so far (null: in clear). */
    private final Map<String, String> keyIds = new HashMap<>();
    private int piecesWritten;

    PieceReencryption(Encryption encryption, SnapshotStore store) {
        this.encryption = encryption;
        this.store = store;
    }

    /**
     * Re-encrypts every snapshot of {@code differential} that has a piece not under the primary key,
     * or deletes it when a copy of it already is (an earlier rotation stopped before the delete).
     * Reads the key id of every piece before it changes anything, so a missing piece stops it early.
     *
     * @param differential the store's differential snapshots, as listed (with the metadata as stored)
     * @param replaced     told of each old snapshot and its copy under the primary key, once the old one is deleted
     * @return how many snapshots got a new copy
     * @throws IOException when the store fails; what was committed stays, and the next rotation goes on from there
     */
    int rewrite(List<SnapshotMetadata> differential, BiConsumer<SnapshotMetadata, SnapshotMetadata> replaced)
            throws IOException {
        List<SnapshotMetadata> current = new ArrayList<>();
        List<SnapshotMetadata> stale = new ArrayList<>();
        for (SnapshotMetadata m : differential) {
            (underPrimary(m) ? current : stale).add(m);
        }
        // first the old copies of snapshots copied before an interruption: their copies' pieces serve the others
        for (SnapshotMetadata old : List.copyOf(stale)) {
            SnapshotMetadata copy = current.stream().filter(c -> KeyRotation.sameSnapshot(c, old)).findFirst().orElse(null);
            if (copy != null) {
                LOG.info("differential snapshot {} was re-encrypted as {} before an interruption; deleting the old copy",
                        old.id(), copy.id());
                for (int i = 0; i < old.pieces().size(); i++) {
                    if (!old.pieces().get(i).id().equals(copy.pieces().get(i).id())) {
                        replacements.putIfAbsent(old.pieces().get(i).id(), copy.pieces().get(i));
                    }
                }
                store.delete(old.id());
                stale.remove(old);
                replaced.accept(old, copy);
            }
        }
        for (SnapshotMetadata old : stale) {
            SnapshotMetadata copy = reupload(old);
            store.delete(old.id());
            replaced.accept(old, copy);
        }
        return stale.size();
    }

    /** {@return how many pieces this rotation re-encrypted} */
    int piecesWritten() {
        return piecesWritten;
    }

    private boolean underPrimary(SnapshotMetadata m) throws IOException {
        boolean all = true;
        for (SnapshotPiece p : m.pieces()) {
            all &= primary().equals(keyIdOf(m, p)); // reads every piece's envelope: a missing one fails here
        }
        return all;
    }

    /** Commits a copy of {@code old} whose pieces are all under the primary key. */
    private SnapshotMetadata reupload(SnapshotMetadata old) throws IOException {
        List<SnapshotPiece> pieces = new ArrayList<>();
        for (SnapshotPiece p : old.pieces()) {
            SnapshotPiece now = primary().equals(keyIdOf(old, p)) ? p : replacements.get(p.id());
            if (now == null) {
                now = reencrypt(old, p);
                replacements.put(p.id(), now);
            }
            pieces.add(now);
        }
        try (SnapshotStore.Upload upload = store.begin()) {
            upload.data(); // the state is in the pieces: the snapshot's own data is empty
            return upload.commit(new SnapshotMetadata(upload.id(), old.name(), old.timestamp(), old.vectorCount(),
                    old.dimension(), old.format(), old.compression(), 0, Sha256.EMPTY, old.metadata(), pieces));
        }
    }

    /** Writes {@code old}'s plaintext into a new piece under the primary key, durable and checked when it returns. */
    private SnapshotPiece reencrypt(SnapshotMetadata owner, SnapshotPiece old) throws IOException {
        MessageDigest written = Sha256.newDigest();
        byte[] plaintext;
        SnapshotPiece now;
        try (SnapshotStore.PieceUpload upload = store.beginPiece()) {
            StateFileWriter.CountingOutputStream counted =
                    new StateFileWriter.CountingOutputStream(new DigestOutputStream(upload.data(), written));
            OutputStream sealed = encryption.encryptingStream(StateFileWriter.unclosable(counted));
            plaintext = readChecked(owner, old, sealed); // throws before the commit: the upload is then removed
            sealed.close(); // writes the last segment; the store's stream stays open until commit
            String sha = HexFormat.of().formatHex(written.digest());
            upload.commit(counted.count, sha);
            now = new SnapshotPiece(upload.id(), old.kind(), old.entries(), old.deletions(), counted.count, sha,
                    old.contentChecksum());
        }
        try {
            byte[] readBack = readChecked(owner, now, OutputStream.nullOutputStream());
            if (!MessageDigest.isEqual(readBack, plaintext)) {
                throw new CorruptedStateException("piece " + now.id() + ", the re-encryption of piece " + old.id()
                        + " of snapshot " + owner.id() + ", decrypts to other content than the old piece", null, null);
            }
        } catch (IOException | RuntimeException e) {
            deleteQuietly(now); // committed but referenced by nothing yet
            throw e;
        }
        piecesWritten++;
        LOG.debug("piece {} of snapshot {} re-encrypted as {}", old.id(), owner.id(), now.id());
        return now;
    }

    /**
     * Streams {@code piece}'s plaintext into {@code out}, checking its stored bytes against the size and
     * SHA-256 listed (and, when encrypted, their authentication).
     *
     * @return the SHA-256 of the plaintext
     * @throws CorruptedStateException when the stored bytes are not those listed, or fail authentication
     */
    private byte[] readChecked(SnapshotMetadata owner, SnapshotPiece piece, OutputStream out) throws IOException {
        MessageDigest stored = Sha256.newDigest();
        MessageDigest plain = Sha256.newDigest();
        long size;
        try (CountingInputStream counted = new CountingInputStream(store.openPiece(piece.id()));
             InputStream raw = new BufferedInputStream(new DigestInputStream(counted, stored), 1 << 16)) {
            Encryption.open(encryption, raw, where(owner, piece)).stream().transferTo(new DigestOutputStream(out, plain));
            raw.transferTo(OutputStream.nullOutputStream()); // the size and digest cover every stored byte
            size = counted.count;
        }
        String actual = HexFormat.of().formatHex(stored.digest());
        if (size != piece.size() || !actual.equalsIgnoreCase(piece.sha256())) {
            throw new CorruptedStateException("piece " + piece.id() + " (" + piece.kind() + ") of snapshot " + owner.id()
                    + " is damaged: " + size + " bytes with SHA-256 " + actual + ", expected " + piece.size()
                    + " bytes with SHA-256 " + piece.sha256() + "; nothing was re-encrypted from it", null, null);
        }
        return plain.digest();
    }

    private String keyIdOf(SnapshotMetadata owner, SnapshotPiece piece) throws IOException {
        if (!keyIds.containsKey(piece.id())) {
            try (InputStream in = new BufferedInputStream(store.openPiece(piece.id()), Envelope.MAX_LENGTH)) {
                keyIds.put(piece.id(), Envelope.readKeyId(in, where(owner, piece)));
            } catch (IOException | PersistenceException e) {
                throw new PersistenceException("cannot read piece " + piece.id() + " of snapshot " + owner.id()
                        + " to re-encrypt it (restore the piece or delete that snapshot): " + e.getMessage(), e);
            }
        }
        return keyIds.get(piece.id());
    }

    private void deleteQuietly(SnapshotPiece piece) {
        try {
            store.deletePiece(piece.id());
        } catch (IOException | RuntimeException e) {
            LOG.warn("could not delete piece {} of a failed re-encryption (the next collection does): {}", piece.id(),
                    e.getMessage());
        }
    }

    private String primary() {
        return encryption.keys().primaryId();
    }

    private static Path where(SnapshotMetadata owner, SnapshotPiece piece) {
        return Path.of("piece " + piece.id() + " of snapshot " + owner.id());
    }

    /** Counts the bytes read through it. */
    private static final class CountingInputStream extends FilterInputStream {
        long count;

        CountingInputStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            count += b < 0 ? 0 : 1;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            count += Math.max(n, 0);
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(n);
            count += skipped;
            return skipped;
        }
    }
}
