package dev.vecpersist.core;

import dev.vecpersist.api.MetadataValues;
import dev.vecpersist.api.PersistableDatabase;
import dev.vecpersist.api.PersistenceException;
import dev.vecpersist.api.ProgressListener;
import dev.vecpersist.api.SnapshotMetadata;
import dev.vecpersist.api.ValueLimits;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Saves and loads a database's whole state, incrementally or in full, takes and restores
 * snapshots, exports and imports, and saves automatically. Its operations are grouped in the role
 * interfaces it implements, which document them: {@link SaveOperations}, {@link LoadOperations},
 * {@link SnapshotOperations}, {@link PublishOperations} and {@link ReplicaOperations}.
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
 * periodically; {@link #version()} and {@link #lag()} tell where it is (see {@link ReplicaOperations}).
 * Saves, snapshot changes, imports and loads of other files throw {@link IllegalStateException}.
 * See docs/replicas.md.
 *
 * <h2>Replicas on other machines</h2>
 * With {@link PersistenceOptions.Builder#publishTo} a writer publishes every commit to an object store
 * (the new state files, verified, then the manifest, last; superseded files are deleted after a grace
 * period). A failed publish never fails or undoes the local commit: see {@link PublishOperations}.
 * {@link #followRemote} opens a read-only manager that follows such a store, downloading only the
 * files it does not hold yet.
 */
public final class DatabasePersistence implements SaveOperations, LoadOperations, SnapshotOperations,
        PublishOperations, ReplicaOperations, AutoCloseable {

    /** The lock, lifecycle and read-only checks every operation passes through. */
    private final OperationGate gate;
    private final ManagerParts parts;
    private final StateLoads loads;

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
        this(new OperationGate(ticks -> ManagerParts.local(db, options, plugins, false, ticks)));
    }

    private DatabasePersistence(OperationGate gate) {
        this.gate = gate;
        this.parts = gate.parts;
        this.loads = new StateLoads(parts);
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
        return openReadOnly(db, options, Plugins.discover());
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
        return new DatabasePersistence(new OperationGate(ticks -> ManagerParts.local(db, options, plugins, true, ticks)));
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
        return ManagerParts.inTemporaryCache(cache -> new DatabasePersistence(new OperationGate(ticks -> ManagerParts
                .remote(db, store, settings, PersistenceOptions.builder().baseDir(cache).build(), Plugins.discover(), cache, ticks))));
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
        return new DatabasePersistence(new OperationGate(
                ticks -> ManagerParts.remote(db, store, settings, options, plugins, null, ticks)));
    }

    /** {@return the database this manager persists} */
    public PersistableDatabase database() {
        return parts.db;
    }

    /** {@return the options in force} */
    public PersistenceOptions options() {
        return parts.options;
    }

    // ------------------------------------------------------------------ SaveOperations

    @Override
    public Path save(ProgressListener listener) {
        return gate.write("save()", "save", () -> parts.saves.saveFull(listener));
    }

    @Override
    public Path save(Path file, ProgressListener listener) {
        return gate.write("save(Path)", "save", () -> parts.writeFile(file, parts.as, parts.options.includeIndexState(),
                listener, "save"));
    }

    @Override
    public Optional<Path> saveIncremental(ProgressListener listener) { return gate.saveIncremental(listener); }

    @Override
    public boolean hasUnsavedChanges() { return parts.hasUnsavedChanges(); }

    @Override
    public Path export(ExportOptions export) {
        SaveFormat to = parts.as.forExport(parts.plugins, export);
        return gate.audited("export", () -> parts.writeFile(export.path(), to, export.includeIndexState(),
                export.progress(), "export"));
    }

    @Override
    public void startAutoSave() {
        gate.requireWritable("startAutoSave()");
        gate.ensureOpen();
        parts.startAutoSave();
    }

    @Override
    public void stopAutoSave() { parts.autoSaver.stop(); }

    @Override
    public boolean isAutoSaving() { return parts.autoSaver.isRunning(); }

    // ------------------------------------------------------------------ LoadOperations

    @Override
    public void load(ProgressListener listener) {
        if (parts.readOnly) {
            gate.locked(() -> parts.follower.load(listener));
        } else {
            gate.run("load", () -> loads.loadCommitted(listener));
        }
    }

    @Override
    public void load(Path file, ProgressListener listener) {
        gate.write("load(Path)", "load", () -> loads.loadFile(file, listener));
    }

    @Override
    public void importFrom(ImportOptions imp) { gate.write("importFrom()", "import", () -> loads.importFile(imp)); }

    // ------------------------------------------------------------------ SnapshotOperations

    @Override
    public SnapshotMetadata createSnapshot(String name, Map<String, ?> metadata, ProgressListener listener) {
        gate.requireWritable("createSnapshot()");
        // refused up front what the store could not list or restore later: the same limits as entries
        ValueLimits.checkString(Objects.requireNonNull(name, "name"), ValueLimits.MAX_ID_BYTES, "snapshot name");
        Map<String, Object> userMetadata = MetadataValues.normalize(metadata);
        return gate.audited("createSnapshot", () -> parts.snapshots.create(name, userMetadata, listener));
    }

    @Override
    public List<SnapshotMetadata> listSnapshots() { return gate.locked(parts.snapshots::list); }

    @Override
    public void restoreSnapshot(String id, boolean verify, ProgressListener listener) {
        gate.write("restoreSnapshot()", "restoreSnapshot", () -> loads.restoreSnapshot(id, verify, listener));
    }

    @Override
    public RetentionDecision pruneSnapshots(boolean dryRun) {
        return gate.audited("pruneSnapshots", () -> parts.snapshots.prune(dryRun));
    }

    @Override
    public void deleteSnapshot(String id) {
        gate.write("deleteSnapshot()", "deleteSnapshot", () -> parts.snapshots.delete(id));
    }

    // ------------------------------------------------------------------ PublishOperations

    @Override
    public void publish() {
        parts.requirePublisher("publish()");
        gate.locked(parts::publishNow);
    }

    @Override
    public PublishStatus publishStatus() { return parts.requirePublisher("publishStatus()").status(); }

    @Override
    public Duration publishLag() { return publishStatus().lag(parts.options.clock()); }

    // ------------------------------------------------------------------ ReplicaOperations

    @Override
    public boolean isReadOnly() { return parts.readOnly; }

    @Override
    public Optional<CommitVersion> version() {
        return parts.readOnly ? parts.follower.version() : gate.locked(parts::committedVersion);
    }

    @Override
    public Duration lag() { return gate.requireReadOnly("lag()").lag(); }

    @Override
    public Optional<ReplicaListener.Applied> refresh() { return gate.refresh(); }

    @Override
    public void follow(Duration pollInterval) {
        gate.requireReadOnly("follow()");
        gate.ensureOpen();
        parts.followSchedule.start(Objects.requireNonNull(pollInterval, "pollInterval"));
    }

    @Override
    public void stopFollowing() { parts.stopFollowing(); }

    @Override
    public boolean isFollowing() { return parts.isFollowing(); }

    @Override
    public void addReplicaListener(ReplicaListener listener) {
        gate.requireReadOnly("addReplicaListener()").addListener(listener);
    }

    @Override
    public void removeReplicaListener(ReplicaListener listener) { parts.removeReplicaListener(listener); }

    // ------------------------------------------------------------------ key rotation, inspection, close

    /**
     * Re-encrypts under the primary key everything older keys (or none) encrypted: the committed
     * chain is rewritten into new files and committed through the manifest (sealed with the primary
     * key), then the snapshots are re-uploaded. Crash-safe: an interruption leaves the previous
     * commit loadable (see docs/encryption.md). Afterwards the older keys can be dropped. Also adopts
     * a directory saved before encryption was turned on.
     *
     * @throws IllegalStateException   when no encryption keys are configured
     * @throws PersistenceException    when reading or writing fails; the previous commit stays
     * @throws dev.vecpersist.api.CorruptedStateException when a file fails authentication or its checksum
     */
    public void reencrypt() {
        gate.requireWritable("reencrypt()");
        KeyRotation rotation = parts.keyRotation();
        gate.run("reencrypt", () -> rotation.rotate(parts.dir, parts.commits, parts.snapshots::store, parts.audit));
    }

    /** {@return the files of the committed chain in {@code baseDir} (base first), empty before the first save} */
    public List<Path> committedFiles() { return gate.locked(parts::committedFiles); }

    /** {@return the manifest file of {@code baseDir}} */
    public Path manifestFile() { return parts.dir.manifestFile(); }

    /**
     * Stops auto-save, waits for a save in flight, makes a final save if auto-save was running and
     * anything changed, and releases the base directory. Closing twice is harmless.
     */
    @Override
    public void close() { gate.close(); }
}
