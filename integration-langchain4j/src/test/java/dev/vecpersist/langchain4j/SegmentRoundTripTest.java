package dev.vecpersist.langchain4j;

import dev.langchain4j.data.document.Metadata;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.store.embedding.EmbeddingMatch;
import dev.langchain4j.store.embedding.EmbeddingSearchRequest;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** Text and metadata, value types included, come back exactly after a save and load in every format and codec. */
class SegmentRoundTripTest {

    private static final int DIMENSION = 8;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} + {1}")
    @CsvSource({"json, none", "msgpack, none", "sqlite, none", "json, gzip", "msgpack, gzip"})
    void segments_and_typed_metadata_survive_save_and_load(String format, String compression) {
        List<TextSegment> segments = segments();
        List<Embedding> embeddings = new ArrayList<>();
        Random random = new Random(7);
        for (int i = 0; i < segments.size(); i++) {
            float[] v = new float[DIMENSION];
            for (int j = 0; j < DIMENSION; j++) {
                v[j] = random.nextFloat() - 0.5f;
            }
            embeddings.add(Embedding.from(v));
        }
        List<String> ids;
        try (DurableEmbeddingStore store = open(format, compression)) {
            ids = store.addAll(embeddings, segments);
            store.add("no-segment", embeddings.get(0));
        }
        try (DurableEmbeddingStore reopened = open(format, compression)) {
            Map<String, EmbeddingMatch<TextSegment>> byId = reopened.search(EmbeddingSearchRequest.builder()
                            .queryEmbedding(embeddings.get(0)).maxResults(1000).build())
                    .matches().stream().collect(Collectors.toMap(EmbeddingMatch::embeddingId, Function.identity()));
            assertThat(byId).hasSize(segments.size() + 1);
            for (int i = 0; i < ids.size(); i++) {
                EmbeddingMatch<TextSegment> match = byId.get(ids.get(i));
                // Metadata.equals compares values with equals: an Integer never equals a Long, a Float never a Double
                assertThat(match.embedded()).isEqualTo(segments.get(i));
                Map<String, Object> expected = segments.get(i).metadata().toMap();
                assertThat(match.embedded().metadata().toMap()).containsExactlyInAnyOrderEntriesOf(expected);
                match.embedded().metadata().toMap().forEach((key, value) ->
                        assertThat(value).as(key).isExactlyInstanceOf(expected.get(key).getClass()));
                assertThat(match.embedding().vector()).isEqualTo(embeddings.get(i).vector());
            }
            assertThat(byId.get("no-segment").embedded()).isNull();
        }
    }

    private DurableEmbeddingStore open(String format, String compression) {
        return DurableEmbeddingStore.builder().baseDir(dir).dimension(DIMENSION)
                .format(format).compression(compression).build();
    }

    private static List<TextSegment> segments() {
        List<TextSegment> out = new ArrayList<>();
        out.add(TextSegment.from("plain"));
        out.add(TextSegment.from("every type", new Metadata()
                .put("string", "abc").put("empty", "").put("space", " ")
                .put("uuid", UUID.fromString("123e4567-e89b-12d3-a456-426614174000"))
                .put("int_min", Integer.MIN_VALUE).put("int_max", Integer.MAX_VALUE).put("int_0", 0)
                .put("long_min", Long.MIN_VALUE).put("long_max", Long.MAX_VALUE).put("long_small", 1L)
                .put("long_big", 1746714878034235396L)
                .put("float_min", -Float.MAX_VALUE).put("float_tiny", Float.MIN_VALUE).put("float_123", 1.23456789f)
                .put("float_neg_zero", -0.0f).put("float_1", 1f)
                .put("double_tiny", Double.MIN_VALUE).put("double_max", Double.MAX_VALUE).put("double_123", 1.23456789d)
                .put("double_neg_zero", -0.0d).put("double_1", 1d)));
        out.add(TextSegment.from("unicode: \u00e9\u4e2d\ud83d\ude00 \"quotes\" \\ \n\t\u0001 end",
                new Metadata().put("k\u00e9y \"q\"", "v\u00e4lue\n\u0000").put("1", 1)));
        out.add(TextSegment.from("same number, two types", new Metadata().put("a", 5).put("b", 5L).put("c", 5f).put("d", 5d)));
        return out;
    }
}
