package dev.vecpersist.langchain4j;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.store.embedding.EmbeddingSearchRequest;
import dev.langchain4j.store.embedding.EmbeddingSearchResult;
import dev.langchain4j.store.embedding.EmbeddingStore;
import dev.langchain4j.store.embedding.filter.Filter;
import dev.vecpersist.api.CorruptedStateException;
import dev.vecpersist.api.IncompatibleStateException;
import dev.vecpersist.api.SnapshotMetadata;
import dev.vecpersist.api.VectorEntry;
import dev.vecpersist.core.DatabasePersistence;
import dev.vecpersist.core.VectorDB;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A LangChain4j {@link EmbeddingStore} whose content survives crashes: an in-memory exact-search
 * store (a VecPersist {@link VectorDB}, cosine) saved by a {@link DatabasePersistence} into a base
 * directory, in any VecPersist format and codec.
 *
 * <pre>{@code
 * try (DurableEmbeddingStore store = DurableEmbeddingStore.builder()
 *         .baseDir(Path.of("embeddings")).dimension(384).format("msgpack").saveOnEveryWrite(true).build()) {
 *     store.add(embedding, TextSegment.from("hello", Metadata.from("page", "1")));
 *     List<EmbeddingMatch<TextSegment>> top = store.search(request).matches();
 * }
 * }</pre>
 *
 * <p>Opening a directory that holds a saved store loads it. Saves are incremental and atomic (a
 * temporary file, fsync, rename, then the manifest), so a crash at any moment leaves the last
 * committed state loadable. With {@code saveOnEveryWrite} every add and remove is durable when it
 * returns; concurrent writers share one save (group commit). Otherwise writes are saved by
 * {@link #save()}, by auto-save when configured, and by {@link #close()}.
 *
 * <p>Segments and their metadata come back exactly as added, value types included (see
 * {@link SegmentCodec} for the stored layout). Scores are LangChain4j's relevance scores,
 * {@code (cosine + 1) / 2}, computed as {@code InMemoryEmbeddingStore} computes them.
 *
 * <p>Thread-safe. A base directory is owned by one open store at a time (in any process).
 */
public final class DurableEmbeddingStore implements EmbeddingStore<TextSegment>, AutoCloseable {

    private final VectorDB db;
    private final DatabasePersistence persistence;
    private final GroupCommit commit;
    private final boolean saveOnEveryWrite;
    private volatile boolean closed;

    DurableEmbeddingStore(VectorDB db, DatabasePersistence persistence, boolean saveOnEveryWrite) {
        this.db = db;
        this.persistence = persistence;
        this.saveOnEveryWrite = saveOnEveryWrite;
        this.commit = new GroupCommit(db::currentSequence, persistence::saveIncremental);
    }

    /** {@return a builder; {@code baseDir} and {@code dimension} are required} */
    public static DurableEmbeddingStoreBuilder builder() {
        return new DurableEmbeddingStoreBuilder();
    }

    /** Called by the builder once the directory's state is loaded: that state is on disk already. */
    void loaded() {
        commit.saved(db.currentSequence());
    }

    // ------------------------------------------------------------------ adds

    @Override
    public String add(Embedding embedding) {
        String id = UUID.randomUUID().toString();
        add(id, embedding);
        return id;
    }

    @Override
    public void add(String id, Embedding embedding) {
        requireId(id);
        insert(List.of(new VectorEntry(id, embedding.vector(), Map.of())));
    }

    @Override
    public String add(Embedding embedding, TextSegment segment) {
        String id = UUID.randomUUID().toString();
        insert(List.of(new VectorEntry(id, embedding.vector(), SegmentCodec.encode(segment))));
        return id;
    }

    @Override
    public List<String> addAll(List<Embedding> embeddings) {
        List<String> ids = generateIds(embeddings.size());
        addAll(ids, embeddings, null);
        return ids;
    }

    /**
     * Adds (or replaces, by id) embeddings with their segments in one step: all are validated
     * before any is stored.
     *
     * @param ids        one id per embedding, none blank
     * @param embeddings the embeddings, of the store's dimension
     * @param embedded   one segment (or null) per embedding, or null for no segments
     * @throws IllegalArgumentException when the lists differ in size, an id is blank, an embedding
     *                                  has another dimension, or metadata holds a non-finite number
     */
    @Override
    public void addAll(List<String> ids, List<Embedding> embeddings, List<TextSegment> embedded) {
        if (ids.size() != embeddings.size() || (embedded != null && embedded.size() != embeddings.size())) {
            throw new IllegalArgumentException("The list of ids and embeddings and embedded must have the same size");
        }
        List<VectorEntry> entries = new ArrayList<>(ids.size());
        for (int i = 0; i < ids.size(); i++) {
            requireId(ids.get(i));
            TextSegment segment = embedded == null ? null : embedded.get(i);
            entries.add(new VectorEntry(ids.get(i), embeddings.get(i).vector(), SegmentCodec.encode(segment)));
        }
        if (!entries.isEmpty()) {
            insert(entries);
        }
    }

    private void insert(List<VectorEntry> entries) {
        ensureOpen();
        db.insertBatch(entries);
        written();
    }

    // ------------------------------------------------------------------ removals

    @Override
    public void removeAll(Collection<String> ids) {
        if (ids == null || ids.isEmpty()) {
            throw new IllegalArgumentException("ids cannot be null or empty");
        }
        ensureOpen();
        ids.forEach(db::delete);
        written();
    }

    @Override
    public void removeAll(Filter filter) {
        if (filter == null) {
            throw new IllegalArgumentException("filter cannot be null");
        }
        ensureOpen();
        for (VectorEntry e : db.snapshot()) {
            if (ExactSearch.matches(filter, SegmentCodec.decode(e.id(), e.metadata()))) {
                db.delete(e.id());
            }
        }
        written();
    }

    @Override
    public void removeAll() {
        ensureOpen();
        db.clear();
        written();
    }

    // ------------------------------------------------------------------ search

    /**
     * Exact search: scores every stored embedding (of those the filter accepts) against the query.
     *
     * @param request the query embedding, {@code maxResults}, {@code minScore} and optional filter
     * @return up to {@code maxResults} matches scoring at least {@code minScore}, best first
     * @throws IllegalArgumentException when the query has another dimension
     */
    @Override
    public EmbeddingSearchResult<TextSegment> search(EmbeddingSearchRequest request) {
        ensureOpen();
        return ExactSearch.search(db, request);
    }

    // ------------------------------------------------------------------ durability

    /**
     * Makes every write so far durable (an incremental save, shared with concurrent callers).
     *
     * @throws dev.vecpersist.api.PersistenceException when the save fails; the previous saved state stays
     */
    public void save() {
        ensureOpen();
        commit.awaitDurable(db.currentSequence());
    }

    /**
     * Writes the whole store as a new base file and drops the delta files (incremental saves do
     * this by themselves past the delta thresholds).
     *
     * @throws dev.vecpersist.api.PersistenceException when the save fails; the previous saved state stays
     */
    public void compact() {
        ensureOpen();
        long covers = db.currentSequence();
        persistence.save();
        commit.saved(covers);
    }

    private void written() {
        if (saveOnEveryWrite) {
            commit.awaitDurable(db.currentSequence());
        }
    }

    /**
     * Adds every entry of a file written by LangChain4j's {@code InMemoryEmbeddingStore.serializeToFile}
     * (replacing entries with the same id), then saves. The file is read completely and every
     * entry checked before any is added; its entries are held in memory until then.
     *
     * @param serializedJson the file
     * @return how many entries were imported
     * @throws CorruptedStateException    naming the file when it is not such a file, or holds a
     *                                    non-finite number; the store is then unchanged
     * @throws IncompatibleStateException naming the file when it holds an embedding of another
     *                                    dimension; the store is then unchanged
     * @throws dev.vecpersist.api.PersistenceException when the file cannot be read, or the save fails
     */
    public long importInMemoryStore(Path serializedJson) {
        ensureOpen();
        List<VectorEntry> entries = new ArrayList<>();
        InMemoryStoreFile.read(serializedJson, e -> {
            if (e.vector().length != db.dimension()) {
                throw new IncompatibleStateException("entry '" + e.id() + "' has " + e.vector().length
                        + " dimensions, the store holds " + db.dimension(), serializedJson, null);
            }
            entries.add(new VectorEntry(e.id(), e.vector(), SegmentCodec.encode(e.segment())));
        });
        try {
            db.insertBatch(entries);
        } catch (IllegalArgumentException e) {
            throw new CorruptedStateException("cannot import: " + e.getMessage(), serializedJson, e);
        }
        save();
        return entries.size();
    }

    // ------------------------------------------------------------------ snapshots

    /**
     * Takes a named snapshot of the whole store (see {@link DatabasePersistence#createSnapshot(String)}).
     *
     * @param name a label for people
     * @return the snapshot's metadata, with its id
     */
    public SnapshotMetadata createSnapshot(String name) {
        ensureOpen();
        return persistence.createSnapshot(name);
    }

    /** {@return the snapshots, newest first} */
    public List<SnapshotMetadata> listSnapshots() {
        ensureOpen();
        return persistence.listSnapshots();
    }

    /**
     * Replaces the store's content with a snapshot's (verified first, all or nothing), and saves it
     * as the store's new state before returning.
     *
     * @param id a snapshot id from {@link #listSnapshots()}
     */
    public void restoreSnapshot(String id) {
        ensureOpen();
        persistence.restoreSnapshot(id);
        save();
    }

    /**
     * Deletes a snapshot.
     *
     * @param id a snapshot id from {@link #listSnapshots()}
     */
    public void deleteSnapshot(String id) {
        ensureOpen();
        persistence.deleteSnapshot(id);
    }

    // ------------------------------------------------------------------ lifecycle

    /** {@return how many embeddings the store holds} */
    public long size() {
        return db.size();
    }

    /**
     * Stops auto-save, saves what changed since the last save, and releases the base directory.
     * Closing twice is harmless; any other call on a closed store throws {@link IllegalStateException}.
     *
     * @throws dev.vecpersist.api.PersistenceException when the final save fails (the directory is released all the same)
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            persistence.stopAutoSave();
            if (persistence.hasUnsavedChanges()) {
                persistence.saveIncremental();
            }
        } finally {
            persistence.close();
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the store over " + persistence.options().baseDir() + " is closed");
        }
    }

    private static void requireId(String id) {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("id cannot be null or blank");
        }
    }

    @Override
    public String toString() {
        return "DurableEmbeddingStore[" + persistence.options().baseDir() + ", " + db + "]";
    }
}
