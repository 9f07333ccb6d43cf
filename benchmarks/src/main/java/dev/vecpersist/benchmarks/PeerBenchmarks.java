package dev.vecpersist.benchmarks;

import dev.langchain4j.data.document.Metadata;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.store.embedding.inmemory.InMemoryEmbeddingStore;
import dev.vecpersist.api.VectorEntry;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.springframework.ai.document.Document;
import org.springframework.ai.embedding.BatchingStrategy;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.embedding.EmbeddingOptions;
import org.springframework.ai.embedding.EmbeddingRequest;
import org.springframework.ai.embedding.EmbeddingResponse;
import org.springframework.ai.vectorstore.SimpleVectorStore;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The JVM peers' own persistence over the same vectors: LangChain4j's
 * {@code InMemoryEmbeddingStore.serializeToFile / fromFile} and Spring AI's
 * {@code SimpleVectorStore.save / load} (both JSON through Jackson databind, neither fsyncs).
 * Each entry carries its id as the segment's text, which both stores require.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class PeerBenchmarks {

    @State(Scope.Benchmark)
    public static class Stores {
        @Param({"1000", "10000", "100000"})
        public int n;

        Path dir;
        InMemoryEmbeddingStore<TextSegment> langchain4j;
        SimpleVectorStore springAi;
        Path langchain4jFile;
        Path springAiFile;

        @Setup(Level.Trial)
        public void setUp(BenchmarkParams params) {
            // only the store the benchmark uses: at 100K each takes seconds to build and write
            boolean springBenchmark = params.getBenchmark().contains(".springAi");
            dir = Data.tempDir("bench-peers");
            List<VectorEntry> entries = Data.entries(n, 42);
            langchain4jFile = dir.resolve("langchain4j.json");
            springAiFile = dir.resolve("spring-ai.json");
            if (springBenchmark) {
                springAi = springAiStore(entries);
                springAi.save(springAiFile.toFile());
            } else {
                langchain4j = langchain4jStore(entries);
                langchain4j.serializeToFile(langchain4jFile);
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            Data.delete(dir);
        }
    }

    static InMemoryEmbeddingStore<TextSegment> langchain4jStore(List<VectorEntry> entries) {
        InMemoryEmbeddingStore<TextSegment> store = new InMemoryEmbeddingStore<>();
        List<String> ids = new ArrayList<>(entries.size());
        List<Embedding> embeddings = new ArrayList<>(entries.size());
        List<TextSegment> segments = new ArrayList<>(entries.size());
        for (VectorEntry e : entries) {
            ids.add(e.id());
            embeddings.add(Embedding.from(e.vector()));
            segments.add(TextSegment.from(e.id(), Metadata.from(e.metadata())));
        }
        store.addAll(ids, embeddings, segments);
        return store;
    }

    static SimpleVectorStore springAiStore(List<VectorEntry> entries) {
        Map<String, float[]> vectors = new HashMap<>();
        List<Document> documents = new ArrayList<>(entries.size());
        for (VectorEntry e : entries) {
            vectors.put(e.id(), e.vector());
            documents.add(new Document(e.id(), e.id(), new LinkedHashMap<>(e.metadata())));
        }
        SimpleVectorStore store = SimpleVectorStore.builder(new KnownVectors(vectors)).build();
        store.add(documents);
        return store;
    }

    /** Hands Spring AI the vectors we already have, by document id: no model runs. */
    private static final class KnownVectors implements EmbeddingModel {
        private final Map<String, float[]> vectors;

        KnownVectors(Map<String, float[]> vectors) {
            this.vectors = vectors;
        }

        @Override
        public float[] embed(Document document) {
            return vectors.get(document.getId());
        }

        @Override
        public List<float[]> embed(List<Document> documents, EmbeddingOptions options, BatchingStrategy batching) {
            return documents.stream().map(this::embed).toList();
        }

        @Override
        public int dimensions() {
            return Data.DIMENSION;
        }

        @Override
        public EmbeddingResponse call(EmbeddingRequest request) {
            throw new UnsupportedOperationException("the benchmark's vectors are precomputed; only embed(Document) applies");
        }
    }

    @Benchmark
    public Path langchain4jSerializeToFile(Stores s) {
        Path out = s.dir.resolve("langchain4j-out.json");
        s.langchain4j.serializeToFile(out);
        return out;
    }

    @Benchmark
    public InMemoryEmbeddingStore<TextSegment> langchain4jFromFile(Stores s) {
        return InMemoryEmbeddingStore.fromFile(s.langchain4jFile);
    }

    @Benchmark
    public Path springAiSave(Stores s) {
        Path out = s.dir.resolve("spring-ai-out.json");
        s.springAi.save(out.toFile());
        return out;
    }

    @Benchmark
    public SimpleVectorStore springAiLoad(Stores s) {
        SimpleVectorStore fresh = SimpleVectorStore.builder(new KnownVectors(Map.of())).build();
        fresh.load(s.springAiFile.toFile());
        return fresh;
    }
}
