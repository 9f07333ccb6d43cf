package dev.vecpersist.core;

import dev.vecpersist.core.crypto.EncryptionKeys;
import dev.vecpersist.core.io.FileOps;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;

/**
 * How a {@link DatabasePersistence} saves: where, in which format and codec, and its policies.
 * Immutable; build with {@link #builder()}.
 *
 * <pre>{@code
 * PersistenceOptions opts = PersistenceOptions.builder()
 *         .baseDir(Path.of("data")).format("msgpack").compression("lz4")
 *         .autoSaveInterval(Duration.ofMinutes(5)).build();
 * }</pre>
 */
public final class PersistenceOptions {

    /** Default of {@link #maxScratchBytes()}: 64 GiB. */
    public static final long DEFAULT_MAX_SCRATCH_BYTES = 64L << 30;

    /** The checked values; never handed out, so never changed. */
    private final PersistenceSettings s;

    private PersistenceOptions(PersistenceSettings checked) {
        s = checked;
    }

    /**
     * Starts building options.
     *
     * @return a builder with the defaults; only {@code baseDir} must be set
     */
    public static Builder builder() {
        return new Builder(new PersistenceSettings());
    }

    /** {@return a builder pre-filled with these options} */
    public Builder toBuilder() {
        return new Builder(s.copy());
    }

    // the options in force, one line each: each is documented in full on its Builder setter
    /** {@return the directory holding saves, the manifest and (for the filesystem store) snapshots} */
    public Path baseDir() { return s.baseDir; }
    /** {@return the format saves are written in, e.g. {@code "json"}; null for {@link Plugins#defaultFormat()}} */
    public String format() { return s.format; }
    /** {@return the codec saves are compressed with, or {@code "none"}} */
    public String compression() { return s.compression; }
    /** {@return the compression level, or null for the codec's default} */
    public Integer compressionLevel() { return s.compressionLevel; }
    /** {@return the number of entries after which progress is reported at the latest} */
    public int batchSize() { return s.batchSize; }
    /** {@return whether loads verify checksums (default true)} */
    public boolean verifyChecksums() { return s.verifyChecksums; }
    /** {@return how many snapshots are kept when no {@link #retention()} policy is set (default 10)} */
    public int maxSnapshots() { return s.maxSnapshots; }
    /**
     * {@return the retention policy applied after every snapshot and by {@link DatabasePersistence#pruneSnapshots(boolean)}:
     * the one set with {@link Builder#retention(RetentionPolicy)}, else {@code RetentionPolicy.keepLast(maxSnapshots())}}
     */
    public RetentionPolicy retention() {
        return s.retention != null ? s.retention : RetentionPolicy.keepLast(s.maxSnapshots);
    }
    /** {@return the auto-save period, or null when auto-save is off} */
    public Duration autoSaveInterval() { return s.autoSaveInterval; }
    /** {@return the listener that receives auto-save failures (they are logged too), or null} */
    public Consumer<Throwable> autoSaveFailureListener() { return s.autoSaveFailureListener; }
    /** {@return the number of deltas after which the next incremental save writes a new base (default 10)} */
    public int maxDeltas() { return s.maxDeltas; }
    /** {@return the fraction of the base's size beyond which the deltas' total size makes the next incremental save a full one (default 0.5)} */
    public double maxDeltaRatio() { return s.maxDeltaRatio; }
    /** {@return which committed versions stay loadable (default {@link HistoryPolicy#latestOnly()}); see docs/history.md} */
    public HistoryPolicy history() { return s.history; }
    /** {@return how snapshots are stored: whole ({@link SnapshotMode#FULL}, the default) or as pieces ({@link SnapshotMode#DIFFERENTIAL})} */
    public SnapshotMode snapshotMode() { return s.snapshotMode; }
    /** {@return whether saves include the database's index state (default true)} */
    public boolean includeIndexState() { return s.includeIndexState; }
    /** {@return the largest fraction of entries changed since a known state for a restore to stay incremental (default 0: off; see docs/restore.md)} */
    public double incrementalRestoreRatio() { return s.incrementalRestoreRatio; }
    /** {@return the snapshot store's name (default {@code "filesystem"})} */
    public String snapshotStore() { return s.snapshotStore; }
    /** {@return the settings passed to the snapshot store} */
    public Map<String, String> snapshotStoreSettings() { return s.snapshotStoreSettings; }
    /** {@return the name of the chain store every commit is published to (e.g. {@code "s3"}), or null (the default) for none} */
    public String publishTo() { return s.publishTo; }
    /** {@return the settings passed to the chain store commits are published to} */
    public Map<String, String> publishSettings() { return s.publishSettings; }
    /** {@return how long a superseded published file stays in the store for replicas still reading it (default 60 s)} */
    public Duration publishGracePeriod() { return s.publishGracePeriod; }
    /** {@return the file operations used (the real file system unless a test injects faults)} */
    public FileOps fileOps() { return s.fileOps; }
    /** {@return where a compressed file-based state (e.g. sqlite + gzip) is decompressed to before it is read; {@code baseDir} unless set} */
    public Path scratchDir() { return s.scratchDir; }
    /** {@return the most bytes such a state may decompress to in {@link #scratchDir()}} */
    public long maxScratchBytes() { return s.maxScratchBytes; }
    /** {@return the clock that dates saves and snapshots (default the system's UTC clock)} */
    public Clock clock() { return s.clock; }
    /** {@return the encryption keys, or null when files are written in clear (the default)} */
    public EncryptionKeys encryption() { return s.encryption; }
    /** {@return whether every operation appends a line to {@code baseDir/audit.log} (default false)} */
    public boolean auditLog() { return s.auditLog; }
    /** {@return the size past which the audit log is rotated to {@code audit-NNNNNN.log} (default 16 MiB)} */
    public long auditLogMaxBytes() { return s.auditLogMaxBytes; }

