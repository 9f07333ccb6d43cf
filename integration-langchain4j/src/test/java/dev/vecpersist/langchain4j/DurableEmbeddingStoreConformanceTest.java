package dev.vecpersist.langchain4j;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.store.embedding.EmbeddingStore;
import dev.langchain4j.store.embedding.EmbeddingStoreWithFilteringIT;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/**
 * LangChain4j's own conformance suite for stores with metadata filtering (it includes
 * {@code EmbeddingStoreIT} and {@code EmbeddingStoreWithoutMetadataIT}), run against one open store.
 */
class DurableEmbeddingStoreConformanceTest extends EmbeddingStoreWithFilteringIT {

    @TempDir
    Path dir;

    private DurableEmbeddingStore store;

    @Override
    protected EmbeddingStore<TextSegment> embeddingStore() {
        if (store == null) {
            store = DurableEmbeddingStore.builder().baseDir(dir).dimension(TestModel.DIMENSION).format("msgpack").build();
        }
        return store;
    }

    @Override
    protected EmbeddingModel embeddingModel() {
        return TestModel.MODEL;
    }

    @Override
    protected boolean supportsContains() {
        return true;
    }

    @AfterEach
    void closeStore() {
        if (store != null) {
            store.close();
        }
    }
}
