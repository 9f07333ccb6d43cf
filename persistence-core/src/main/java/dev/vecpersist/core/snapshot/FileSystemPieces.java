package dev.vecpersist.core.snapshot;

import dev.vecpersist.api.PersistenceException;
import dev.vecpersist.api.SnapshotIds;
import dev.vecpersist.api.SnapshotStore;
import dev.vecpersist.core.io.AtomicFile;
import dev.vecpersist.core.io.Directories;
import dev.vecpersist.core.io.FileOps;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The pieces of a {@link FileSystemSnapshotStore}: {@code pieces/ID.piece} under the store's
 * directory, each written to a temporary sibling, fsynced and renamed into place by
 * {@link SnapshotStore.PieceUpload#commit}, so a piece either exists whole or not at all. Ids are
 * random UUIDs; no other string becomes a path. Thread-safe.
 */
final class FileSystemPieces {

    private static final Logger LOG = LoggerFactory.getLogger(FileSystemPieces.class);
    private static final String PIECE = ".piece";

    private final Path dir;
    private final FileOps ops;

    /** @param storeDir the store's directory; pieces live in its {@code pieces} subdirectory */
    FileSystemPieces(Path storeDir, FileOps ops) {
        this.dir = storeDir.resolve("pieces");
        this.ops = ops;
    }

    SnapshotStore.PieceUpload begin() {
        return new PieceFileUpload(SnapshotIds.newId());
    }

    InputStream open(String pieceId) throws IOException {
        return new BufferedInputStream(ops.open(requireExisting(pieceId)), 1 << 16);
    }

    void delete(String pieceId) throws IOException {
        ops.deleteIfExists(requireExisting(pieceId));
        ops.syncDirectory(dir); // only when a piece is deleted: collecting unreferenced pieces, not in a snapshot's commit
    }

    List<String> list() throws IOException {
        List<String> ids = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return ids;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + PIECE)) {
            for (Path f : files) {
                String id = f.getFileName().toString().replace(PIECE, "");
                if (SnapshotIds.isWellFormed(id)) {
                    ids.add(id);
                }
            }
        }
        return ids;
    }

    /** Removes the temporary files of piece uploads a crash interrupted (only the directory's owner calls this). */
    void removeLeftovers() throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                if (AtomicFile.isTemp(f)) {
                    LOG.info("removing leftover of an interrupted piece upload: {}", f);
                    ops.deleteIfExists(f);
                }
            }
        }
    }

    private Path requireExisting(String pieceId) {
        if (!SnapshotIds.isWellFormed(pieceId)) {
            throw new PersistenceException("invalid piece id '" + pieceId + "': ids are issued by the store (UUIDs)");
        }
        Path file = dir.resolve(pieceId + PIECE);
        if (!Files.isRegularFile(file)) {
            throw new PersistenceException("no piece with id " + pieceId + " in " + dir);
        }
        return file;
    }

    private final class PieceFileUpload implements SnapshotStore.PieceUpload {
        private final String id;
        private AtomicFile file;
        private OutputStream stream;
        private long written;

        PieceFileUpload(String id) {
            this.id = id;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public OutputStream data() throws IOException {
            if (file == null) {
                Directories.createDurably(ops, dir);
                file = AtomicFile.create(ops, dir.resolve(id + PIECE));
                stream = new FilterOutputStream(file.stream()) {
                    @Override
                    public void write(byte[] b, int off, int len) throws IOException {
                        out.write(b, off, len);
                        written += len;
                    }

                    @Override
                    public void write(int b) throws IOException {
                        out.write(b);
                        written++;
                    }
                };
            }
            return stream;
        }

        /** Checks the size (the bytes were written locally, through this stream), then fsyncs and renames. */
        @Override
        public void commit(long size, String sha256) throws IOException {
            data();
            stream.flush();
            if (written != size) {
                throw new PersistenceException("piece " + id + ": " + written + " bytes were written, the caller says "
                        + size, dir.resolve(id + PIECE), null);
            }
            // fsyncs the piece's content, renames it, fsyncs pieces/: the piece and its name are durable
            // before the snapshot that references it commits (a separate directory: no later fsync covers it)
            file.commit();
        }

        @Override
        public void close() throws IOException {
            if (file != null) {
                file.close();
            }
        }
    }
}