    /** Builds {@link PersistenceOptions}. Only {@link #baseDir(Path)} is required. */
    public static final class Builder {
        private final PersistenceSettings s;

        private Builder(PersistenceSettings values) {
            this.s = values;
        }

        /**
         * Sets the base directory (required); it is made absolute, and the manager creates it if needed.
         * @param dir see {@link PersistenceOptions#baseDir()}
         * @return this builder
         */
        public Builder baseDir(Path dir) { s.baseDir = dir; return this; }

        /**
         * Sets the format saves are written in. The default (null) is json when format-json is on the
         * class path, else the only format on it; with several and no json, saves fail until one is
         * chosen. Loads never need it: they detect the format from the content.
         * @param name see {@link PersistenceOptions#format()}
         * @return this builder
         */
        public Builder format(String name) { s.format = name; return this; }

        /**
         * Sets the codec saves are compressed with (default {@code "none"}).
         * @param name see {@link PersistenceOptions#compression()}
         * @return this builder
         */
        public Builder compression(String name) { s.compression = name; return this; }

        /**
         * Sets the compression level; null (the default) means the codec's default. The manager checks it against the codec's range.
         * @param level see {@link PersistenceOptions#compressionLevel()}
         * @return this builder
         */
        public Builder compressionLevel(Integer level) { s.compressionLevel = level; return this; }

        /**
         * Sets how many entries may pass between two progress reports (default 1000).
         * @param entries see {@link PersistenceOptions#batchSize()}
         * @return this builder
         */
        public Builder batchSize(int entries) { s.batchSize = entries; return this; }

        /**
         * Sets whether loads verify checksums (default true).
         * @param verify see {@link PersistenceOptions#verifyChecksums()}
         * @return this builder
         */
        public Builder verifyChecksums(boolean verify) { s.verifyChecksums = verify; return this; }

        /**
         * Sets how many snapshots are kept (default 10; creating one more deletes the oldest): the same as
         * {@code retention(RetentionPolicy.keepLast(max))}; not to be set beside {@link #retention(RetentionPolicy)}.
         * @param max see {@link PersistenceOptions#maxSnapshots()}
         * @return this builder
         */
        public Builder maxSnapshots(int max) { s.maxSnapshots = max; s.maxSnapshotsSet = true; return this; }

