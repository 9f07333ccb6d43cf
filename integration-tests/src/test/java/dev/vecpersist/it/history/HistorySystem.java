package dev.vecpersist.it.history;

import dev.vecpersist.api.Metric;
import dev.vecpersist.api.VectorEntry;
import dev.vecpersist.core.DatabasePersistence;
import dev.vecpersist.core.HistoryPolicy;
import dev.vecpersist.core.PersistenceOptions;
import dev.vecpersist.core.RetentionPolicy;
import dev.vecpersist.core.SnapshotMode;
import dev.vecpersist.core.VectorDB;
import dev.vecpersist.core.crypto.EncryptionKeys;
import dev.vecpersist.testkit.MutableClock;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * The system under test: a database, its manager on a real base directory (encrypted at rest when
 * given keys), and the stepped clock that dates its snapshots. Reopening keeps the directory and, unless asked for a fresh one, the
 * database object.
 */
final class HistorySystem implements AutoCloseable {

    static final int DIMENSION = 4;

    /**
     * The case's history, snapshot and restore options, the same for every manager of the case.
     *
     * @param history                 the history policy
     * @param snapshotMode            full or differential snapshots
     * @param incrementalRestoreRatio 0 (off) or the ratio under which restores and loads may be incremental
     */
    record Setup(HistoryPolicy history, SnapshotMode snapshotMode, double incrementalRestoreRatio) {
        static final Setup DEFAULT = new Setup(HistoryPolicy.latestOnly(), SnapshotMode.FULL, 0);
    }

    private final Path baseDir;
    private String format;
    private String codec;
    private final int maxDeltas;
    private final int batchSize;
    private final EncryptionKeys keys;
    private final MutableClock clock;
    private VectorDB db = new VectorDB(DIMENSION, Metric.COSINE);
    private DatabasePersistence manager;
    private RetentionPolicy policy;
    private final Setup setup;

    HistorySystem(Path baseDir, String format, String codec, int maxDeltas, int batchSize, EncryptionKeys keys,
                  Instant start, RetentionPolicy policy, Setup setup) {
        this.setup = setup;
        this.baseDir = baseDir;
        this.format = format;
        this.codec = codec;
        this.maxDeltas = maxDeltas;
        this.batchSize = batchSize;
        this.keys = keys;
        this.clock = new MutableClock(start);
        this.policy = policy;
        this.manager = open();
    }

    private DatabasePersistence open() {
        PersistenceOptions.Builder options = PersistenceOptions.builder().baseDir(baseDir).format(format)
                .compression(codec).maxDeltas(maxDeltas).batchSize(batchSize).clock(clock).retention(policy)
                .history(setup.history()).snapshotMode(setup.snapshotMode()).incrementalRestoreRatio(setup.incrementalRestoreRatio());
        return new DatabasePersistence(db, (keys == null ? options : options.encryption(keys)).build());
    }

    /** Closes the manager and opens a new one with {@code newPolicy}, on a new empty database when {@code fresh}. */
    void reopen(RetentionPolicy newPolicy, boolean fresh) {
        reopen(newPolicy, fresh, format, codec);
    }

    /** Closes the manager and opens a new one writing {@code newFormat} and {@code newCodec}; see {@link #reopen(RetentionPolicy, boolean)}. */
    void reopen(RetentionPolicy newPolicy, boolean fresh, String newFormat, String newCodec) {
        manager.close();
        policy = newPolicy;
        format = newFormat;
        codec = newCodec;
        if (fresh) {
            db = new VectorDB(DIMENSION, Metric.COSINE);
        }
        manager = open();
    }

    DatabasePersistence manager() {
        return manager;
    }

    VectorDB db() {
        return db;
    }

    MutableClock clock() {
        return clock;
    }

    String format() {
        return format;
    }

    String codec() {
        return codec;
    }

    Setup setup() {
        return setup;
    }

    RetentionPolicy policy() {
        return policy;
    }

    /** {@return the database's content, id -> entry} */
    Map<String, VectorEntry> content() {
        Map<String, VectorEntry> out = new TreeMap<>();
        db.snapshot().forEach(e -> out.put(e.id(), e));
        return out;
    }

    @Override
    public void close() {
        manager.close();
    }
}
