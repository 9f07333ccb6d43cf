package dev.vecpersist.core;

import dev.vecpersist.core.crypto.EncryptionKeys;
import dev.vecpersist.core.io.FileOps;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
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

    private final Path baseDir;
    private final String format;
    private final String compression;
    private final Integer compressionLevel;
    private final int batchSize;
    private final boolean verifyChecksums;
    private final int maxSnapshots;
    private final Duration autoSaveInterval;
    private final Consumer<Throwable> autoSaveFailureListener;
    private final int maxDeltas;
    private final double maxDeltaRatio;
    private final boolean includeIndexState;
    private final String snapshotStore;
    private final Map<String, String> snapshotStoreSettings;
    private final FileOps fileOps;
    private final Path scratchDir;
    private final long maxScratchBytes;

    /** Default of {@link #maxScratchBytes()}: 64 GiB. */
    public static final long DEFAULT_MAX_SCRATCH_BYTES = 64L << 30;
    private final Clock clock;
    private final EncryptionKeys encryption;
    private final boolean auditLog;
    private final long auditLogMaxBytes;

    private PersistenceOptions(Builder b) {
        baseDir = Objects.requireNonNull(b.baseDir, "baseDir is required").toAbsolutePath().normalize();
        format = b.format;
        compression = b.compression == null ? Plugins.NO_COMPRESSION : b.compression;
        compressionLevel = b.compressionLevel;
        if (b.batchSize <= 0) {
            throw new IllegalArgumentException("batchSize must be positive");
        }
        batchSize = b.batchSize;
        verifyChecksums = b.verifyChecksums;
        if (b.maxSnapshots <= 0) {
            throw new IllegalArgumentException("maxSnapshots must be positive");
        }
        maxSnapshots = b.maxSnapshots;
        if (b.autoSaveInterval != null && (b.autoSaveInterval.isNegative() || b.autoSaveInterval.isZero())) {
            throw new IllegalArgumentException("autoSaveInterval must be positive");
        }
        autoSaveInterval = b.autoSaveInterval;
        autoSaveFailureListener = b.autoSaveFailureListener;
        if (b.maxDeltas < 0 || b.maxDeltaRatio <= 0) {
            throw new IllegalArgumentException("maxDeltas must be >= 0 and maxDeltaRatio > 0");
        }
        maxDeltas = b.maxDeltas;
        maxDeltaRatio = b.maxDeltaRatio;
        includeIndexState = b.includeIndexState;
        snapshotStore = Objects.requireNonNull(b.snapshotStore, "snapshotStore");
        snapshotStoreSettings = Map.copyOf(b.snapshotStoreSettings);
        fileOps = Objects.requireNonNull(b.fileOps, "fileOps");
        scratchDir = b.scratchDir == null ? baseDir : b.scratchDir.toAbsolutePath().normalize();
        if (b.maxScratchBytes <= 0) {
            throw new IllegalArgumentException("maxScratchBytes must be positive");
        }
        maxScratchBytes = b.maxScratchBytes;
        clock = Objects.requireNonNull(b.clock, "clock");
        encryption = b.encryption;
        auditLog = b.auditLog;
        if (b.auditLogMaxBytes < 4096) {
            throw new IllegalArgumentException("auditLogMaxBytes must be at least 4096");
        }
        auditLogMaxBytes = b.auditLogMaxBytes;
    }

    /**
     * Starts building options.
     *
     * @return a builder with the defaults; only {@code baseDir} must be set
     */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return a builder pre-filled with these options} */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.baseDir = baseDir;
        b.format = format;
        b.compression = compression;
        b.compressionLevel = compressionLevel;
        b.batchSize = batchSize;
        b.verifyChecksums = verifyChecksums;
        b.maxSnapshots = maxSnapshots;
        b.autoSaveInterval = autoSaveInterval;
        b.autoSaveFailureListener = autoSaveFailureListener;
        b.maxDeltas = maxDeltas;
        b.maxDeltaRatio = maxDeltaRatio;
        b.includeIndexState = includeIndexState;
        b.snapshotStore = snapshotStore;
        b.snapshotStoreSettings = snapshotStoreSettings;
        b.fileOps = fileOps;
        b.scratchDir = scratchDir;
        b.maxScratchBytes = maxScratchBytes;
        b.clock = clock;
        b.encryption = encryption;
        b.auditLog = auditLog;
        b.auditLogMaxBytes = auditLogMaxBytes;
        return b;
    }

    /** {@return the directory holding saves, the manifest and (for the filesystem store) snapshots} */
    public Path baseDir() { return baseDir; }

    /**
     * {@return the format saves are written in, e.g. {@code "json"}; null (the default) for
     * {@link Plugins#defaultFormat()}: json when it is on the class path, else the only format there}
     */
    public String format() { return format; }

    /** {@return the codec saves are compressed with, or {@code "none"}} */
    public String compression() { return compression; }

    /** {@return the compression level, or null for the codec's default} */
    public Integer compressionLevel() { return compressionLevel; }

    /** {@return the number of entries after which progress is reported at the latest} */
    public int batchSize() { return batchSize; }

    /** {@return whether loads verify checksums (default true)} */
    public boolean verifyChecksums() { return verifyChecksums; }

    /** {@return how many snapshots are kept; creating one more deletes the oldest (default 10)} */
    public int maxSnapshots() { return maxSnapshots; }

    /** {@return the auto-save period, or null when auto-save is off} */
    public Duration autoSaveInterval() { return autoSaveInterval; }

    /** {@return the listener that receives auto-save failures (they are logged too), or null} */
    public Consumer<Throwable> autoSaveFailureListener() { return autoSaveFailureListener; }

    /** {@return the number of deltas after which the next incremental save writes a new base (default 10)} */
    public int maxDeltas() { return maxDeltas; }

    /** {@return the fraction of the base's size beyond which the deltas' total size makes the next incremental save a full one (default 0.5)} */
    public double maxDeltaRatio() { return maxDeltaRatio; }

    /** {@return whether saves include the database's index state (default true)} */
    public boolean includeIndexState() { return includeIndexState; }

    /** {@return the snapshot store's name (default {@code "filesystem"})} */
    public String snapshotStore() { return snapshotStore; }

    /** {@return the settings passed to the snapshot store} */
    public Map<String, String> snapshotStoreSettings() { return snapshotStoreSettings; }

    /** {@return the file operations used (the real file system unless a test injects faults)} */
    public FileOps fileOps() { return fileOps; }

    /** {@return where a compressed file-based state (e.g. sqlite + gzip) is decompressed to before it is read; {@code baseDir} unless set} */
    public Path scratchDir() { return scratchDir; }

    /** {@return the most bytes such a state may decompress to in {@link #scratchDir()}} */
    public long maxScratchBytes() { return maxScratchBytes; }
    /**
     * The clock that dates saves and snapshots (default the system's UTC clock). Time is metadata
     * only: the order of saves and snapshots never depends on it, so a clock stepped back is harmless.
     *
     * @return the clock
     */
    public Clock clock() { return clock; }

    /** {@return the encryption keys, or null when files are written in clear (the default)} */
    public EncryptionKeys encryption() { return encryption; }

    /** {@return whether every operation appends a line to {@code baseDir/audit.log} (default false)} */
    public boolean auditLog() { return auditLog; }

    /** {@return the size past which the audit log is rotated to {@code audit-NNNNNN.log} (default 16 MiB)} */
    public long auditLogMaxBytes() { return auditLogMaxBytes; }

    /** Builds {@link PersistenceOptions}. Only {@link #baseDir(Path)} is required. */
    public static final class Builder {
        private Path baseDir;
        private String format;
        private String compression = Plugins.NO_COMPRESSION;
        private Integer compressionLevel;
        private int batchSize = 1000;
        private boolean verifyChecksums = true;
        private int maxSnapshots = 10;
        private Duration autoSaveInterval;
        private Consumer<Throwable> autoSaveFailureListener;
        private int maxDeltas = 10;
        private double maxDeltaRatio = 0.5;
        private boolean includeIndexState = true;
        private String snapshotStore = "filesystem";
        private Map<String, String> snapshotStoreSettings = Map.of();
        private FileOps fileOps = FileOps.SYSTEM;
        private Path scratchDir;
        private long maxScratchBytes = DEFAULT_MAX_SCRATCH_BYTES;
        private Clock clock = Clock.systemUTC();
        private EncryptionKeys encryption;
        private boolean auditLog;
        private long auditLogMaxBytes = 16L << 20;

        private Builder() {
        }

        /**
         * Sets the base directory (required); it is made absolute, and the manager creates it if needed.
         *
         * @param dir see {@link PersistenceOptions#baseDir()}
         * @return this builder
         */
        public Builder baseDir(Path dir) { this.baseDir = dir; return this; }

        /**
         * Sets the format saves are written in. The default (null) is json when format-json is on the
         * class path, else the only format on it; with several and no json, saves fail until one is
         * chosen. Loads never need it: they detect the format from the content.
         *
         * @param name see {@link PersistenceOptions#format()}
         * @return this builder
         */
        public Builder format(String name) { this.format = name; return this; }

        /**
         * Sets the codec saves are compressed with (default {@code "none"}).
         *
         * @param name see {@link PersistenceOptions#compression()}
         * @return this builder
         */
        public Builder compression(String name) { this.compression = name; return this; }

        /**
         * Sets the compression level; null (the default) means the codec's default. The manager checks it against the codec's range.
         *
         * @param level see {@link PersistenceOptions#compressionLevel()}
         * @return this builder
         */
        public Builder compressionLevel(Integer level) { this.compressionLevel = level; return this; }

        /**
         * Sets how many entries may pass between two progress reports (default 1000).
         *
         * @param entries see {@link PersistenceOptions#batchSize()}
         * @return this builder
         */
        public Builder batchSize(int entries) { this.batchSize = entries; return this; }

        /**
         * Sets whether loads verify checksums (default true).
         *
         * @param verify see {@link PersistenceOptions#verifyChecksums()}
         * @return this builder
         */
        public Builder verifyChecksums(boolean verify) { this.verifyChecksums = verify; return this; }

        /**
         * Sets how many snapshots are kept (default 10).
         *
         * @param max see {@link PersistenceOptions#maxSnapshots()}
         * @return this builder
         */
        public Builder maxSnapshots(int max) { this.maxSnapshots = max; return this; }

        /**
         * Sets the auto-save period; null (the default) leaves auto-save off. {@link DatabasePersistence#startAutoSave()} starts it.
         *
         * @param interval see {@link PersistenceOptions#autoSaveInterval()}
         * @return this builder
         */
        public Builder autoSaveInterval(Duration interval) { this.autoSaveInterval = interval; return this; }

        /**
         * Sets a listener for auto-save failures (default none; failures are logged either way).
         *
         * @param listener see {@link PersistenceOptions#autoSaveFailureListener()}
         * @return this builder
         */
        public Builder autoSaveFailureListener(Consumer<Throwable> listener) { this.autoSaveFailureListener = listener; return this; }

        /**
         * Sets after how many deltas an incremental save compacts into a new base (default 10).
         *
         * @param max see {@link PersistenceOptions#maxDeltas()}
         * @return this builder
         */
        public Builder maxDeltas(int max) { this.maxDeltas = max; return this; }

        /**
         * Sets the deltas' total size, as a fraction of the base's, beyond which an incremental save compacts (default 0.5).
         *
         * @param ratio see {@link PersistenceOptions#maxDeltaRatio()}
         * @return this builder
         */
        public Builder maxDeltaRatio(double ratio) { this.maxDeltaRatio = ratio; return this; }

        /**
         * Sets whether saves include the database's index state (default true).
         *
         * @param include see {@link PersistenceOptions#includeIndexState()}
         * @return this builder
         */
        public Builder includeIndexState(boolean include) { this.includeIndexState = include; return this; }

        /**
         * Sets the snapshot store by name (default {@code "filesystem"}, below {@code baseDir/snapshots}).
         *
         * @param name see {@link PersistenceOptions#snapshotStore()}
         * @return this builder
         */
        public Builder snapshotStore(String name) { this.snapshotStore = name; return this; }

        /**
         * Sets the snapshot store's settings (copied; default none).
         *
         * @param settings see {@link PersistenceOptions#snapshotStoreSettings()}
         * @return this builder
         */
        public Builder snapshotStoreSettings(Map<String, String> settings) { this.snapshotStoreSettings = Map.copyOf(settings); return this; }

        /**
         * Sets the file operations (default {@link FileOps#SYSTEM}); tests pass their own to inject faults.
         *
         * @param ops see {@link PersistenceOptions#fileOps()}
         * @return this builder
         */
        public Builder fileOps(FileOps ops) { this.fileOps = ops; return this; }

        /**
         * Sets the scratch directory for decompressing file-based formats (default: {@code baseDir}).
         *
         * @param dir see {@link PersistenceOptions#scratchDir()}
         * @return this builder
         */
        public Builder scratchDir(Path dir) { this.scratchDir = dir; return this; }

        /**
         * Sets the most bytes one decompressed scratch file may take (default 64 GiB).
         *
         * @param bytes see {@link PersistenceOptions#maxScratchBytes()}
         * @return this builder
         */
        public Builder maxScratchBytes(long bytes) { this.maxScratchBytes = bytes; return this; }

        /**
         * Sets the clock that dates saves and snapshots (default {@link Clock#systemUTC()}).
         *
         * @param clock see {@link PersistenceOptions#clock()}
         * @return this builder
         */
        public Builder clock(Clock clock) { this.clock = clock; return this; }

        /**
         * Turns on encryption at rest (default off): every state file, delta, snapshot and export is
         * encrypted under the primary key, and the manifest is authenticated; older keys still read.
         * See docs/encryption.md.
         *
         * @param keys see {@link PersistenceOptions#encryption()}; null turns encryption off
         * @return this builder
         */
        public Builder encryption(EncryptionKeys keys) { this.encryption = keys; return this; }

        /**
         * Turns on the tamper-evident audit log (default off): one hash-chained JSON line per
         * operation in {@code baseDir/audit.log}, also logged on the SLF4J logger
         * {@code dev.vecpersist.audit}. See docs/audit-log.md.
         *
         * @param enabled see {@link PersistenceOptions#auditLog()}
         * @return this builder
         */
        public Builder auditLog(boolean enabled) { this.auditLog = enabled; return this; }

        /**
         * Sets the size past which the audit log is rotated (default 16 MiB, at least 4096).
         *
         * @param bytes see {@link PersistenceOptions#auditLogMaxBytes()}
         * @return this builder
         */
        public Builder auditLogMaxBytes(long bytes) { this.auditLogMaxBytes = bytes; return this; }

        /**
         * Builds the options.
         *
         * @return the options
         * @throws NullPointerException     when {@code baseDir}, the snapshot store, the file operations or
         *                                  the clock are null
         * @throws IllegalArgumentException when the batch size, maximum snapshots or auto-save interval is not
         *                                  positive, {@code maxDeltas} is negative, {@code maxDeltaRatio} is not positive,
         *                                  or {@code auditLogMaxBytes} is below 4096
         */
        public PersistenceOptions build() {
            return new PersistenceOptions(this);
        }
    }
}
