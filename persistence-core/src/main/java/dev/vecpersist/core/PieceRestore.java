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
 * committed chain) and replaces the database only when all of it read, checking the result against
 * the state fingerprint the snapshot records ({@link IncrementalRestore#replace}). For an incremental
 * restore it reads only the pieces after those the database already derives from ({@link #stageFrom}),
 * checked the same way. The downloads are temporary files, removed afterwards (or, after a crash, as
 * stale temporaries).
 */
final class PieceRestore {

    private final PersistenceOptions options;
    private final ChainLoader loader;
    private final IncrementalRestore restores;

    PieceRestore(PersistenceOptions options, ChainLoader loader, IncrementalRestore restores) {
        this.options = options;
        this.loader = loader;
        this.restores = restores;
    }

    /**
     * Replaces the database with {@code snapshot}'s pieces, checked against {@code fingerprint} when not
     * null; then the database holds the state {@code target}. Returns the database's new change sequence.
     */
    long restore(SnapshotStore store, SnapshotMetadata snapshot, String fingerprint, List<String> target,
                 ProgressListener listener) {
        List<Path> downloaded = new ArrayList<>();
        try {
            List<Manifest.FileRef> refs = download(store, snapshot, 0, downloaded);
            Manifest chain = new Manifest(0, refs.get(0), refs.subList(1, refs.size()));
            long total = refs.stream().mapToLong(Manifest.FileRef::entries).sum();
            ProgressReporter progress = new ProgressReporter("load", total, listener, options.batchSize());
            progress.start("loading snapshot " + snapshot.id() + ": a base and " + (refs.size() - 1) + " delta pieces");
            ChainLoader.Staged staged = loader.stageChain(options.baseDir(), chain, progress);
            long sequence = restores.replace(staged, fingerprint, target, downloaded.get(0));
            progress.finish("loaded " + staged.entries().size() + " entries");
            return sequence;
        } catch (IOException e) {
            throw new PersistenceException("cannot restore snapshot " + snapshot.id() + ": " + e.getMessage(), e);
        } finally {
            downloaded.forEach(f -> BaseDirectory.deleteQuietly(options.fileOps(), f));
        }
    }

    /** Reads {@code snapshot}'s pieces from index {@code from} on (each checked), folded into one batch of changes. */
    ChainLoader.Changes stageFrom(SnapshotStore store, SnapshotMetadata snapshot, int from, ProgressReporter progress) {
        List<Path> downloaded = new ArrayList<>();
        try {
            return loader.stageDeltas(options.baseDir(), download(store, snapshot, from, downloaded), progress);
        } catch (IOException e) {
            throw new PersistenceException("cannot restore snapshot " + snapshot.id() + ": " + e.getMessage(), e);
        } finally {
            downloaded.forEach(f -> BaseDirectory.deleteQuietly(options.fileOps(), f));
        }
    }

    /** Downloads the pieces from index {@code from} on, each checked by size and SHA-256; adds each file to {@code downloaded}. */
    private List<Manifest.FileRef> download(SnapshotStore store, SnapshotMetadata snapshot, int from,
                                            List<Path> downloaded) throws IOException {
        List<Manifest.FileRef> refs = new ArrayList<>();
        for (int i = from; i < snapshot.pieces().size(); i++) {
            SnapshotPiece piece = snapshot.pieces().get(i);
            Path local = AtomicFile.tempSibling(options.baseDir().resolve("restore-" + snapshot.id() + "-" + i), "");
            downloaded.add(local);
            download(store, snapshot, piece, local);
            refs.add(new Manifest.FileRef(local.getFileName().toString(), snapshot.format(), snapshot.compression(),
                    piece.contentChecksum(), piece.entries(), piece.deletions(), piece.size()));
        }
        return refs;
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
