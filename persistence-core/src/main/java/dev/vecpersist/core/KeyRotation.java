package dev.vecpersist.core;

import dev.vecpersist.api.CorruptedStateException;
import dev.vecpersist.api.PersistenceException;
import dev.vecpersist.api.SnapshotMetadata;
import dev.vecpersist.api.SnapshotPiece;
import dev.vecpersist.api.SnapshotStore;
import dev.vecpersist.api.VectorEntry;
import dev.vecpersist.core.crypto.Encryption;
import dev.vecpersist.core.crypto.Envelope;
import dev.vecpersist.core.io.AtomicFile;
import dev.vecpersist.core.io.FileOps;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * Re-encrypts under the primary key what older keys (or none) encrypted: the committed chain and
 * the snapshots. Crash-safe: the chain is rewritten into new files of the next generation, checked,
 * and only then committed by the caller through the manifest (old files are deleted after the
 * commit is durable; new files a crash leaves behind are orphans the next open removes). A
 * snapshot is re-uploaded under a new id (a differential one with its pieces re-encrypted,
 * {@link PieceReencryption}) and the old one deleted after the new one is committed; a crash in
 * between leaves both, and the next rotation deletes the old copy. Not thread-safe: the manager
 * runs it under its operation lock.
 */
final class KeyRotation {

    private static final Logger LOG = LoggerFactory.getLogger(KeyRotation.class);

    private final FileOps ops;
    private final Encryption encryption;
    private final StateFileReader reader;

    KeyRotation(FileOps ops, Encryption encryption, StateFileReader reader) {
        this.ops = ops;
        this.encryption = encryption;
        this.reader = reader;
    }

    /**
     * Re-encrypts the committed chain of {@code dir} (committed through {@code commits}, which then
     * deletes the old files) and then the snapshots of {@code snapshots}, recording both in the audit log.
     *
     * @throws PersistenceException when reading or writing fails; the previous commit stays
     */
    void rotate(BaseDirectory dir, CommitPoint commits, SnapshotManager snapshots, Auditor audit) {
        try {
            if (Files.exists(dir.manifestFile())) {
                Manifest current = commits.read(true);
                commits.adopt(current);
                // above every generation on disk: a file a damaged manifest kept aside lists is never overwritten
                Manifest next = rewriteChain(current, dir.path(), commits.nextGeneration());
                if (next != null) {
                    commits.commit(next);
                    next.referencedFileNames().forEach(n -> audit.file(n, 0, 0, 0, null));
                } else {
                    commits.reseal(current); // re-seal under the primary key
                }
            }
            audit.detail("snapshotsReencrypted", rewriteSnapshots(snapshots, audit));
            audit.detail("primaryKeyId", primary());
        } catch (IOException e) {
            throw new PersistenceException("re-encryption failed, the previous commit stays: " + e.getMessage(), e);
        }
    }

    /**
     * Rewrites the chains of every version the manifest retains when any of their files is not under
     * the primary key: each chain into new files of a new generation (the older chains first, the
     * latest last, so it keeps the highest generation), and the history renumbered to them. The
     * versions keep their numbers, times and kinds: a rotation re-encrypts, it commits no new state.
     *
     * @param generation the first generation written (above every one on disk)
     * @return the manifest to commit, or null when every file already is under the primary key
     */
    Manifest rewriteChain(Manifest current, Path dir, long generation) throws IOException {
        boolean needed = false;
        for (String name : current.referencedFileNames()) {
            needed |= !primary().equals(reader.keyIdOf(dir.resolve(name)));
        }
        if (!needed) {
            return null;
        }
        List<Path> written = new ArrayList<>();
        try {
            java.util.Map<Long, Long> renamed = new java.util.HashMap<>();
            List<VersionHistory.Chain> older = new ArrayList<>();
            long next = generation;
            for (VersionHistory.Chain c : current.history().olderChains()) {
                renamed.put(c.generation(), next);
                older.add(rewrite(dir, c, next++, written));
            }
            renamed.put(current.generation(), next);
            VersionHistory.Chain latest = rewrite(dir, current.chain(), next, written);
            List<VersionHistory.Version> versions = new ArrayList<>();
            for (VersionHistory.Version v : current.history().versions()) {
                versions.add(new VersionHistory.Version(v.number(), v.time(), v.kind(), renamed.get(v.generation()),
                        v.deltas()));
            }
            return new Manifest(latest.generation(), latest.base(), latest.deltas(), new VersionHistory(versions, older));
        } catch (IOException | RuntimeException e) {
            for (Path p : written) {
                ops.deleteIfExists(p);
            }
            throw e;
        }
    }

