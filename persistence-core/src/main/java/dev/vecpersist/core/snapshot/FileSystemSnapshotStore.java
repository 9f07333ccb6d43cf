package dev.vecpersist.core.snapshot;

import dev.vecpersist.api.PersistenceException;
import dev.vecpersist.api.SnapshotIds;
import dev.vecpersist.api.SnapshotMetadata;
import dev.vecpersist.api.SnapshotListing;
import dev.vecpersist.api.SnapshotStore;
import dev.vecpersist.core.io.AtomicFile;
import dev.vecpersist.core.io.Directories;
import dev.vecpersist.core.io.FileOps;
import dev.vecpersist.json.SnapshotMetadataJson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Snapshots as files in one directory: {@code ID.data} holds the state, {@code ID.meta.json} its
 * {@link SnapshotMetadata}. The metadata file is written last, atomically, and with the data file
 * is what makes a snapshot exist: a crash before it leaves only an orphan data file, and a power loss
 * before the directory fsync that ends a commit may leave an orphan metadata file (see
 * {@link SnapshotStore.Upload#commit}); {@link #list()} ignores both ({@link #listing()} reports an
 * orphan metadata file, as it does any it cannot read) and {@link #openAsOwner} removes them. The pieces of differential snapshots are {@code pieces/ID.piece} ({@link FileSystemPieces}).
 * Also reads the reference module's snapshots ({@code ID.json}).
 *
 * <p>Only the owner of the base directory (the manager holding its lock) removes leftovers: a store
 * opened with the constructor never deletes anything it did not write itself, so read-only tools
 * (listing, inspecting) cannot destroy a snapshot another process is writing.
 *
 * <p>Ids are random UUIDs issued by {@link #begin()}; any other string is rejected before a path is
 * built from it. Thread-safe.
 */
public final class FileSystemSnapshotStore implements SnapshotStore {

    /** The name users select this store by. */
    public static final String NAME = "filesystem";
    /** The setting that names the directory to keep snapshots in. */
    public static final String DIR_SETTING = "dir";

    private static final Logger LOG = LoggerFactory.getLogger(FileSystemSnapshotStore.class);
    private static final String DATA = ".data";
    private static final String META = ".meta.json";
    private static final String LEGACY_DATA = ".json";

    private static final Comparator<SnapshotMetadataJson.Stored> NEWEST_FIRST =
            Comparator.comparing((SnapshotMetadataJson.Stored s) -> s.sequence() >= 0)
                    .thenComparingLong(SnapshotMetadataJson.Stored::sequence)
                    .thenComparing(s -> s.metadata().timestamp())
                    .thenComparing(s -> s.metadata().id())
                    .reversed();

    private final Path dir;
    private final FileOps ops;
    private final FileSystemPieces pieces;
    /** The highest creation sequence this store issued, or 0. */
    private long lastSequence;

    /**
     * Opens the store in {@code dir} without removing anything: safe beside a process that is
     * writing snapshots there. The directory is created by the first snapshot.
     *
     * @param dir the store's directory, e.g. {@code baseDir/snapshots}
     * @param ops the file operations to write with
     * @throws IOException never in this version; kept for callers written against earlier ones
     */
    public FileSystemSnapshotStore(Path dir, FileOps ops) throws IOException {
        this.dir = dir.toAbsolutePath().normalize();
        this.ops = ops;
        this.pieces = new FileSystemPieces(this.dir, ops);
    }

    /**
     * Opens the store for the owner of its base directory (the holder of the directory lock): creates
     * the directory and removes leftovers of interrupted snapshots, which only the owner can know
     * are not in progress.
     *
     * @param dir the store's directory, e.g. {@code baseDir/snapshots}
     * @param ops the file operations to write with
     * @return the store
     * @throws IOException when the directory cannot be created or scanned
     */
    public static FileSystemSnapshotStore openAsOwner(Path dir, FileOps ops) throws IOException {
        FileSystemSnapshotStore store = new FileSystemSnapshotStore(dir, ops);
        Directories.createDurably(ops, store.dir);
        store.removeLeftovers();
        store.pieces.removeLeftovers();
        return store;
    }

    /**
     * Tells whether a string has the shape of an id this store issues (a lower-case UUID): the rule
     * of {@link SnapshotIds#isWellFormed}, which every store shares.
     *
     * @param id the string, possibly null
     * @return true when it is well formed
     */
    public static boolean isWellFormedId(String id) {
        return SnapshotIds.isWellFormed(id);
    }

    @Override
    public Upload begin() throws IOException {
        return new FileUpload(SnapshotIds.newId());
    }

    /**
     * Newest first by the creation sequence this store assigns; documents of older versions carry
     * none and count as older than every sequenced one, ordered among themselves by time, then id.
     */
    @Override
    public List<SnapshotMetadata> list() throws IOException {
        return listing().snapshots();
    }

    private MetadataScan scan() throws IOException {
        return MetadataScan.of(dir, META, DATA, id -> dataFile(id) != null);
    }

    /**
     * Also reports every {@code ID.meta.json} it cannot use: unreadable (damaged, truncated, of an
     * unknown version, failing to read), naming another id, or without its data file.
     */
    @Override
    public SnapshotListing listing() throws IOException {
        MetadataScan scan = scan();
        return new SnapshotListing(scan.stored().stream().sorted(NEWEST_FIRST).map(SnapshotMetadataJson.Stored::metadata)
                .toList(), scan.unreadable());
    }

    /** The next creation sequence: above every one on disk and every one this store issued. */
    private synchronized long nextSequence() throws IOException {
        long highest = lastSequence;
        for (SnapshotMetadataJson.Stored s : scan().stored()) {
            highest = Math.max(highest, s.sequence());
        }
        lastSequence = highest + 1;
        return lastSequence;
    }

    @Override
    public InputStream open(String id) throws IOException {
        Path data = requireExisting(id);
        return new BufferedInputStream(ops.open(data), 1 << 16);
    }

    @Override
    public void delete(String id) throws IOException {
        Path data = requireExisting(id);
        // metadata first: once it is gone the snapshot no longer exists, whatever happens next
        ops.deleteIfExists(dir.resolve(id + META));
        ops.deleteIfExists(data);
        // the deletion is durable before anyone deletes the pieces only this snapshot referenced, so a
        // power loss cannot bring back a snapshot whose pieces are gone
        ops.syncDirectory(dir);
    }

    /** {@return true: pieces live in {@code pieces/ID.piece} under the store's directory} */
    @Override
    public boolean supportsPieces() {
        return true;
    }

    @Override
    public PieceUpload beginPiece() {
        return pieces.begin();
    }

    @Override
    public InputStream openPiece(String pieceId) throws IOException {
        return pieces.open(pieceId);
    }

    @Override
    public void deletePiece(String pieceId) throws IOException {
        pieces.delete(pieceId);
    }

    @Override
    public List<String> listPieces() throws IOException {
        return pieces.list();
    }

    @Override
    public void close() {
    }

    @Override
    public String toString() {
        return "FileSystemSnapshotStore[" + dir + "]";
    }

    private Path requireExisting(String id) {
        if (!isWellFormedId(id)) {
            throw new PersistenceException("invalid snapshot id '" + id + "': ids are issued by the store (UUIDs)");
        }
        Path data = dataFile(id);
        if (data == null || !Files.exists(dir.resolve(id + META))) {
            throw new PersistenceException("no snapshot with id " + id + " in " + dir);
        }
        return data;
    }

    private Path dataFile(String id) {
        Path data = dir.resolve(id + DATA);
        if (Files.isRegularFile(data)) {
            return data;
        }
        Path legacy = dir.resolve(id + LEGACY_DATA);
        return Files.isRegularFile(legacy) ? legacy : null;
    }

    private void removeLeftovers() throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                boolean orphanData = name.endsWith(DATA) && isWellFormedId(name.replace(DATA, ""))
                        && !Files.exists(dir.resolve(name.replace(DATA, META)));
                // a commit's metadata whose data's name a power loss lost (both names share one directory fsync)
                boolean orphanMeta = name.endsWith(META) && isWellFormedId(name.replace(META, ""))
                        && dataFile(name.replace(META, "")) == null;
                if (AtomicFile.isTemp(f) || orphanData || orphanMeta) {
                    LOG.info("removing leftover of an interrupted snapshot: {}", f);
                    ops.deleteIfExists(f);
                }
            }
        }
    }

    private final class FileUpload implements Upload {
        private final String id;
        private AtomicFile data;
        private OutputStream stream;
        private boolean committed;

        FileUpload(String id) {
            this.id = id;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public OutputStream data() throws IOException {
            if (data == null) {
                Directories.createDurably(ops, dir);
                data = AtomicFile.create(ops, dir.resolve(id + DATA));
                stream = data.stream();
            }
            return stream;
        }

        @Override
        public SnapshotMetadata commit(SnapshotMetadata metadata) throws IOException {
            if (!id.equals(metadata.id())) {
                throw new IllegalArgumentException("metadata id " + metadata.id() + " is not the upload's id " + id);
            }
            data();
            stream.flush();
            // fsync 1: the data's content, before its rename; its name is made durable by fsync 3
            data.commitLeavingNameToSync();
            try (AtomicFile meta = AtomicFile.create(ops, dir.resolve(id + META))) {
                try (OutputStream out = new BufferedOutputStream(meta.stream())) {
                    SnapshotMetadataJson.write(metadata, nextSequence(), out);
                }
                // fsync 2: the metadata's content, before its rename; fsync 3: the directory, after it,
                // making both names durable at once. A power loss before fsync 3 may keep the metadata's
                // name without the data's: list() needs both, so the snapshot stays invisible (and the
                // owner removes the orphan metadata), never half there
                meta.commit();
            }
            committed = true;
            return metadata;
        }

        @Override
        public void close() throws IOException {
            if (committed) {
                return;
            }
            try {
                if (data != null) {
                    data.close();
                }
            } finally {
                ops.deleteIfExists(dir.resolve(id + DATA));
            }
        }
    }

    /**
     * Registers this store under the name {@value #NAME}; it lives in the directory of the setting
     * {@value #DIR_SETTING}. (A manager whose settings have no {@code dir} opens {@code baseDir/snapshots}
     * itself, without the provider.)
     */
    public static final class Provider implements SnapshotStore.Provider {
        @Override
        public String name() {
            return NAME;
        }

        @Override
        public SnapshotStore open(Map<String, String> settings) throws IOException {
            String dir = settings.get(DIR_SETTING);
            if (dir == null || dir.isBlank()) {
                throw new PersistenceException("the " + NAME + " snapshot store needs the setting '" + DIR_SETTING
                        + "' (the directory to keep snapshots in)");
            }
            // only a manager opens stores through its provider, holding the base directory's lock
            return openAsOwner(Path.of(dir), FileOps.SYSTEM);
        }
    }
}
