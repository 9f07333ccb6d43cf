package dev.vecpersist.langchain4j;

import dev.langchain4j.data.document.Metadata;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.store.embedding.EmbeddingMatch;
import dev.langchain4j.store.embedding.EmbeddingSearchRequest;
import dev.langchain4j.store.embedding.inmemory.InMemoryEmbeddingStore;
import dev.vecpersist.api.CorruptedStateException;
import dev.vecpersist.api.IncompatibleStateException;
import dev.vecpersist.api.PersistenceException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import static dev.langchain4j.store.embedding.filter.MetadataFilterBuilder.metadataKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Migration from files written by LangChain4j's own InMemoryEmbeddingStore.serializeToFile. */
class ImportInMemoryStoreTest {

    private static final int DIMENSION = 16;

    @TempDir
    Path tmp;

    @Test
    void imports_what_from_file_reads_and_keeps_it_across_a_reopen() {
        Path file = tmp.resolve("store.json");
        InMemoryEmbeddingStore<TextSegment> original = new InMemoryEmbeddingStore<>();
        Random random = new Random(1);
        for (int i = 0; i < 200; i++) {
            Metadata m = new Metadata().put("i", i).put("big", 10_000_000_000L + i).put("ratio", i / 7.0)
                    .put("name", "doc-" + i).put("uuid", UUID.nameUUIDFromBytes(new byte[] {(byte) i}));
            if (i % 10 == 0) {
                original.add(vector(random));
            } else {
                original.add(vector(random), TextSegment.from("text \u00e9 " + i, m));
            }
        }
        original.serializeToFile(file);
        InMemoryEmbeddingStore<TextSegment> reference = InMemoryEmbeddingStore.fromFile(file);
        Embedding query = vector(random);

        Path dir = tmp.resolve("durable");
        try (DurableEmbeddingStore store = open(dir)) {
            assertThat(store.importInMemoryStore(file)).isEqualTo(200);
            assertSameResults(store, reference, query);
        }
        try (DurableEmbeddingStore reopened = open(dir)) {
            assertThat(reopened.size()).isEqualTo(200);
            assertSameResults(reopened, reference, query);
            // the imported types are fromFile's: a small whole number is an Integer, so this filter finds entry 42
            List<EmbeddingMatch<TextSegment>> found = reopened.search(EmbeddingSearchRequest.builder().queryEmbedding(query)
                    .maxResults(10).filter(metadataKey("i").isEqualTo(42)).build()).matches();
            assertThat(found).singleElement().satisfies(m -> assertThat(m.embedded().text()).isEqualTo("text \u00e9 42"));
        }
    }

    private static void assertSameResults(DurableEmbeddingStore store, InMemoryEmbeddingStore<TextSegment> reference,
                                          Embedding query) {
        EmbeddingSearchRequest all = EmbeddingSearchRequest.builder().queryEmbedding(query).maxResults(1000).build();
        List<EmbeddingMatch<TextSegment>> expected = reference.search(all).matches();
        List<EmbeddingMatch<TextSegment>> actual = store.search(all).matches();
        assertThat(actual).hasSize(expected.size());
        for (int i = 0; i < expected.size(); i++) {
            assertThat(actual.get(i).embeddingId()).isEqualTo(expected.get(i).embeddingId());
            assertThat(actual.get(i).score()).isEqualTo(expected.get(i).score());
            assertThat(actual.get(i).embedding()).isEqualTo(expected.get(i).embedding());
            assertThat(actual.get(i).embedded()).isEqualTo(expected.get(i).embedded());
        }
    }

    @Test
    void a_truncated_or_malformed_file_is_corrupt_and_changes_nothing() throws IOException {
        Path file = tmp.resolve("store.json");
        InMemoryEmbeddingStore<TextSegment> original = new InMemoryEmbeddingStore<>();
        Random random = new Random(2);
        for (int i = 0; i < 20; i++) {
            original.add(vector(random), TextSegment.from("t" + i, Metadata.from("k", "v" + i)));
        }
        original.serializeToFile(file);
        byte[] bytes = Files.readAllBytes(file);
        try (DurableEmbeddingStore store = open(tmp.resolve("durable"))) {
            store.addAll(List.of("kept"), List.of(vector(random)), List.of(TextSegment.from("kept")));
            Path damaged = tmp.resolve("damaged.json");
            // cut everywhere from the first entry on, as a kill in mid-serializeToFile leaves it
            for (int cut = 12; cut < bytes.length - 1; cut += 97) {
                Files.write(damaged, Arrays.copyOf(bytes, cut));
                assertThatThrownBy(() -> store.importInMemoryStore(damaged))
                        .as("cut at %d", cut)
                        .isInstanceOf(CorruptedStateException.class)
                        .hasMessageContaining(damaged.toString());
                assertThat(store.size()).isEqualTo(1);
            }
            Files.writeString(damaged, "{\"entries\":[{\"id\":\"a\",\"embedding\":{\"vector\":[\"x\"]}}]}", StandardCharsets.UTF_8);
            assertThatThrownBy(() -> store.importInMemoryStore(damaged)).isInstanceOf(CorruptedStateException.class)
                    .hasMessageContaining("vector of entry 0");
            Files.writeString(damaged, "{\"something\":[]}", StandardCharsets.UTF_8);
            assertThatThrownBy(() -> store.importInMemoryStore(damaged)).isInstanceOf(CorruptedStateException.class)
                    .hasMessageContaining("no \"entries\" array");
            assertThat(store.size()).isEqualTo(1);
        }
    }

    @Test
    void a_missing_file_is_an_io_failure_and_another_dimension_is_incompatible() {
        try (DurableEmbeddingStore store = open(tmp.resolve("durable"))) {
            Path missing = tmp.resolve("missing.json");
            assertThatThrownBy(() -> store.importInMemoryStore(missing))
                    .isExactlyInstanceOf(PersistenceException.class).hasMessageContaining(missing.toString());

            Path file = tmp.resolve("other-dimension.json");
            InMemoryEmbeddingStore<TextSegment> other = new InMemoryEmbeddingStore<>();
            other.add(Embedding.from(new float[] {1, 2, 3}));
            other.serializeToFile(file);
            assertThatThrownBy(() -> store.importInMemoryStore(file))
                    .isInstanceOf(IncompatibleStateException.class).hasMessageContaining("3 dimensions");
            assertThat(store.size()).isZero();
        }
    }

    private static DurableEmbeddingStore open(Path dir) {
        return DurableEmbeddingStore.builder().baseDir(dir).dimension(DIMENSION).format("msgpack").build();
    }

    private static Embedding vector(Random random) {
        float[] v = new float[DIMENSION];
        for (int i = 0; i < DIMENSION; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return Embedding.from(v);
    }
}
