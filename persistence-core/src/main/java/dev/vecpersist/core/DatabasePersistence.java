package dev.vecpersist.core;

import dev.vecpersist.api.ChainStore;
import dev.vecpersist.api.ChangeTracking;
import dev.vecpersist.api.CorruptedStateException;
import dev.vecpersist.api.MetadataValues;
import dev.vecpersist.api.PersistableDatabase;
import dev.vecpersist.api.PersistenceException;
import dev.vecpersist.api.ProgressListener;
import dev.vecpersist.api.SnapshotMetadata;
import dev.vecpersist.api.ValueLimits;
import dev.vecpersist.core.crypto.Encryption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Saves and loads a database's whole state, incrementally or in full, takes and restores
 * snapshots, exports and imports, and saves automatically.
 *
 * <pre>{@code
 * VectorDB db = new VectorDB(384, Metric.COSINE);
 * PersistenceOptions opts = PersistenceOptions.builder().baseDir(dir).format("json").compression("gzip").build();
 * try (DatabasePersistence p = new DatabasePersistence(db, opts)) {
 *     Path file = p.save();
 *     p.load(file);
 * }
 * }</pre>
 *
 * <h2>Guarantees</h2>
 * <ul>
 *   <li>Every write goes to a temporary file that is fsynced and renamed atomically; the directory
 *       is fsynced. A failed or interrupted save leaves the previous state loadable.</li>
 *   <li>{@link #load()} is all-or-nothing: the file is read, checked (checksum, counts, dimension)
 *       and staged completely before the database is replaced in one step.</li>
 *   <li>Saves, snapshots and exports capture the database at one point in time; writers are held up
 *       only while entry references are copied.</li>
 *   <li>Format and codec are detected from the content, never from the file name.</li>
 * </ul>
 *
 * <p>Thread-safe: operations of one manager run one at a time. One manager owns a base directory
 * (it holds a lock file there); a second one, in this or another process, is refused.
 *
 * <h2>Read-only managers (replicas)</h2>
 * {@link #openReadOnly(PersistableDatabase, PersistenceOptions)} opens a manager that reads a directory
 * another manager (in any process) writes: it takes no lock and never writes, deletes or cleans
 * anything there. {@link #load()} loads the latest committed version, {@link #refresh()} moves to a
 * newer one (reading only the new deltas when it can) and {@link #follow(Duration)} does so
 * periodically; {@link #version()} and {@link #lag()} tell where it is. Saves, snapshot changes,
 * imports and loads of other files throw {@link IllegalStateException}. See docs/replicas.md.
 *
 * <h2>Replicas on other machines</h2>
 * With {@link PersistenceOptions.Builder#publishTo} a writer publishes every commit to an object store
 * (the new state files, verified, then the manifest, last; superseded files are deleted after a grace
 * period). A failed publish never fails or undoes the local commit: see {@link #publishStatus()},
 * {@link #publishLag()} and {@link #publish()}. {@link #followRemote} opens a read-only manager that
 * follows such a store, downloading only the files it does not hold yet.
 */
public final class DatabasePersistence implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DatabasePersistence.class);

    private final PersistableDatabase db;
    private final PersistenceOptions options;
    private final Plugins plugins;
    /** The format, codec and level saves are written in. */
    private final SaveFormat as;
    private final StateFileReader reader;
    /** Encrypts what is written and seals the manifest, or null when encryption is off. */
    private final Encryption encryption;
    private final ReentrantLock operation = new ReentrantLock();
    private final BaseDirectory dir;
    /** Appends one line per operation to the audit log (a no-op when it is off). */
    private final Auditor audit;
    private final CommitPoint commits;
    private final DatabaseWriter out;
    private final ChainSaver saves;
    private final ChainLoader loader;
    private final SnapshotManager snapshots;
    /** Restores a known snapshot or version's lineage incrementally; see docs/restore.md. */
    private final IncrementalRestore restores;
    private final CommittedStates committedStates;
    private final AutoSaver autoSaver;
    /** Whether this manager only reads its directory (a replica); then {@link #follower} is set. */
    private final boolean readOnly;
    private final ChainFollower follower;
    private final FollowSchedule followSchedule;
    /** Publishes each commit to a chain store ({@link PersistenceOptions#publishTo()}), or null. */
    private final ChainPublisher publisher;
    /** The chain store a remote replica reads ({@link #followRemote}), or null. */
    private final ChainStore remote;
    /** The cache directory {@link #followRemote(PersistableDatabase, String, Map)} made, deleted on close; else null. */
    private volatile Path temporaryCache;
    private volatile boolean closed;

    /**
     * Opens a manager over {@code db}, creating the base directory if needed, taking its lock,
     * and removing temporary files left by an interrupted save.
     *
     * @param db      the database to persist
     * @param options where and how; the format and codec must be on the classpath
     * @throws dev.vecpersist.api.UnsupportedFormatException when the format or codec is not on the classpath
     * @throws PersistenceException                          when the base directory is unusable or in use
     * @throws IllegalArgumentException                      when the compression level is out of the codec's range
     */
    public DatabasePersistence(PersistableDatabase db, PersistenceOptions options) {
        this(db, options, Plugins.discover());
    }

    /**
     * Like {@link #DatabasePersistence(PersistableDatabase, PersistenceOptions)} with a given set of plugins.
     *
     * @param db      the database to persist
     * @param options where and how
     * @param plugins the formats, codecs and snapshot stores to use, e.g. {@link Plugins#discover(ClassLoader)}
     */
    public DatabasePersistence(PersistableDatabase db, PersistenceOptions options, Plugins plugins) {
        this(db, options, plugins, false, null);
    }

    /**
     * Opens a read-only manager over {@code options.baseDir()}, which another manager (in this or
     * another process) may be writing: it takes no lock, never writes, deletes or cleans anything in
     * the directory (no leftover removal, no audit log; compressed SQLite is decompressed into the
     * system's temporary directory unless {@link PersistenceOptions#scratchDir()} is set), and holds
     * exactly one committed version at a time. Nothing is loaded yet: call {@link #load()},
     * {@link #refresh()} or {@link #follow(Duration)}. Saves, snapshot changes, imports and loads of
     * other files throw {@link IllegalStateException}.
     *
     * @param db      the database to load into; let nothing else write to it
     * @param options where and how; format and codec are read from the files, the encryption keys used
     * @return the manager
     * @throws PersistenceException when the base directory exists but is not a directory
     */
    public static DatabasePersistence openReadOnly(PersistableDatabase db, PersistenceOptions options) {
        return new DatabasePersistence(db, options, Plugins.discover(), true, null);
    }

    /**
     * Like {@link #openReadOnly(PersistableDatabase, PersistenceOptions)} with a given set of plugins.
     *
     * @param db      the database to load into
     * @param options where and how
     * @param plugins the formats and codecs to read with
     * @return the manager
     */
    public static DatabasePersistence openReadOnly(PersistableDatabase db, PersistenceOptions options, Plugins plugins) {
        return new DatabasePersistence(db, options, plugins, true, null);
    }

    /**
     * Opens a read-only manager that follows a chain a writer on another machine publishes to an object
     * store ({@link PersistenceOptions.Builder#publishTo}): the same manager as
     * {@link #openReadOnly(PersistableDatabase, PersistenceOptions)} ({@link #load()}, {@link #refresh()},
     * {@link #follow(Duration)}, {@link #version()}, {@link #lag()}, listeners), reading the published
     * manifest and downloading only the files it does not hold yet into {@code options.baseDir()}, its
     * local cache. The cache directory is created and locked (one replica per cache); state files left
     * in it by an earlier run are removed, not trusted. Each downloaded file is checked against the
     * manifest (size, then content checksum when read). See docs/replicas.md.
     *
     * @param db       the database to load into; let nothing else write to it
     * @param store    the chain store's name, e.g. {@code "s3"}
     * @param settings the store's settings, as the writer's {@code publishTo} got them
     * @param options  {@code baseDir} is the local cache; the encryption keys used to read
     * @return the manager
     * @throws dev.vecpersist.api.UnsupportedFormatException when no chain store of that name is on the class path
     * @throws PersistenceException when the store cannot be reached or the cache directory is unusable or in use
     */
    public static DatabasePersistence followRemote(PersistableDatabase db, String store, Map<String, String> settings,
                                                   PersistenceOptions options) {
        return followRemote(db, store, settings, options, Plugins.discover());
    }

    /**
     * Like {@link #followRemote(PersistableDatabase, String, Map, PersistenceOptions)} with the default
     * options (no encryption keys) and a cache in a new temporary directory, deleted by {@link #close()}.
     *
     * @param db       the database to load into; let nothing else write to it
     * @param store    the chain store's name, e.g. {@code "s3"}
     * @param settings the store's settings, as the writer's {@code publishTo} got them
     * @return the manager
     * @throws PersistenceException when the store cannot be reached or no temporary directory can be made
     */
    public static DatabasePersistence followRemote(PersistableDatabase db, String store, Map<String, String> settings) {
        Path cache;
        try {
            cache = java.nio.file.Files.createTempDirectory("vecpersist-replica-");
        } catch (IOException e) {
            throw new PersistenceException("cannot create a cache directory for the replica: " + e.getMessage(), e);
        }
        try {
            DatabasePersistence replica = followRemote(db, store, settings, PersistenceOptions.builder().baseDir(cache).build());
            replica.temporaryCache = cache;
            return replica;
        } catch (RuntimeException | Error e) {
            deleteTree(cache);
            throw e;
        }
    }

    /**
     * Like {@link #followRemote(PersistableDatabase, String, Map, PersistenceOptions)} with a given set of plugins.
     *
     * @param db       the database to load into
     * @param store    the chain store's name
     * @param settings the store's settings
     * @param options  {@code baseDir} is the local cache
     * @param plugins  the formats, codecs and chain stores to use
     * @return the manager
     */
    public static DatabasePersistence followRemote(PersistableDatabase db, String store, Map<String, String> settings,
                                                   PersistenceOptions options, Plugins plugins) {
        ChainStore chain = openChainStore(plugins, store, settings);
        try {
            return new DatabasePersistence(db, options, plugins, true, chain);
        } catch (RuntimeException | Error e) {
            closeQuietly(chain);
            throw e;
        }
    }

    private static ChainStore openChainStore(Plugins plugins, String name, Map<String, String> settings) {
        try {
            return plugins.chainStore(name).open(settings);
        } catch (IOException e) {
            throw new PersistenceException("cannot open the chain store '" + name + "': " + e.getMessage(), e);
        }
    }

    private DatabasePersistence(PersistableDatabase db, PersistenceOptions options, Plugins plugins, boolean readOnly,
                                ChainStore remote) {
        this.remote = remote;
        this.readOnly = readOnly;
        this.db = java.util.Objects.requireNonNull(db, "db");
        this.options = java.util.Objects.requireNonNull(options, "options");
        this.plugins = plugins;
        this.as = SaveFormat.of(plugins, options);
        this.encryption = options.encryption() == null ? null : new Encryption(options.encryption());
        this.reader = new StateFileReader(plugins, options.fileOps(), options.maxScratchBytes(), encryption);
        if (readOnly) {
            // a remote replica owns its cache; a local one only reads the writer's directory
            dir = remote != null ? BaseDirectory.openOwned(options.fileOps(), options.baseDir())
                    : BaseDirectory.openShared(options.fileOps(), options.baseDir());
            audit = Auditor.off();
        } else {
            dir = BaseDirectory.openOwned(options.fileOps(), options.baseDir());
            try {
                audit = Auditor.open(options, encryption);
            } catch (RuntimeException | Error e) {
                dir.close(); // a failed constructor must not keep the directory locked for the JVM's lifetime
                throw e;
            }
        }
        try {
            publisher = readOnly || options.publishTo() == null ? null : new ChainPublisher(
                    openChainStore(plugins, options.publishTo(), options.publishSettings()), dir,
                    options.publishGracePeriod(), options.clock());
        } catch (RuntimeException | Error e) {
            closeQuietly(audit);
            dir.close();
            throw e;
        }
        commits = new CommitPoint(dir, encryption, options.clock(), new UnreferencedFileDeleter(dir),
                publisher == null ? m -> { } : this::publishQuietly);
        out = new DatabaseWriter(db, options, new StateFileWriter(options.fileOps(), encryption), audit);
        saves = new ChainSaver(db, dir, commits, CompactionPolicy.of(options), out, as, options.includeIndexState(), audit);
        loader = new ChainLoader(db, reader, options, audit, readOnly ? readerScratchDir(options) : options.scratchDir());
        restores = new IncrementalRestore(db, options, audit);
        committedStates = new CommittedStates(restores, loader, commits, saves, options.baseDir());
        snapshots = new SnapshotManager(db, options, plugins, out, as, loader, audit, !readOnly, restores);
        ChainSource source = remote != null ? new RemoteChainSource(remote, dir.path(), options.fileOps(), encryption)
                : new DirectoryChainSource(options.baseDir(), options.fileOps(), encryption);
        follower = readOnly ? new ChainFollower(db, source, loader, options) : null;
        followSchedule = readOnly ? new FollowSchedule(this::followTick, this::followFailed) : null;
        if (readOnly) {
            autoSaver = new AutoSaver(this::autoSaveTick, options.autoSaveInterval(), options.autoSaveFailureListener());
            return;
        }
        try {
            commits.removeLeftovers();
            autoSaver = new AutoSaver(this::autoSaveTick, options.autoSaveInterval(), options.autoSaveFailureListener());
        } catch (RuntimeException | Error e) {
            closeQuietly(audit);
            if (publisher != null) {
                closeQuietly(publisher);
            }
            dir.close();
            throw e;
        }
        Manifest committed = commits.current();
        if (publisher != null && committed != null) {
            publishQuietly(committed); // reconcile: what a failed or interrupted publish left undone
        }
    }

    /** Publishes a commit; a failure is recorded and logged, never thrown: the local commit stands. */
    private void publishQuietly(Manifest committed) {
        try {
            publisher.publish(committed);
        } catch (RuntimeException e) {
            LOG.warn("publishing {} of {} to {} failed; the local commit stands, the next commit or publish() retries: {}",
                    CommitVersion.of(committed), options.baseDir(), options.publishTo(), e.toString());
        }
    }

    /** Where a read-only manager decompresses: never into the directory it reads, unless told so. */
    private static Path readerScratchDir(PersistenceOptions options) {
        return options.scratchDir().equals(options.baseDir())
                ? Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath() : options.scratchDir();
    }

    /** {@return the database this manager persists} */
    public PersistableDatabase database() {
        return db;
    }

    /** {@return the options in force} */
    public PersistenceOptions options() {
        return options;
    }

    // ------------------------------------------------------------------ full saves

    /**
     * Saves the whole database as the new base of {@code baseDir}; see {@link #save(ProgressListener)}.
     *
     * @return the state file written
     */
    public Path save() {
        return save(ProgressListener.NONE);
    }

    /**
     * Saves the whole database as a new base in {@code baseDir} and commits it in the manifest;
     * superseded files are removed only after the manifest is durable.
     *
     * @param listener receives progress reports; one that throws aborts the save
     * @return the state file written
     * @throws PersistenceException when the save fails; the previous committed state is untouched
     */
    public Path save(ProgressListener listener) {
        requireWritable("save()");
        return audit.record("save", () -> locked(() -> committedStates.save(() -> saves.saveFull(listener))));
    }

    /**
     * Saves the whole database to one self-contained file at {@code file} (outside the manifest).
     *
     * @param file the file to write (replaced atomically if it exists)
     * @return {@code file}
     */
    public Path save(Path file) {
        return save(file, ProgressListener.NONE);
    }

    /**
     * Saves the whole database to {@code file} atomically, with progress reports.
     *
     * @param file     the file to write (replaced atomically if it exists)
     * @param listener receives progress reports
     * @return {@code file}
     * @throws PersistenceException when the save fails; a previous file at {@code file} is untouched
     */
    public Path save(Path file, ProgressListener listener) {
        requireWritable("save(Path)");
        return audit.record("save", () -> locked(() -> {
            out.writeStandalone(file, as, options.includeIndexState(), listener, "save");
            return file;
        }));
    }

    // ------------------------------------------------------------------ incremental saves

    /**
     * Saves what changed since the last save; see {@link #saveIncremental(ProgressListener)}.
     *
     * @return the file written, or empty when nothing changed
     */
    public Optional<Path> saveIncremental() {
        return saveIncremental(ProgressListener.NONE);
    }

    /**
     * Writes the entries inserted, updated and deleted since the last save or load as a delta file
     * and appends it to the manifest. The first incremental save, and one after the delta
     * thresholds ({@link PersistenceOptions#maxDeltas()}, {@link PersistenceOptions#maxDeltaRatio()})
     * are passed, is a full save (compaction). A database without {@link ChangeTracking} is saved
     * in full every time.
     *
     * @param listener receives progress reports
     * @return the file written, or empty when nothing changed
     * @throws PersistenceException when the save fails; the previous committed state is untouched
     */
    public Optional<Path> saveIncremental(ProgressListener listener) {
        requireWritable("saveIncremental()");
        return audit.record("saveIncremental", () -> locked(() -> committedStates.save(() -> saves.saveIncremental(listener))));
    }

    // ------------------------------------------------------------------ loads

    /** Loads the latest committed state of {@code baseDir}; see {@link #load(ProgressListener)}. */
    public void load() {
        load(ProgressListener.NONE);
    }

    /**
     * Loads the latest committed state of {@code baseDir} (the manifest's base and deltas) and
     * replaces the database with it, all or nothing. With {@link PersistenceOptions#incrementalRestoreRatio()}
     * set, when the database derives from that version or an
     * earlier one of the same base (saved or loaded by this manager), it reverts what changed since and
     * reads only the later deltas, checked against the expected state fingerprint (see docs/restore.md).
     *
     * @param listener receives progress reports
     * @throws PersistenceException when nothing was saved, or any file is unreadable or corrupt;
     *                              the database is then unchanged
     */
    public void load(ProgressListener listener) {
        if (readOnly) {
            locked(() -> follower.load(listener));
            return;
        }
        run("load", () -> loadCommitted(commits.read(false), listener));
    }

    /**
     * Loads a state file, or a manifest; see {@link #load(Path, ProgressListener)}.
     *
     * @param file a state file, or a {@code MANIFEST.json}
     */
    public void load(Path file) {
        load(file, ProgressListener.NONE);
    }

    /**
     * Replaces the database with the state in {@code file}, all or nothing. The format and codec
     * are detected from the content. A manifest file loads its whole chain.
     *
     * @param file     a state file, or a {@code MANIFEST.json}
     * @param listener receives progress reports
     * @throws CorruptedStateException                       on a checksum mismatch, truncation or malformed content
     * @throws dev.vecpersist.api.IncompatibleStateException on another dimension or metric, or a newer format
     * @throws dev.vecpersist.api.UnsupportedFormatException when the file needs a module that is not on the classpath
     */
    public void load(Path file, ProgressListener listener) {
        requireWritable("load(Path)");
        run("load", () -> {
            Path f = file.toAbsolutePath().normalize();
            boolean manifest = f.getFileName() != null && f.getFileName().toString().equals(Manifest.FILE_NAME);
            if (manifest && f.getParent().equals(options.baseDir())) {
                loadCommitted(Manifest.read(options.fileOps(), f, encryption, false), listener);
            } else if (manifest) {
                loader.loadChain(f.getParent(), Manifest.read(options.fileOps(), f, encryption, false), listener);
                saves.forgetSavedSequence();
            } else {
                BaseDirectory.removeStaleTemps(options.fileOps(), f);
                loader.loadFull(f, options.verifyChecksums(), listener, "load");
                saves.forgetSavedSequence();
            }
        });
    }

    /** Loads the chain of this directory's manifest {@code m} and makes it the one in force. */
    private void loadCommitted(Manifest m, ProgressListener listener) {
        long sequence = committedStates.load(m, listener);
        commits.adopt(m);
        saves.loaded(sequence);
    }

    // ------------------------------------------------------------------ snapshots

    /**
     * Takes a snapshot; see {@link #createSnapshot(String, Map, ProgressListener)}.
     *
     * @param name free text
     * @return the stored snapshot's metadata
     */
    public SnapshotMetadata createSnapshot(String name) {
        return createSnapshot(name, Map.of(), ProgressListener.NONE);
    }

    /**
     * Takes a snapshot; see {@link #createSnapshot(String, Map, ProgressListener)}.
     *
     * @param name     free text
     * @param metadata the user's metadata
     * @return the stored snapshot's metadata
     */
    public SnapshotMetadata createSnapshot(String name, Map<String, ?> metadata) {
        return createSnapshot(name, metadata, ProgressListener.NONE);
    }

    /**
     * Stores the database's current state as a snapshot in the snapshot store, in the manager's
     * format and codec, with the SHA-256 of the stored bytes, then applies the retention policy
     * ({@link PersistenceOptions#retention()}; by default the newest {@link PersistenceOptions#maxSnapshots()}
     * are kept and the oldest beyond them deleted). The snapshot just created is never deleted.
     *
     * @param name     free text (never used in a path)
     * @param metadata the user's metadata (same value model as entry metadata)
     * @param listener receives progress reports
     * @return the stored snapshot's metadata, with the id the store issued
     * @throws IllegalArgumentException when the name or metadata is outside the value model or its limits
     * @throws PersistenceException     when writing the snapshot or applying retention fails
     */
    public SnapshotMetadata createSnapshot(String name, Map<String, ?> metadata, ProgressListener listener) {
        requireWritable("createSnapshot()");
        // refused up front what the store could not list or restore later: the same limits as entries
        ValueLimits.checkString(java.util.Objects.requireNonNull(name, "name"), ValueLimits.MAX_ID_BYTES, "snapshot name");
        Map<String, Object> userMetadata = MetadataValues.normalize(metadata);
        return audit.record("createSnapshot", () -> locked(() -> snapshots.create(name, userMetadata, listener)));
    }

    /**
     * Lists the snapshots.
     *
     * @return every snapshot in the store, newest first
     */
    public List<SnapshotMetadata> listSnapshots() {
        return locked(snapshots::list);
    }

    /**
     * Restores a snapshot, verifying its SHA-256; see {@link #restoreSnapshot(String, boolean, ProgressListener)}.
     *
     * @param id an id from {@link #listSnapshots()}
     */
    public void restoreSnapshot(String id) {
        restoreSnapshot(id, true, ProgressListener.NONE);
    }

    /**
     * Replaces the database with a snapshot's state, all or nothing. The snapshot may be in any
     * format and codec on the classpath, whatever this manager writes. With incremental restores on,
     * when the database derives from this snapshot (this manager created or restored it, and at most
     * {@link PersistenceOptions#incrementalRestoreRatio()} of the entries changed since), only those
     * changes are reverted, without reading the snapshot; the result is checked against the snapshot's
     * state fingerprint, and anything else restores in full (see docs/restore.md).
     *
     * @param id     an id from {@link #listSnapshots()}; anything else is rejected before any file is touched
     * @param verify   whether to verify the stored SHA-256 (and the content checksum) first
     * @param listener receives progress reports
     * @throws PersistenceException    when the id is unknown or the snapshot cannot be read
     * @throws CorruptedStateException when the snapshot is damaged; the database is then unchanged
     */
    public void restoreSnapshot(String id, boolean verify, ProgressListener listener) {
        requireWritable("restoreSnapshot()");
        run("restoreSnapshot", () -> {
            snapshots.restore(id, verify, listener);
            saves.forgetSavedSequence();
        });
    }

    /**
     * Applies the retention policy ({@link PersistenceOptions#retention()}) to the snapshot store now,
     * as {@link #createSnapshot} does after each snapshot; e.g. after changing the policy, or to see
     * what it would delete. See {@link RetentionPolicy} for what it keeps.
     *
     * @param dryRun true to decide only: nothing is deleted
     * @return every snapshot with its verdict, newest first: kept (and by which rules) or deleted (and
     *         why); without {@code dryRun} the deleted ones are gone
     * @throws SnapshotPruneException when a delete fails: it names the snapshots deleted before it,
     *                                the one that failed and those not attempted
     * @throws PersistenceException   when the store cannot be listed
     * @throws IllegalArgumentException when a calendar rule meets a snapshot whose timestamp is beyond
     *                                  the calendar's range (nothing is deleted then)
     */
    public RetentionDecision pruneSnapshots(boolean dryRun) {
        return audit.record("pruneSnapshots", () -> locked(() -> snapshots.prune(dryRun)));
    }

    /**
     * Deletes one snapshot (and no other).
     *
     * @param id an id from {@link #listSnapshots()}
     * @throws PersistenceException when the id is unknown or the store fails
     */
    public void deleteSnapshot(String id) {
        requireWritable("deleteSnapshot()");
        run("deleteSnapshot", () -> snapshots.delete(id));
    }

    // ------------------------------------------------------------------ export / import

    /**
     * Writes the database to one self-contained file, in any format and codec, atomically.
     *
     * @param export the file, format, codec and level (unset ones default to the manager's)
     * @return the file written
     * @throws dev.vecpersist.api.UnsupportedFormatException when the format or codec is not on the classpath
     * @throws PersistenceException                          when writing fails; a previous file there is untouched
     */
    public Path export(ExportOptions export) {
        SaveFormat to = as.forExport(plugins, export);
        return audit.record("export", () -> locked(() -> {
            out.writeStandalone(export.path(), to, export.includeIndexState(), export.progress(), "export");
            return export.path();
        }));
    }

    /**
     * Reads a state file and replaces the database with it ({@link ImportOptions.Mode#REPLACE}) or
     * upserts its entries ({@link ImportOptions.Mode#MERGE}). The file is read and verified
     * completely before anything changes; a dimension or metric mismatch is an
     * {@link dev.vecpersist.api.IncompatibleStateException} before any entry is read.
     *
     * @param imp the file, the mode and whether to verify its checksum
     * @throws CorruptedStateException                       on a checksum mismatch, truncation or malformed content
     * @throws dev.vecpersist.api.UnsupportedFormatException when the file needs a module that is not on the classpath
     */
    public void importFrom(ImportOptions imp) {
        requireWritable("importFrom()");
        run("import", () -> {
            Path file = imp.path().toAbsolutePath().normalize();
            if (imp.mode() == ImportOptions.Mode.REPLACE) {
                loader.loadFull(file, imp.verifyChecksum(), imp.progress(), "import");
                saves.forgetSavedSequence();
            } else {
                loader.merge(file, imp.verifyChecksum(), imp.progress());
            }
        });
    }

    // ------------------------------------------------------------------ key rotation

    /**
     * Re-encrypts under the primary key everything older keys (or none) encrypted: the committed
     * chain is rewritten into new files and committed through the manifest (sealed with the primary
     * key), then the snapshots are re-uploaded. Crash-safe: an interruption leaves the previous
     * commit loadable (see docs/encryption.md). Afterwards the older keys can be dropped. Also adopts
     * a directory saved before encryption was turned on.
     *
     * @throws IllegalStateException   when no encryption keys are configured
     * @throws PersistenceException    when reading or writing fails; the previous commit stays
     * @throws CorruptedStateException when a file fails authentication or its checksum
     */
    public void reencrypt() {
        requireWritable("reencrypt()");
        if (encryption == null) {
            throw new IllegalStateException("reencrypt() needs PersistenceOptions.encryption(keys)");
        }
        run("reencrypt", () -> new KeyRotation(options.fileOps(), encryption, reader)
                .rotate(dir, commits, snapshots::store, audit));
    }

    // ------------------------------------------------------------------ auto-save and lifecycle

    /** Starts saving every {@link PersistenceOptions#autoSaveInterval()} (incrementally when possible). */
    public void startAutoSave() {
        requireWritable("startAutoSave()");
        ensureOpen();
        if (options.autoSaveInterval() == null) {
            throw new IllegalStateException("autoSaveInterval is not set in the options");
        }
        autoSaver.start();
    }

    /** Stops auto-saving; waits for a save in flight to finish. */
    public void stopAutoSave() {
        autoSaver.stop();
    }

    /** {@return whether auto-save is running} */
    public boolean isAutoSaving() {
        return autoSaver.isRunning();
    }

    private void autoSaveTick() {
        if (closed || !hasUnsavedChanges()) {
            return;
        }
        audit.record("autoSave", this::saveIncremental);
    }

    /**
     * Whether the database changed since the last save or load through this manager.
     *
     * @return true when it changed, and always true for a database without {@link ChangeTracking}
     *         or before the first save or load
     */
    public boolean hasUnsavedChanges() {
        if (readOnly) {
            return false; // a read-only manager never saves; what it holds is committed
        }
        return saves.hasUnsavedChanges();
    }

    /**
     * Stops auto-save, waits for a save in flight, makes a final save if auto-save was running and
     * anything changed, and releases the base directory. Closing twice is harmless.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        if (followSchedule != null) {
            followSchedule.stop();
        }
        boolean wasAutoSaving = autoSaver.isRunning();
        autoSaver.stop();
        try {
            if (wasAutoSaving && hasUnsavedChanges()) {
                saveIncremental();
            }
        } finally {
            closed = true;
            operation.lock();
            try {
                snapshots.close();
            } catch (IOException e) {
                LOG.warn("closing the snapshot store failed", e);
            } finally {
                operation.unlock();
                closeQuietly(audit);
                if (publisher != null) {
                    closeQuietly(publisher);
                }
                if (remote != null) {
                    closeQuietly(remote);
                }
                dir.close();
                if (temporaryCache != null) {
                    deleteTree(temporaryCache);
                }
            }
        }
    }

    // ------------------------------------------------------------------ inspection

    /** {@return the files of the committed chain in {@code baseDir} (base first), empty before the first save} */
    public List<Path> committedFiles() {
        return locked(() -> {
            Manifest m = readOnly ? follower.held() : commits.current();
            List<Path> files = new ArrayList<>();
            if (m != null) {
                m.fileNames().forEach(n -> files.add(dir.resolve(n)));
            }
            return files;
        });
    }

    /** {@return the manifest file of {@code baseDir}} */
    public Path manifestFile() {
        return dir.manifestFile();
    }

    // ------------------------------------------------------------------ publishing

    /**
     * Publishes the commit in force to the chain store of {@link PersistenceOptions#publishTo()} now,
     * if the store does not hold it yet (after a failed publish: uploads what the store lacks, then
     * the manifest), and deletes the superseded files whose grace period is over. Commits publish by
     * themselves; this is for retrying after a failure without waiting for the next commit.
     *
     * @throws PersistenceException  when publishing fails; the store keeps the version it held
     * @throws IllegalStateException when the options publish nowhere
     */
    public void publish() {
        if (publisher == null) {
            throw new IllegalStateException("publish() needs PersistenceOptions.publishTo(store, settings)"
                    + (readOnly ? " on the writer; this manager is read-only" : ""));
        }
        locked(() -> {
            Manifest committed = commits.current();
            if (committed != null) {
                publisher.publish(committed);
            }
            return null;
        });
    }

    /**
     * Where publishing to {@link PersistenceOptions#publishTo()} stands: the version last published,
     * since when a commit waits to be published and the last failure.
     *
     * @return the status
     * @throws IllegalStateException when the options publish nowhere
     */
    public PublishStatus publishStatus() {
        if (publisher == null) {
            throw new IllegalStateException("publishStatus() needs PersistenceOptions.publishTo(store, settings)");
        }
        return publisher.status();
    }

    /**
     * How long the oldest commit not yet published has waited (zero when the store holds the commit
     * in force): it grows while publishing fails, so it can be alerted on.
     *
     * @return the lag, never negative
     * @throws IllegalStateException when the options publish nowhere
     */
    public java.time.Duration publishLag() {
        return publishStatus().lag(options.clock());
    }

    // ------------------------------------------------------------------ replicas

    /** {@return whether this manager only reads its directory (opened by {@link #openReadOnly})} */
    public boolean isReadOnly() {
        return readOnly;
    }

    /**
     * The committed version the database holds: for a read-only manager the one it loaded last, for
     * a writer the one in force in its directory.
     *
     * @return the version, empty before anything was loaded or saved
     */
    public Optional<CommitVersion> version() {
        if (readOnly) {
            return follower.version();
        }
        return locked(() -> Optional.ofNullable(commits.current()).map(CommitVersion::of));
    }

    /**
     * How far behind its directory a read-only manager's database may be: every commit made more than
     * {@code lag()} ago is in it. Measured from the start of the last manifest read that found the
     * database current or made it so (before any, from the opening of the manager), on
     * {@link PersistenceOptions#clock()}. When following every {@code p} without failures it stays
     * below {@code p} plus the time to read and apply one version; it grows without bound when polls
     * fail, so it can be alerted on.
     *
     * @return the bound, never negative
     * @throws IllegalStateException on a manager that is not read-only
     */
    public java.time.Duration lag() {
        requireReadOnly("lag()");
        return follower.lag();
    }

    /**
     * Moves a read-only manager's database to the latest committed version, if it holds an older one:
     * when only deltas were added it reads just those and applies them in one step (databases with
     * {@link dev.vecpersist.api.ChangeApplying}), otherwise it reloads the chain. Files deleted or
     * replaced by the writer meanwhile make it re-read the manifest and retry.
     *
     * @return what was applied, or empty when it was current or nothing is committed yet
     * @throws dev.vecpersist.api.DirectoryChangingException when the directory changed under every attempt
     * @throws PersistenceException  when the committed chain cannot be read; the database is unchanged
     * @throws IllegalStateException on a manager that is not read-only
     */
    public Optional<ReplicaListener.Applied> refresh() {
        requireReadOnly("refresh()");
        return locked(follower::refresh);
    }

    /**
     * Refreshes now and then every {@code pollInterval} on a daemon thread, until
     * {@link #stopFollowing()} or {@link #close()}. Failures go to the {@link ReplicaListener}s (and the
     * log) and the next poll retries; the database keeps the version it held.
     *
     * @param pollInterval the delay between the end of one poll and the start of the next
     * @throws IllegalStateException on a manager that is not read-only
     */
    public void follow(java.time.Duration pollInterval) {
        requireReadOnly("follow()");
        ensureOpen();
        followSchedule.start(java.util.Objects.requireNonNull(pollInterval, "pollInterval"));
    }

    /** Stops following; waits for a poll in flight. Harmless when not following. */
    public void stopFollowing() {
        if (followSchedule != null) {
            followSchedule.stop();
        }
    }

    /** {@return whether {@link #follow(java.time.Duration)} is polling} */
    public boolean isFollowing() {
        return followSchedule != null && followSchedule.isRunning();
    }

    /**
     * Adds a listener told of each version a read-only manager applies and of each failed poll.
     *
     * @param listener the listener
     * @throws IllegalStateException on a manager that is not read-only
     */
    public void addReplicaListener(ReplicaListener listener) {
        requireReadOnly("addReplicaListener()");
        follower.addListener(listener);
    }

    /**
     * Removes a listener added with {@link #addReplicaListener(ReplicaListener)}.
     *
     * @param listener the listener
     */
    public void removeReplicaListener(ReplicaListener listener) {
        if (follower != null) {
            follower.removeListener(listener);
        }
    }

    private void followTick() {
        if (!closed) {
            refresh();
        }
    }

    private void followFailed(Throwable t) {
        if (closed) {
            return;
        }
        LOG.warn("refreshing the replica of {} failed; the next poll retries: {}", options.baseDir(), t.toString());
        follower.notifyError(t);
    }

    private void requireWritable(String operation) {
        if (readOnly) {
            throw new IllegalStateException(operation + " is not allowed on a read-only DatabasePersistence (opened "
                    + "with openReadOnly on " + options.baseDir() + "): it never writes; only the manager that owns "
                    + "the directory saves and changes snapshots");
        }
    }

    private void requireReadOnly(String operation) {
        if (!readOnly) {
            throw new IllegalStateException(operation + " is for read-only managers (DatabasePersistence.openReadOnly); "
                    + "this one owns " + options.baseDir());
        }
    }

    // ------------------------------------------------------------------ internals

    /** Runs {@code action} as the audited operation {@code name}, under the operation lock. */
    private void run(String name, Runnable action) {
        audit.record(name, () -> locked(() -> {
            action.run();
            return null;
        }));
    }

    private <T> T locked(java.util.function.Supplier<T> action) {
        ensureOpen();
        operation.lock();
        try {
            ensureOpen();
            return action.get();
        } finally {
            operation.unlock();
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("this DatabasePersistence is closed");
        }
    }

    /** Deletes a directory this manager made and everything in it; what cannot be deleted is logged. */
    private static void deleteTree(Path root) {
        try (java.util.stream.Stream<Path> all = java.nio.file.Files.walk(root)) {
            for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                java.nio.file.Files.deleteIfExists(p);
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            LOG.warn("could not delete the replica cache {}: {}", root, e.toString());
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            LOG.debug("close failed", e);
        }
    }
}
