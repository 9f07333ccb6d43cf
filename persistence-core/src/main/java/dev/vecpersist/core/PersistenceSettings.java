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
 * The values behind {@link PersistenceOptions}, with their defaults: filled in by its
 * {@link PersistenceOptions.Builder}, then copied, checked and normalised by {@link #validated()} into
 * the copy an options object keeps (and never hands out). A shallow copy is a full one: every value
 * is immutable.
 */
final class PersistenceSettings implements Cloneable {

    Path baseDir;
    String format;
    String compression = Plugins.NO_COMPRESSION;
    Integer compressionLevel;
    int batchSize = 1000;
    boolean verifyChecksums = true;
    int maxSnapshots = 10;
    /** Whether {@code maxSnapshots} was set, which a retention policy may not be set beside. */
    boolean maxSnapshotsSet;
    /** The retention policy set, or null for {@code RetentionPolicy.keepLast(maxSnapshots)}. */
    RetentionPolicy retention;
    Duration autoSaveInterval;
    Consumer<Throwable> autoSaveFailureListener;
    int maxDeltas = 10;
    double maxDeltaRatio = 0.5;
    double incrementalRestoreRatio;
    boolean includeIndexState = true;
    HistoryPolicy history = HistoryPolicy.latestOnly();
    String snapshotStore = "filesystem";
    Map<String, String> snapshotStoreSettings = Map.of();
    FileOps fileOps = FileOps.SYSTEM;
    Path scratchDir;
    long maxScratchBytes = PersistenceOptions.DEFAULT_MAX_SCRATCH_BYTES;
    Clock clock = Clock.systemUTC();
    EncryptionKeys encryption;
    boolean auditLog;
    long auditLogMaxBytes = 16L << 20;
    /** The chain store commits are published to, or null for none. */
    String publishTo;
    Map<String, String> publishSettings = Map.of();
    Duration publishGracePeriod = Duration.ofSeconds(60);
    SnapshotMode snapshotMode = SnapshotMode.FULL;

    /**
     * A checked copy: the directories made absolute, the scratch directory defaulted to the base
     * directory, an unset codec made {@code "none"}.
     *
     * @throws NullPointerException     when {@code baseDir}, the snapshot store, the file operations or the clock are null
     * @throws IllegalArgumentException when a size, count or period is out of its range
     */
    PersistenceSettings validated() {
        PersistenceSettings v = copy();
        v.baseDir = Objects.requireNonNull(baseDir, "baseDir is required").toAbsolutePath().normalize();
        v.compression = compression == null ? Plugins.NO_COMPRESSION : compression;
        require(batchSize > 0, "batchSize must be positive");
        require(maxSnapshots > 0, "maxSnapshots must be positive");
        require(retention == null || !maxSnapshotsSet, "set maxSnapshots or retention, not both: maxSnapshots(n) is "
                + "retention(RetentionPolicy.keepLast(n)); to combine, put keepLast(n) in the policy");
        require(autoSaveInterval == null || !(autoSaveInterval.isNegative() || autoSaveInterval.isZero()),
                "autoSaveInterval must be positive");
        require(maxDeltas >= 0 && maxDeltaRatio > 0, "maxDeltas must be >= 0 and maxDeltaRatio > 0");
        require(incrementalRestoreRatio >= 0 && incrementalRestoreRatio <= 1,
                "incrementalRestoreRatio must be between 0 and 1");
        Objects.requireNonNull(snapshotStore, "snapshotStore");
        Objects.requireNonNull(history, "history");
        v.snapshotStoreSettings = Map.copyOf(snapshotStoreSettings);
        Objects.requireNonNull(fileOps, "fileOps");
        v.scratchDir = scratchDir == null ? v.baseDir : scratchDir.toAbsolutePath().normalize();
        require(maxScratchBytes > 0, "maxScratchBytes must be positive");
        Objects.requireNonNull(clock, "clock");
        require(auditLogMaxBytes >= 4096, "auditLogMaxBytes must be at least 4096");
        v.publishSettings = Map.copyOf(publishSettings);
        Objects.requireNonNull(publishGracePeriod, "publishGracePeriod");
        require(!publishGracePeriod.isNegative(), "publishGracePeriod must not be negative");
        Objects.requireNonNull(snapshotMode, "snapshotMode");
        return v;
    }

    PersistenceSettings copy() {
        try {
            return (PersistenceSettings) clone();
        } catch (CloneNotSupportedException e) {
            throw new AssertionError("PersistenceSettings is Cloneable", e);
        }
    }

    private static void require(boolean valid, String message) {
        if (!valid) {
            throw new IllegalArgumentException(message);
        }
    }
}