    private VersionHistory.Chain rewrite(Path dir, VersionHistory.Chain c, long generation, List<Path> written)
            throws IOException {
        Manifest.FileRef base = rewrite(dir, c.base(), Manifest.baseFileName(generation, extension(c.base())), written);
        List<Manifest.FileRef> deltas = new ArrayList<>();
        for (int i = 0; i < c.deltas().size(); i++) {
            Manifest.FileRef d = c.deltas().get(i);
            deltas.add(rewrite(dir, d, Manifest.deltaFileName(generation, i + 1, extension(d)), written));
        }
        return new VersionHistory.Chain(generation, base, deltas);
    }

    private Manifest.FileRef rewrite(Path dir, Manifest.FileRef ref, String newName, List<Path> written) throws IOException {
        Path source = dir.resolve(ref.file());
        Path target = dir.resolve(newName);
        long bytes = reencrypt(source, target);
        written.add(target);
        // the new file must hold exactly what the manifest says before it may replace the old one
        StateFileReader.Result check = reader.read(target, StateFileReader.Expectation.ANY, true, discard(),
                new ProgressReporter("reencrypt", 0, null, Integer.MAX_VALUE), dir);
        if (!Objects.equals(check.checksum(), ref.checksum())) {
            throw new CorruptedStateException("re-encrypted content has checksum " + check.checksum()
                    + ", the manifest expects " + ref.checksum(), source, null);
        }
        return new Manifest.FileRef(newName, ref.format(), ref.compression(), ref.checksum(), ref.entries(),
                ref.deletions(), bytes);
    }

    /** Decrypts (or reads, when clear) {@code source} and writes it encrypted under the primary key, atomically. */
    private long reencrypt(Path source, Path target) throws IOException {
        try (InputStream raw = new BufferedInputStream(ops.open(source), 1 << 16);
             AtomicFile file = AtomicFile.create(ops, target)) {
            StateFileWriter.CountingOutputStream counted = new StateFileWriter.CountingOutputStream(file.stream());
            try (OutputStream sealed = encryption.encryptingStream(counted)) {
                Encryption.open(encryption, raw, source).stream().transferTo(sealed);
            }
            file.commit();
            return counted.count;
        }
    }

