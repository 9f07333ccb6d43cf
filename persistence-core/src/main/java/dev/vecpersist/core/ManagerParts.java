package dev.vecpersist.core;

import dev.vecpersist.api.ChainStore;
import dev.vecpersist.api.PersistableDatabase;
import dev.vecpersist.api.PersistenceException;
import dev.vecpersist.core.crypto.Encryption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.Lock;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The parts a {@link DatabasePersistence} is a facade over, wired together for a writer or a replica,
 * and their orderly release. Building them either succeeds or releases what it had taken (the
 * directory lock above all), so a failed constructor leaves nothing behind.
 */
final class ManagerParts {

    /** The manager's logger, so that its messages keep the category users configure. */
    private static final Logger LOG = LoggerFactory.getLogger(DatabasePersistence.class);

    /** What the parts call back into the manager for: the auto-save tick and the follow poll. */
    record Ticks(Runnable autoSave, Runnable follow, Consumer<Throwable> followFailed) {
    }

    final PersistableDatabase db;
    final PersistenceOptions options;
    final Plugins plugins;
    /** The format, codec and level saves are written in. */
    final SaveFormat as;
    final StateFileReader reader;
    /** Encrypts what is written and seals the manifest, or null when encryption is off. */
    final Encryption encryption;
    final BaseDirectory dir;
    /** Appends one line per operation to the audit log (a no-op when it is off). */
    final Auditor audit;
    final CommitPoint commits;
    final DatabaseWriter out;
    final ChainSaver saves;
    final ChainLoader loader;
    /** Restores a known snapshot or version's lineage incrementally; see docs/restore.md. */
    final IncrementalRestore restores;
    /** Keeps the known state on the committed chain across saves and loads. */
    final CommittedStates committedStates;
    final SnapshotManager snapshots;
    final AutoSaver autoSaver;
    /** Whether the manager only reads its directory (a replica); then {@link #follower} is set. */
    final boolean readOnly;
    final ChainFollower follower;
    final FollowSchedule followSchedule;
    /** Publishes each commit to a chain store ({@link PersistenceOptions#publishTo()}), or null. */
    final ChainPublisher publisher;
    /** The chain store a remote replica reads, or null. */
    private final ChainStore remote;
    /** The cache directory made for a remote replica, deleted on release; else null. */
    private final Path temporaryCache;

    /** Wires a writer, or a replica of a local directory when {@code readOnly}. */
    static ManagerParts local(PersistableDatabase db, PersistenceOptions options, Plugins plugins, boolean readOnly,
                              Ticks ticks) {
        return new ManagerParts(db, options, plugins, readOnly, null, null, ticks);
    }

    /** Wires a replica of the chain store {@code store}; it owns the store it opens and {@code temporaryCache}. */
    static ManagerParts remote(PersistableDatabase db, String store, Map<String, String> settings,
                               PersistenceOptions options, Plugins plugins, Path temporaryCache, Ticks ticks) {
        ChainStore chain = openChainStore(plugins, store, settings);
        try {
            return new ManagerParts(db, options, plugins, true, chain, temporaryCache, ticks);
        } catch (RuntimeException | Error e) {
            closeQuietly(chain);
            throw e;
        }
    }

    /** Opens a replica in a new temporary cache directory, deleted again when opening fails. */
    static <T> T inTemporaryCache(Function<Path, T> open) {
        Path cache;
        try {
            cache = Files.createTempDirectory("vecpersist-replica-");
        } catch (IOException e) {
            throw new PersistenceException("cannot create a cache directory for the replica: " + e.getMessage(), e);
        }
        try {
            return open.apply(cache);
        } catch (RuntimeException | Error e) {
            deleteTree(cache);
            throw e;
        }
    }