        /**
         * Sets the retention policy, e.g. grandfather-father-son:
         * {@code RetentionPolicy.builder().keepLast(7).keepDaily(14).keepWeekly(8).keepMonthly(12).build()}.
         * It replaces {@code maxSnapshots}, which must then not be set (a policy keeps the newest n with
         * {@code keepLast(n)}); null (the default) leaves {@code maxSnapshots} in force.
         * @param policy see {@link PersistenceOptions#retention()}
         * @return this builder
         */
        public Builder retention(RetentionPolicy policy) { s.retention = policy; return this; }

        /**
         * Sets the auto-save period; null (the default) leaves auto-save off. {@link DatabasePersistence#startAutoSave()} starts it.
         * @param interval see {@link PersistenceOptions#autoSaveInterval()}
         * @return this builder
         */
        public Builder autoSaveInterval(Duration interval) { s.autoSaveInterval = interval; return this; }

        /**
         * Sets a listener for auto-save failures (default none; failures are logged either way).
         * @param listener see {@link PersistenceOptions#autoSaveFailureListener()}
         * @return this builder
         */
        public Builder autoSaveFailureListener(Consumer<Throwable> listener) { s.autoSaveFailureListener = listener; return this; }

        /**
         * Sets after how many deltas an incremental save compacts into a new base (default 10).
         * @param max see {@link PersistenceOptions#maxDeltas()}
         * @return this builder
         */
        public Builder maxDeltas(int max) { s.maxDeltas = max; return this; }

        /**
         * Sets the deltas' total size, as a fraction of the base's, beyond which an incremental save compacts (default 0.5).
         * @param ratio see {@link PersistenceOptions#maxDeltaRatio()}
         * @return this builder
         */
        public Builder maxDeltaRatio(double ratio) { s.maxDeltaRatio = ratio; return this; }

        /**
         * Sets which committed versions stay loadable with {@code loadVersion}/{@code loadAsOf}, and so
         * which files compaction keeps (default {@link HistoryPolicy#latestOnly()}; see docs/history.md).
         * @param policy e.g. {@code HistoryPolicy.keepLast(50)} or {@code HistoryPolicy.keepFor(Duration.ofHours(24))}
         * @return this builder
         */
        public Builder history(HistoryPolicy policy) { s.history = policy; return this; }

        /**
         * Sets the fraction of the entries, changed since the state held was a known snapshot or version,
         * up to which restores are incremental (default 0: off; e.g. 0.1). An incremental restore does
         * not read the stored snapshot or chain it reverts to (see docs/restore.md).
         * @param ratio see {@link PersistenceOptions#incrementalRestoreRatio()}, between 0 and 1
         * @return this builder
         */
        public Builder incrementalRestoreRatio(double ratio) { s.incrementalRestoreRatio = ratio; return this; }

        /**
         * Sets whether saves include the database's index state (default true).
         * @param include see {@link PersistenceOptions#includeIndexState()}
         * @return this builder
         */
        public Builder includeIndexState(boolean include) { s.includeIndexState = include; return this; }

        /**
         * Sets the snapshot store by name (default {@code "filesystem"}, below {@code baseDir/snapshots}).
         * @param name see {@link PersistenceOptions#snapshotStore()}
         * @return this builder
         */
        public Builder snapshotStore(String name) { s.snapshotStore = name; return this; }

        /**
         * Sets the snapshot store's settings (copied; default none).
         * @param settings see {@link PersistenceOptions#snapshotStoreSettings()}
         * @return this builder
         */
        public Builder snapshotStoreSettings(Map<String, String> settings) { s.snapshotStoreSettings = Map.copyOf(settings); return this; }

        /**
         * Publishes every commit to a chain store (default: none), for replicas on other machines
         * ({@link DatabasePersistence#followRemote}): after each local commit the new state files are
         * uploaded and verified, then the manifest, last. A failed publish never fails or undoes the
         * local commit: it is logged, shown by {@link DatabasePersistence#publishStatus()} and retried
         * on the next commit or {@link DatabasePersistence#publish()}. See docs/replicas.md.
         * @param store    the chain store's name, e.g. {@code "s3"} (its module must be on the class path)
         * @param settings the store's settings, as its snapshot store takes them (copied)
         * @return this builder
         */
        public Builder publishTo(String store, Map<String, String> settings) {
            s.publishTo = java.util.Objects.requireNonNull(store, "store");
            s.publishSettings = Map.copyOf(settings);
            return this;
        }