    /**
     * Re-uploads every full snapshot not under the primary key and re-encrypts every differential one
     * with a piece not under it ({@link PieceReencryption}), then deletes the old copies; tells the
     * manager of each replacement, and at the end deletes the pieces no snapshot references any more
     * (none while some metadata is unreadable). After a failure the manager collects them later.
     *
     * @return how many snapshots were re-encrypted
     */
    int rewriteSnapshots(SnapshotManager snapshots, Auditor audit) throws IOException {
        SnapshotStore store = snapshots.store();
        List<SnapshotMetadata> current = new ArrayList<>();
        List<SnapshotMetadata> stale = new ArrayList<>();
        List<SnapshotMetadata> differential = new ArrayList<>();
        for (SnapshotMetadata m : store.list()) {
            if (m.isDifferential()) {
                differential.add(m);
            } else {
                (primary().equals(keyIdOf(store, m)) ? current : stale).add(m);
            }
        }
        int rewritten = 0;
        try {
            for (SnapshotMetadata old : stale) {
                SnapshotMetadata copy = current.stream().filter(c -> sameSnapshot(c, old)).findFirst().orElse(null);
                if (copy == null) {
                    copy = reupload(store, old);
                    current.add(copy);
                    rewritten++;
                } else {
                    LOG.info("snapshot {} was re-encrypted before an interruption; deleting the old copy", old.id());
                }
                store.delete(old.id());
                snapshots.replaced(old, copy);
            }
            PieceReencryption pieces = new PieceReencryption(encryption, store);
            try {
                rewritten += pieces.rewrite(differential, snapshots::replaced);
            } finally {
                audit.detail("piecesReencrypted", pieces.piecesWritten());
            }
        } catch (IOException | RuntimeException e) {
            snapshots.piecesLeftUnreferenced(); // the old pieces, or new ones no committed copy lists yet
            throw e;
        }
        snapshots.collectPieces(store);
        return rewritten;
    }

    private SnapshotMetadata reupload(SnapshotStore store, SnapshotMetadata old) throws IOException {
        MessageDigest sha = sha256();
        try (SnapshotStore.Upload upload = store.begin();
             InputStream raw = new BufferedInputStream(store.open(old.id()), 1 << 16)) {
            StateFileWriter.CountingOutputStream counted =
                    new StateFileWriter.CountingOutputStream(new DigestOutputStream(upload.data(), sha));
            OutputStream sealed = encryption.encryptingStream(StateFileWriter.unclosable(counted));
            Encryption.open(encryption, raw, Path.of("snapshot " + old.id())).stream().transferTo(sealed);
            sealed.close(); // writes the last segment; the store's stream stays open until commit
            return upload.commit(new SnapshotMetadata(upload.id(), old.name(), old.timestamp(), old.vectorCount(),
                    old.dimension(), old.format(), old.compression(), counted.count,
                    HexFormat.of().formatHex(sha.digest()), old.metadata()));
        }
    }

    /**
     * Whether {@code a} and {@code b} are copies of one snapshot (one re-encrypted, committed before an
     * interruption kept the other from being deleted): same name, time, count and metadata (which
     * holds the state fingerprint), and for differential ones pieces of the same kinds, counts and
     * content checksums in the same order (their ids and stored bytes differ).
     */
    static boolean sameSnapshot(SnapshotMetadata a, SnapshotMetadata b) {
        if (!a.timestamp().equals(b.timestamp()) || !Objects.equals(a.name(), b.name())
                || a.vectorCount() != b.vectorCount() || !a.metadata().equals(b.metadata())
                || a.pieces().size() != b.pieces().size()) {
            return false;
        }
        for (int i = 0; i < a.pieces().size(); i++) {
            SnapshotPiece p = a.pieces().get(i);
            SnapshotPiece q = b.pieces().get(i);
            if (p.kind() != q.kind() || p.entries() != q.entries() || p.deletions() != q.deletions()
                    || !p.contentChecksum().equals(q.contentChecksum())) {
                return false;
            }
        }
        return true;
    }

    private static String keyIdOf(SnapshotStore store, SnapshotMetadata m) throws IOException {
        try (InputStream in = new BufferedInputStream(store.open(m.id()), Envelope.MAX_LENGTH)) {
            return Envelope.readKeyId(in, Path.of("snapshot " + m.id()));
        }
    }

    private String primary() {
        return encryption.keys().primaryId();
    }

    private static String extension(Manifest.FileRef ref) {
        return ref.file().substring(ref.file().indexOf('.') + 1);
    }

    private static StateFileReader.Consumer discard() {
        return new StateFileReader.Consumer() {
            @Override
            public void entry(VectorEntry entry) {
            }

            @Override
            public void deletion(String id) {
            }
        };
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new PersistenceException("the JDK lacks SHA-256", e);
        }
    }
}