    private ManagerParts(PersistableDatabase db, PersistenceOptions options, Plugins plugins, boolean readOnly,
                         ChainStore remote, Path temporaryCache, Ticks ticks) {
        this.remote = remote;
        this.temporaryCache = temporaryCache;
        this.readOnly = readOnly;
        this.db = Objects.requireNonNull(db, "db");
        this.options = Objects.requireNonNull(options, "options");
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
                publisher == null ? m -> { } : this::publishQuietly, options.history());
        out = new DatabaseWriter(db, options, new StateFileWriter(options.fileOps(), encryption), audit);
        ChangeRelease release = new ChangeRelease(db); // saves and differential snapshots both read changes
        saves = new ChainSaver(db, dir, commits, CompactionPolicy.of(options), out, as, options.includeIndexState(), audit,
                release);
        loader = new ChainLoader(db, reader, options, audit, readOnly ? readerScratchDir(options) : options.scratchDir());
        restores = new IncrementalRestore(db, options, audit);
        committedStates = new CommittedStates(restores, loader, commits, saves, options.baseDir());
        snapshots = new SnapshotManager(db, options, plugins, out, as, loader, audit, !readOnly, release, restores);
        ChainSource source = remote != null ? new RemoteChainSource(remote, dir.path(), options.fileOps(), encryption)
                : new DirectoryChainSource(options.baseDir(), options.fileOps(), encryption);
        follower = readOnly ? new ChainFollower(db, source, loader, options) : null;
        followSchedule = readOnly ? new FollowSchedule(ticks.follow(), ticks.followFailed()) : null;
        if (readOnly) {
            autoSaver = new AutoSaver(ticks.autoSave(), options.autoSaveInterval(), options.autoSaveFailureListener());
            return;
        }
        try {
            commits.removeLeftovers();
            autoSaver = new AutoSaver(ticks.autoSave(), options.autoSaveInterval(), options.autoSaveFailureListener());
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

    private static ChainStore openChainStore(Plugins plugins, String name, Map<String, String> settings) {
        try {
            return plugins.chainStore(name).open(settings);
        } catch (IOException e) {
            throw new PersistenceException("cannot open the chain store '" + name + "': " + e.getMessage(), e);
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

    // ------------------------------------------------------------------ operations over several parts

    /** {@return whether the database changed since the last save or load; never for a replica, which never saves} */
    boolean hasUnsavedChanges() {
        return !readOnly && saves.hasUnsavedChanges();
    }

    /** Writes the whole database to one self-contained {@code file} and returns it. */
    Path writeFile(Path file, SaveFormat to, boolean indexState, dev.vecpersist.api.ProgressListener listener,
                   String operation) {
        out.writeStandalone(file, to, indexState, listener, operation);
        return file;
    }

    void startAutoSave() {
        if (options.autoSaveInterval() == null) {
            throw new IllegalStateException("autoSaveInterval is not set in the options");
        }
        autoSaver.start();
    }

    /** The re-encryption of this directory; refused with {@link IllegalStateException} when no keys are configured. */
    KeyRotation keyRotation() {
        if (encryption == null) {
            throw new IllegalStateException("reencrypt() needs PersistenceOptions.encryption(keys)");
        }
        return new KeyRotation(options.fileOps(), encryption, reader);
    }

    /** {@return the files of the chain held (a replica) or in force (a writer), base first} */
    java.util.List<Path> committedFiles() {
        Manifest m = readOnly ? follower.held() : commits.current();
        java.util.List<Path> files = new java.util.ArrayList<>();
        if (m != null) {
            m.fileNames().forEach(n -> files.add(dir.resolve(n)));
        }
        return files;
    }

    /** {@return the version in force in a writer's directory} */
    java.util.Optional<CommitVersion> committedVersion() {
        return java.util.Optional.ofNullable(commits.current()).map(CommitVersion::of);
    }

    /** The publisher; refused with {@link IllegalStateException} naming {@code operation} when the options publish nowhere. */
    ChainPublisher requirePublisher(String operation) {
        if (publisher == null) {
            throw new IllegalStateException(operation + " needs PersistenceOptions.publishTo(store, settings)"
                    + (readOnly && operation.equals("publish()") ? " on the writer; this manager is read-only" : ""));
        }
        return publisher;
    }

    /** Publishes the commit in force now, if there is one, throwing what fails. */
    void publishNow() {
        Manifest committed = commits.current();
        if (committed != null) {
            publisher.publish(committed);
        }
    }

    void stopFollowing() {
        if (followSchedule != null) {
            followSchedule.stop();
        }
    }

    boolean isFollowing() {
        return followSchedule != null && followSchedule.isRunning();
    }

    void removeReplicaListener(ReplicaListener listener) {
        if (follower != null) {
            follower.removeListener(listener);
        }
    }

    /**
     * Stops following and auto-saving, waiting for a poll or save in flight.
     *
     * @return whether auto-save was running (then the manager owes a final save)
     */
    boolean stopBackgroundWork() {
        stopFollowing();
        boolean wasAutoSaving = autoSaver.isRunning();
        autoSaver.stop();
        return wasAutoSaving;
    }

    /**
     * Closes the snapshot store under {@code operation} (so no operation uses it meanwhile), then the
     * audit log, the chain stores and the directory lock, and deletes a temporary cache.
     */
    void release(Lock operation) {
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

    /** Deletes a directory this manager made and everything in it; what cannot be deleted is logged. */
    private static void deleteTree(Path root) {
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
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

    /** {@return the committed versions of the directory this manager reads or writes} */
    VersionLoader versions() {
        if (remote != null) {
            throw new IllegalStateException("a remote replica has no history: its cache holds the latest chain only; "
                    + "list and load versions on the writer's directory");
        }
        return readOnly ? VersionLoader.replica(options.baseDir(),
                new DirectoryChainSource(options.baseDir(), options.fileOps(), encryption), loader, follower)
                : VersionLoader.writer(options.baseDir(), commits, loader, saves, committedStates);
    }
}
