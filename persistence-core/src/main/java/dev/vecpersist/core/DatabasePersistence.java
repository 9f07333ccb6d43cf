package dev.vecpersist.core;

import dev.vecpersist.api.PersistableDatabase;
import dev.vecpersist.api.PersistenceException;
import dev.vecpersist.api.ProgressListener;
import dev.vecpersist.api.SnapshotMetadata;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Saves and loads a database's whole state, incrementally or in full, takes and restores
 * snapshots, exports and imports, and saves automatically. Its operations are grouped in the role
 * interfaces it implements, which document them: {@link SaveOperations}, {@link LoadOperations},
 * {@link SnapshotOperations}, {@link PublishOperations}, {@link ReplicaOperations} and
 * {@link DirectoryOperations}.
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
 * <p>Replicas: {@link #openReadOnly(PersistableDatabase, PersistenceOptions)} opens a read-only manager over
 * a directory another manager writes, {@link #followRemote} one over a chain a writer publishes to an
 * object store ({@link PersistenceOptions.Builder#publishTo}); see {@link ReplicaOperations},
 * {@link PublishOperations} and docs/replicas.md.
 */
public final class DatabasePersistence implements SaveOperations, LoadOperations, SnapshotOperations,
        PublishOperations, ReplicaOperations, DirectoryOperations, VersionOperations, AutoCloseable {

    // Each operation is one delegation: to the gate when it needs a read-only check, the audit record or
    // the operation lock, else straight to the parts. The interfaces carry the documentation.

    /** The lock, lifecycle and read-only checks every operation passes through. */
    private final OperationGate gate;
    private final ManagerParts parts;

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
        return new DatabasePersistence(new OperationGate(ticks -> ManagerParts.local(db, options, plugins, true,
                ticks)));
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
        return ManagerParts.inTemporaryCache(cache -> new DatabasePersistence(new OperationGate(ticks -> ManagerParts.remote(
                db, store, settings, PersistenceOptions.builder().baseDir(cache).build(), Plugins.discover(), cache, ticks))));
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
    public PersistableDatabase database() { return parts.db; }

    /** {@return the options in force} */
    public PersistenceOptions options() { return parts.options; }

    // ------------------------------------------------------------------ SaveOperations

    @Override
    public Path save(ProgressListener listener) { return gate.save(listener); }

    @Override
    public Path save(Path file, ProgressListener listener) { return gate.save(file, listener); }

    @Override
    public Optional<Path> saveIncremental(ProgressListener listener) { return gate.saveIncremental(listener); }

    @Override
    public boolean hasUnsavedChanges() { return parts.hasUnsavedChanges(); }

    @Override
    public Path export(ExportOptions export) { return gate.export(export); }

    @Override
    public void startAutoSave() { gate.startAutoSave(); }

    @Override
    public void stopAutoSave() { parts.autoSaver.stop(); }

    @Override
    public boolean isAutoSaving() { return parts.autoSaver.isRunning(); }

    // ------------------------------------------------------------------ LoadOperations

    @Override
    public void load(ProgressListener listener) { gate.load(listener); }

    @Override
    public void load(Path file, ProgressListener listener) { gate.load(file, listener); }

    @Override
    public void importFrom(ImportOptions imp) { gate.importFrom(imp); }

    // ------------------------------------------------------------------ SnapshotOperations

    @Override
    public SnapshotMetadata createSnapshot(String name, Map<String, ?> metadata, ProgressListener listener) {
        return gate.createSnapshot(name, metadata, listener);
    }

    @Override
    public List<SnapshotMetadata> listSnapshots() { return gate.locked(parts.snapshots::list); }

    @Override
    public void restoreSnapshot(String id, boolean verify, ProgressListener listener) {
        gate.restoreSnapshot(id, verify, listener);
    }

    @Override
    public RetentionDecision pruneSnapshots(boolean dryRun) { return gate.pruneSnapshots(dryRun); }

    @Override
    public void deleteSnapshot(String id) { gate.deleteSnapshot(id); }

    // ------------------------------------------------------------------ PublishOperations

    @Override
    public void publish() { gate.publish(); }

    @Override
    public PublishStatus publishStatus() { return parts.requirePublisher("publishStatus()").status(); }

    @Override
    public Duration publishLag() { return publishStatus().lag(parts.options.clock()); }

    // ------------------------------------------------------------------ ReplicaOperations

    @Override
    public boolean isReadOnly() { return parts.readOnly; }

    @Override
    public Optional<CommitVersion> version() { return gate.version(); }

    @Override
    public Duration lag() { return gate.lag(); }

    @Override
    public Optional<ReplicaListener.Applied> refresh() { return gate.refresh(); }

    @Override
    public void follow(Duration pollInterval) { gate.follow(pollInterval); }

    @Override
    public void stopFollowing() { parts.stopFollowing(); }

    @Override
    public boolean isFollowing() { return parts.isFollowing(); }

    @Override
    public void addReplicaListener(ReplicaListener listener) { gate.addReplicaListener(listener); }

    @Override
    public void removeReplicaListener(ReplicaListener listener) { parts.removeReplicaListener(listener); }

    // ------------------------------------------------------------------ DirectoryOperations

    @Override
    public void reencrypt() { gate.reencrypt(); }

    @Override
    public List<Path> committedFiles() { return gate.locked(parts::committedFiles); }

    @Override
    public Path manifestFile() { return parts.dir.manifestFile(); }

    // ------------------------------------------------------------------ VersionOperations

    @Override
    public List<VersionInfo> listVersions() { return gate.locked(() -> parts.versions().list()); }

    @Override
    public void loadVersion(long number, ProgressListener listener) { gate.loadVersion(number, listener); }

    @Override
    public VersionInfo versionAsOf(java.time.Instant time) { return gate.versionAsOf(time); }

    @Override
    public VersionInfo restoreVersion(long number) { return gate.restoreVersion(number); }

    /**
     * Stops auto-save, waits for a save in flight, makes a final save if auto-save was running and
     * anything changed, and releases the base directory. Closing twice is harmless.
     */
    @Override
    public void close() { gate.close(); }
}
