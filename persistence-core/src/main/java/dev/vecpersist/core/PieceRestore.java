package dev.vecpersist.core;

import dev.vecpersist.api.CorruptedStateException;
import dev.vecpersist.api.PersistenceException;
import dev.vecpersist.api.ProgressListener;
import dev.vecpersist.api.SnapshotMetadata;
import dev.vecpersist.api.SnapshotPiece;
import dev.vecpersist.api.SnapshotStore;
import dev.vecpersist.core.io.AtomicFile;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Restores a differential snapshot, all or nothing: downloads each of its pieces beside the base
 * directory, checks every one against the size and SHA-256 the snapshot lists, then replays base and
 * deltas through the {@link ChainLoader} (which checks each piece's content checksum, as for a
 * committed chain) and replaces the database only when all of it read. The downloads are temporary
 * files, removed afterwards (or, after a crash, as stale temporaries).
 */
final class PieceRestore {

    private final PersistenceOptions options;
    private final ChainLoader loader;

    PieceRestore(PersistenceOptions options, ChainLoader loader) {
        this.options = options;
        this.loader = loader;
    }

    /** Replaces the database with {@code snapshot}'s pieces; returns the database's new change sequence. */
    long restore(SnapshotStore store, SnapshotMetadata snapshot, ProgressListener listener) {
        List<Path> downloaded = new ArrayList<>();
        try {
            List<Manifest.FileRef> refs = new ArrayList<>();
            for (int i = 0; i < snapshot.pieces().size(); i++) {
                SnapshotPiece piece = snapshot.pieces().get(i);
                Path local = AtomicFile.tempSibling(options.baseDir().resolve("restore-" + snapshot.id() + "-" + i), "");
                downloaded.add(local);
                download(store, snapshot, piece, local);
                refs.add(new Manifest.FileRef(local.getFileName().toString(), snapshot.format(), snapshot.compression(),
                        piece.contentChecksum(), piece.entries(), piece.deletions(), piece.size()));
            }
            Manifest chain = new Manifest(0, refs.get(0), refs.subList(1, refs.size()));
            return loader.loadChain(options.baseDir(), chain, listener);
        } catch (IOException e) {
            throw new PersistenceException("cannot restore snapshot " + snapshot.id() + ": " + e.getMessage(), e);
        } finally {
            downloaded.forEach(f -> BaseDirectory.deleteQuietly(options.fileOps(), f));
        }
    }

    private static void download(SnapshotStore store, SnapshotMetadata snapshot, SnapshotPiece piece, Path local)
            throws IOException {
        MessageDigest sha = Sha256.newDigest();
        long size;
        try (InputStream in = store.openPiece(piece.id());
             OutputStream file = Files.newOutputStream(local, StandardOpenOption.CREATE_NEW);
             DigestOutputStream digest = new DigestOutputStream(file, sha)) {
            size = in.transferTo(digest);
        }
        String actual = HexFormat.of().formatHex(sha.digest());
        if (size != piece.size() || !actual.equalsIgnoreCase(piece.sha256())) {
            throw new CorruptedStateException("piece " + piece.id() + " (" + piece.kind() + ") of snapshot "
                    + snapshot.id() + " is damaged: " + size + " bytes with SHA-256 " + actual + ", expected "
                    + piece.size() + " bytes with SHA-256 " + piece.sha256(), null, null);
        }
    }
}
