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
 * LangChain4j's EmbeddingStoreWithFilteringIT with the store closed and opened again every time the suite asks
 * for it, in every format: what each test reads was saved (by close, or by saveOnEveryWrite) and loaded back.
 */
@ParameterizedClass(name = "{0}, saveOnEveryWrite={1}")
@CsvSource({"json, false", "msgpack, true", "sqlite, true"})
class ReopenedConformanceTest extends EmbeddingStoreWithFilteringIT {

    @Parameter(0)
    String format;

    @Parameter(1)
    boolean saveOnEveryWrite;

    @TempDir
    Path dir;

    private ReopeningStore stores;

    @Override
    protected EmbeddingStore<TextSegment> embeddingStore() {
        if (stores == null) {
            stores = new ReopeningStore(dir, format, saveOnEveryWrite);
        }
        return stores.reopen();
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
