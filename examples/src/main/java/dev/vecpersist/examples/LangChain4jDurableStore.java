package dev.vecpersist.examples;

import dev.langchain4j.data.document.Metadata;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.store.embedding.EmbeddingMatch;
import dev.langchain4j.store.embedding.EmbeddingSearchRequest;
import dev.langchain4j.store.embedding.inmemory.InMemoryEmbeddingStore;
import dev.vecpersist.api.VectorEntry;
import dev.vecpersist.langchain4j.DurableEmbeddingStore;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.langchain4j.store.embedding.filter.MetadataFilterBuilder.metadataKey;

/**
 * Example 6: move a LangChain4j InMemoryEmbeddingStore file into a DurableEmbeddingStore, write to
 * it durably, search it with a metadata filter, and reopen it.
 */
public final class LangChain4jDurableStore {

    private static final int DIMENSION = 64;

    public static void main(String[] args) throws Exception {
        Path dir = ExampleData.workDir(args, "langchain4j");

        // what an application has today: an InMemoryEmbeddingStore saved with serializeToFile
        List<VectorEntry> vectors = ExampleData.vectors(201, DIMENSION, 6);
        InMemoryEmbeddingStore<TextSegment> old = new InMemoryEmbeddingStore<>();
        for (int i = 0; i < 200; i++) {
            old.add(Embedding.from(vectors.get(i).vector()),
                    TextSegment.from("Document " + i, new Metadata().put("page", i).put("category", i % 2 == 0 ? "news" : "blog")));
        }
        Path oldFile = dir.resolve("in-memory-store.json");
        old.serializeToFile(oldFile);

        Path storeDir = dir.resolve("store");
        try (DurableEmbeddingStore store = DurableEmbeddingStore.builder()
                .baseDir(storeDir).dimension(DIMENSION).format("msgpack").saveOnEveryWrite(true).build()) {
            long imported = store.importInMemoryStore(oldFile);
            System.out.println("imported " + imported + " embeddings from " + oldFile.getFileName());

            // durable when add returns: a crash from here on cannot lose it
            String id = store.add(Embedding.from(vectors.get(200).vector()),
                    TextSegment.from("Document 200", new Metadata().put("page", 200).put("category", "news").put("score", 0.75f)));
            System.out.println("added " + id + "; store holds " + store.size());

            List<EmbeddingMatch<TextSegment>> news = store.search(EmbeddingSearchRequest.builder()
                    .queryEmbedding(Embedding.from(vectors.get(42).vector()))
                    .filter(metadataKey("category").isEqualTo("news"))
                    .maxResults(3).build()).matches();
            System.out.printf("top news match: %s (score %.4f)%n", news.get(0).embedded().text(), news.get(0).score());
        }

        try (DurableEmbeddingStore reopened = DurableEmbeddingStore.builder()
                .baseDir(storeDir).dimension(DIMENSION).format("msgpack").build()) {
            EmbeddingMatch<TextSegment> best = reopened.search(EmbeddingSearchRequest.builder()
                    .queryEmbedding(Embedding.from(vectors.get(200).vector())).maxResults(1).build()).matches().get(0);
            Metadata m = best.embedded().metadata();
            System.out.println("reopened: " + reopened.size() + " embeddings; best match " + best.embedded().text()
                    + " with page " + m.toMap().get("page").getClass().getSimpleName()
                    + " and score " + m.toMap().get("score").getClass().getSimpleName());
        }
        try (var files = Files.list(storeDir)) {
            System.out.println("files: " + files.map(f -> f.getFileName().toString()).filter(f -> !f.startsWith(".")).sorted().toList());
        }
    }
}
