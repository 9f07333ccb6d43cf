package dev.vecpersist.langchain4j;

import dev.vecpersist.api.IncompatibleStateException;
import dev.vecpersist.api.Metric;
import dev.vecpersist.api.VectorEntry;
import dev.vecpersist.core.DatabasePersistence;
import dev.vecpersist.core.PersistenceOptions;
import dev.vecpersist.core.VectorDB;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Opens a {@link DurableEmbeddingStore}: {@code baseDir} and {@code dimension} are required.
 *
 * <pre>{@code
 * DurableEmbeddingStore store = DurableEmbeddingStore.builder()
 *         .baseDir(Path.of("embeddings"))
 *         .dimension(embeddingModel.dimension())
 *         .format("msgpack").compression("lz4")
 *         .autoSave(Duration.ofSeconds(30))
 *         .build();
 * }</pre>
 */
public final class DurableEmbeddingStoreBuilder {

    private Path baseDir;
    private int dimension;
    private String format;
    private String compression;
    private Duration autoSave;
    private boolean saveOnEveryWrite;
    private Consumer<PersistenceOptions.Builder> tuning = b -> { };

    DurableEmbeddingStoreBuilder() {
    }

    /**
     * @param dir the directory the store lives in (created if missing; loaded if it holds a saved store)
     * @return this builder
     */
    public DurableEmbeddingStoreBuilder baseDir(Path dir) {
        this.baseDir = dir;
        return this;
    }

    /**
     * @param dimension components per embedding: the embedding model's {@code dimension()}
     * @return this builder
     */
    public DurableEmbeddingStoreBuilder dimension(int dimension) {
        this.dimension = dimension;
        return this;
    }

    /**
     * @param name the format saves are written in: {@code json} (the default), {@code msgpack} or
     *             {@code sqlite}; its module must be on the classpath. Any format on the classpath loads.
     * @return this builder
     */
    public DurableEmbeddingStoreBuilder format(String name) {
        this.format = name;
        return this;
    }

    /**
     * @param name the codec saves are compressed with ({@code none} by default, {@code gzip},
     *             {@code lz4}, {@code brotli}); its module must be on the classpath
     * @return this builder
     */
    public DurableEmbeddingStoreBuilder compression(String name) {
        this.compression = name;
        return this;
    }

    /**
     * @param interval save what changed at this fixed delay, on a daemon thread; null for no auto-save
     * @return this builder
     */
    public DurableEmbeddingStoreBuilder autoSave(Duration interval) {
        this.autoSave = interval;
        return this;
    }

    /**
     * @param enabled make every add and remove durable before it returns (an incremental save,
     *                shared by concurrent writers)
     * @return this builder
     */
    public DurableEmbeddingStoreBuilder saveOnEveryWrite(boolean enabled) {
        this.saveOnEveryWrite = enabled;
        return this;
    }

    /**
     * Further persistence settings (delta thresholds, snapshot retention, snapshot store, ...),
     * applied after the ones above.
     *
     * @param settings changes the options builder
     * @return this builder
     */
    public DurableEmbeddingStoreBuilder persistenceOptions(Consumer<PersistenceOptions.Builder> settings) {
        this.tuning = Objects.requireNonNull(settings, "settings");
        return this;
    }

    /**
     * Opens the store: takes the base directory's lock and loads its saved state, if any.
     *
     * @return the open store; close it to save and release the directory
     * @throws IllegalArgumentException                      when baseDir or dimension is missing
     * @throws IncompatibleStateException                    when the directory holds a state of another
     *                                                       dimension or metric, or entries not written by this store
     * @throws dev.vecpersist.api.CorruptedStateException    when the saved state is damaged
     * @throws dev.vecpersist.api.UnsupportedFormatException when the format or codec is not on the classpath
     * @throws dev.vecpersist.api.PersistenceException       when the directory is unusable or used by another store
     */
    public DurableEmbeddingStore build() {
        if (baseDir == null) {
            throw new IllegalArgumentException("baseDir is required");
        }
        if (dimension <= 0) {
            throw new IllegalArgumentException("dimension is required (the embedding model's dimension()), was " + dimension);
        }
        PersistenceOptions.Builder options = PersistenceOptions.builder().baseDir(baseDir).autoSaveInterval(autoSave);
        if (format != null) {
            options.format(format);
        }
        if (compression != null) {
            options.compression(compression);
        }
        tuning.accept(options);
        VectorDB db = new VectorDB(dimension, Metric.COSINE);
        DatabasePersistence persistence = new DatabasePersistence(db, options.build());
        try {
            DurableEmbeddingStore store = new DurableEmbeddingStore(db, persistence, saveOnEveryWrite);
            if (Files.exists(persistence.manifestFile())) {
                persistence.load();
                checkSegments(db, persistence.manifestFile());
                store.loaded();
            }
            if (autoSave != null) {
                persistence.startAutoSave();
            }
            return store;
        } catch (RuntimeException e) {
            persistence.close();
            throw e;
        }
    }

    /** Every entry must decode now, rather than fail a search later. */
    private static void checkSegments(VectorDB db, Path manifest) {
        for (VectorEntry e : db.snapshot()) {
            try {
                SegmentCodec.decode(e.id(), e.metadata());
            } catch (IllegalArgumentException ex) {
                throw new IncompatibleStateException("not a DurableEmbeddingStore: " + ex.getMessage(), manifest, ex);
            }
        }
    }
}
