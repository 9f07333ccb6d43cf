package dev.vecpersist.langchain4j;

import java.nio.file.Path;

/**
 * The store LangChain4j's conformance suites test. With {@code reopen}, every time the suites ask
 * for the store it is closed and a new one opened over the same directory, as LangChain4j's
 * InMemoryEmbeddingStoreSerializedIT serializes and deserializes its own store: every read then
 * sees only what was saved (by close, or by saveOnEveryWrite) and loaded back.
 */
final class StoreUnderTest implements AutoCloseable {

    private final Path dir;
    private final String format;
    private final boolean saveOnEveryWrite;
    private final boolean reopen;
    private DurableEmbeddingStore store;

    StoreUnderTest(Path dir, String format, boolean saveOnEveryWrite, boolean reopen) {
        this.dir = dir;
        this.format = format;
        this.saveOnEveryWrite = saveOnEveryWrite;
        this.reopen = reopen;
    }

    DurableEmbeddingStore get() {
        if (store != null && !reopen) {
            return store;
        }
        close();
        store = DurableEmbeddingStore.builder().baseDir(dir).dimension(TestModel.DIMENSION)
                .format(format).saveOnEveryWrite(saveOnEveryWrite).build();
        return store;
    }

    @Override
    public void close() {
        if (store != null) {
            store.close();
        }
    }
}
