package dev.vecpersist.langchain4j;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.store.embedding.EmbeddingStore;
import dev.langchain4j.store.embedding.EmbeddingStoreWithFilteringIT;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;

/**
 * LangChain4j's own {@code EmbeddingStoreWithFilteringIT} (it includes {@code EmbeddingStoreIT} and {@code EmbeddingStoreWithoutMetadataIT}), run against one open store and, in every
 * format, with the store closed and opened again every time the suite asks for it (see {@link StoreUnderTest}).
 */
@ParameterizedClass(name = "{0}, saveOnEveryWrite={1}, reopen={2}")
@CsvSource({"msgpack, false, false", "json, false, true", "msgpack, true, true", "sqlite, true, true"})
class DurableEmbeddingStoreConformanceTest extends EmbeddingStoreWithFilteringIT {

    @Parameter(0)
    String format;

    @Parameter(1)
    boolean saveOnEveryWrite;

    @Parameter(2)
    boolean reopen;

    @TempDir
    Path dir;

    private StoreUnderTest stores;

    @Override
    protected EmbeddingStore<TextSegment> embeddingStore() {
        if (stores == null) {
            stores = new StoreUnderTest(dir, format, saveOnEveryWrite, reopen);
        }
        return stores.get();
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
        if (stores != null) {
            stores.close();
        }
    }
}