        /**
         * Sets how long a published file no published manifest references any more stays in the store
         * before it is deleted, so that replicas that read an older manifest can still fetch it (default 60 s).
         * @param grace see {@link PersistenceOptions#publishGracePeriod()}
         * @return this builder
         */
        public Builder publishGracePeriod(Duration grace) { s.publishGracePeriod = grace; return this; }

        /**
         * Sets how snapshots are stored (default {@link SnapshotMode#FULL}); see docs/snapshots.md.
         *
         * @param mode see {@link PersistenceOptions#snapshotMode()}
         * @return this builder
         */
        public Builder snapshotMode(SnapshotMode mode) { s.snapshotMode = mode; return this; }

        /**
         * Sets the file operations (default {@link FileOps#SYSTEM}); tests pass their own to inject faults.
         * @param ops see {@link PersistenceOptions#fileOps()}
         * @return this builder
         */
        public Builder fileOps(FileOps ops) { s.fileOps = ops; return this; }

        /**
         * Sets the scratch directory for decompressing file-based formats (default: {@code baseDir}).
         * @param dir see {@link PersistenceOptions#scratchDir()}
         * @return this builder
         */
        public Builder scratchDir(Path dir) { s.scratchDir = dir; return this; }

        /**
         * Sets the most bytes one decompressed scratch file may take (default 64 GiB).
         * @param bytes see {@link PersistenceOptions#maxScratchBytes()}
         * @return this builder
         */
        public Builder maxScratchBytes(long bytes) { s.maxScratchBytes = bytes; return this; }

        /**
         * Sets the clock that dates saves and snapshots (default {@link Clock#systemUTC()}). Time is metadata
         * only: the order of saves and snapshots never depends on it, so a clock stepped back is harmless.
         * @param clock see {@link PersistenceOptions#clock()}
         * @return this builder
         */
        public Builder clock(Clock clock) { s.clock = clock; return this; }

        /**
         * Turns on encryption at rest (default off): every state file, delta, snapshot and export is
         * encrypted under the primary key, and the manifest is authenticated; older keys still read.
         * See docs/encryption.md.
         * @param keys see {@link PersistenceOptions#encryption()}; null turns encryption off
         * @return this builder
         */
        public Builder encryption(EncryptionKeys keys) { s.encryption = keys; return this; }

        /**
         * Turns on the tamper-evident audit log (default off): one hash-chained JSON line per
         * operation in {@code baseDir/audit.log}, also logged on the SLF4J logger
         * {@code dev.vecpersist.audit}. See docs/audit-log.md.
         * @param enabled see {@link PersistenceOptions#auditLog()}
         * @return this builder
         */
        public Builder auditLog(boolean enabled) { s.auditLog = enabled; return this; }

        /**
         * Sets the size past which the audit log is rotated (default 16 MiB, at least 4096).
         * @param bytes see {@link PersistenceOptions#auditLogMaxBytes()}
         * @return this builder
         */
        public Builder auditLogMaxBytes(long bytes) { s.auditLogMaxBytes = bytes; return this; }

        /**
         * Builds the options.
         *
         * @return the options
         * @throws NullPointerException     when {@code baseDir}, the snapshot store, the snapshot mode, the
         *                                  file operations or the clock are null
         * @throws IllegalArgumentException when the batch size, maximum snapshots or auto-save interval is not
         *                                  positive, {@code maxDeltas} is negative, {@code maxDeltaRatio} is not positive,
         *                                  {@code auditLogMaxBytes} is below 4096, or both {@code maxSnapshots}
         *                                  and a retention policy are set
         */
        public PersistenceOptions build() {
            return new PersistenceOptions(s.validated());
        }
    }
}
