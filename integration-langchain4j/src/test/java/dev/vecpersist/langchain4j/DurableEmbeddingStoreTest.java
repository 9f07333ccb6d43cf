package dev.vecpersist.langchain4j;

import dev.langchain4j.data.document.Metadata;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.store.embedding.EmbeddingMatch;
import dev.langchain4j.store.embedding.EmbeddingSearchRequest;
import dev.vecpersist.api.IncompatibleStateException;
import dev.vecpersist.api.Metric;
import dev.vecpersist.api.SnapshotMetadata;
import dev.vecpersist.api.VectorEntry;
import dev.vecpersist.core.DatabasePersistence;
import dev.vecpersist.core.PersistenceOptions;
import dev.vecpersist.core.VectorDB;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** What the store adds to LangChain4j's contract: durability, snapshots, reopening, its errors. */
class DurableEmbeddingStoreTest {

    @TempDir
    Path tmp;

    @Test
    void save_on_every_write_commits_each_write_before_it_returns_even_from_many_threads() throws Exception {
        Path dir = tmp.resolve("store");
        Set<String> acked = ConcurrentHashMap.newKeySet();
        try (DurableEmbeddingStore store = builder(dir).saveOnEveryWrite(true).build()) {
            List<Thread> writers = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                writers.add(new Thread(() -> {
                    for (int i = 0; i < 25; i++) {
                        acked.add(store.add(vector(thread * 100 + i), TextSegment.from("w" + thread + "-" + i)));
                    }
                }));
            }
            writers.forEach(Thread::start);
            for (Thread w : writers) {
                w.join();
            }
            store.remove(acked.iterator().next());
            // the directory as it is now, while the store stays open: the committed state only
            assertThat(idsIn(copyOf(dir))).hasSize(99).isSubsetOf(acked);
        }
    }

    @Test
    void without_save_on_every_write_writes_reach_disk_by_save_auto_save_and_close() throws Exception {
        Path dir = tmp.resolve("store");
        try (DurableEmbeddingStore store = builder(dir).build()) {
            store.add("a", vector(1));
            assertThat(idsIn(copyOf(dir))).isEmpty();
            store.save();
            assertThat(idsIn(copyOf(dir))).containsExactly("a");
            store.add("b", vector(2));
        }
        try (DurableEmbeddingStore store = builder(dir).autoSave(Duration.ofMillis(20)).build()) {
            assertThat(store.size()).isEqualTo(2);
            store.add("c", vector(3));
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(idsIn(copyOf(dir))).contains("c"));
        }
    }

    @Test
    void compact_replaces_the_deltas_with_one_base() throws IOException {
        Path dir = tmp.resolve("store");
        try (DurableEmbeddingStore store = builder(dir).saveOnEveryWrite(true)
                .persistenceOptions(o -> o.maxDeltaRatio(1000)).build()) {
            for (int i = 0; i < 3; i++) {
                store.add(vector(i));
            }
            assertThat(stateFiles(dir)).anyMatch(f -> f.contains("-delta-"));
            store.compact();
            assertThat(stateFiles(dir)).singleElement().satisfies(f -> assertThat(f).doesNotContain("-delta-"));
        }
        assertThat(idsIn(dir)).hasSize(3);
    }

    private static List<String> stateFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).filter(f -> f.startsWith("state-")).toList();
        }
    }

    @Test
    void snapshots_restore_durably() {
        Path dir = tmp.resolve("store");
        String snapshotId;
        try (DurableEmbeddingStore store = builder(dir).build()) {
            store.add(vector(1), TextSegment.from("before", new Metadata().put("v", 1)));
            SnapshotMetadata s = store.createSnapshot("v1");
            snapshotId = s.id();
            assertThat(s.vectorCount()).isEqualTo(1);
            store.removeAll();
            store.add(vector(2), TextSegment.from("after"));
            assertThat(store.listSnapshots()).extracting(SnapshotMetadata::id).containsExactly(snapshotId);
            store.restoreSnapshot(snapshotId);
            assertThat(texts(store)).containsExactly("before");
        }
        try (DurableEmbeddingStore store = builder(dir).build()) {
            assertThat(texts(store)).containsExactly("before");
            store.deleteSnapshot(snapshotId);
            assertThat(store.listSnapshots()).isEmpty();
        }
    }

    @Test
    void a_directory_of_plain_vecpersist_entries_is_refused_as_incompatible() {
        Path dir = tmp.resolve("plain");
        VectorDB db = new VectorDB(4, Metric.COSINE);
        db.insert(new VectorEntry("x", new float[] {1, 2, 3, 4}, Map.of("category", "A")));
        try (DatabasePersistence p = new DatabasePersistence(db, PersistenceOptions.builder().baseDir(dir).build())) {
            p.save();
        }
        assertThatThrownBy(() -> builder(dir).build())
                .isInstanceOf(IncompatibleStateException.class)
                .hasMessageContaining("entry 'x'").hasMessageContaining("MANIFEST.json");
        // the refused open released the directory
        try (DatabasePersistence p = new DatabasePersistence(new VectorDB(4, Metric.COSINE),
                PersistenceOptions.builder().baseDir(dir).build())) {
            p.load();
        }
    }

    @Test
    void another_dimension_is_incompatible_and_a_closed_store_refuses_calls() {
        Path dir = tmp.resolve("store");
        DurableEmbeddingStore store = builder(dir).build();
        store.add(vector(1));
        assertThatThrownBy(() -> store.add(Embedding.from(new float[] {1, 2})))
                .isInstanceOf(IllegalArgumentException.class);
        store.close();
        store.close();
        assertThatThrownBy(() -> store.add(vector(2))).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThatThrownBy(() -> DurableEmbeddingStore.builder().baseDir(dir).dimension(8).build())
                .isInstanceOf(IncompatibleStateException.class);
        assertThatThrownBy(() -> DurableEmbeddingStore.builder().baseDir(dir).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dimension");
    }

    @Test
    void a_second_store_over_the_same_directory_is_refused() {
        Path dir = tmp.resolve("store");
        try (DurableEmbeddingStore store = builder(dir).build()) {
            assertThatThrownBy(() -> builder(dir).build()).hasMessageContaining("in use");
        }
    }

    private static DurableEmbeddingStoreBuilder builder(Path dir) {
        return DurableEmbeddingStore.builder().baseDir(dir).dimension(4).format("msgpack");
    }

    private static List<String> texts(DurableEmbeddingStore store) {
        return store.search(EmbeddingSearchRequest.builder().queryEmbedding(vector(0)).maxResults(100).build())
                .matches().stream().map(m -> m.embedded().text()).toList();
    }

    /** Copies the store's files (not its lock) to a new directory, where a second manager may load them. */
    private Path copyOf(Path dir) throws IOException {
        Path copy = Files.createTempDirectory(tmp, "copy");
        try (Stream<Path> files = Files.list(dir)) {
            files.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().startsWith("."))
                    .forEach(f -> {
                        try {
                            Files.copy(f, copy.resolve(f.getFileName()));
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    });
        }
        return copy;
    }

    private static Set<String> idsIn(Path dir) {
        if (!Files.exists(dir.resolve("MANIFEST.json"))) {
            return Set.of();
        }
        try (DurableEmbeddingStore store = builder(dir).build()) {
            return store.search(EmbeddingSearchRequest.builder().queryEmbedding(vector(0)).maxResults(10_000).build())
                    .matches().stream().map(EmbeddingMatch::embeddingId).collect(Collectors.toSet());
        }
    }

    private static Embedding vector(int seed) {
        return Embedding.from(new float[] {1 + seed % 7, 2 + seed % 3, seed % 5 - 2, 1});
    }
}
