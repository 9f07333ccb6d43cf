package dev.vecpersist.langchain4j;

import java.nio.file.Path;

/**
 * Closes the store and opens a new one over the same directory each time the suites ask for the
 * store, as LangChain4j's InMemoryEmbeddingStoreSerializedIT serializes and deserializes its store:
 * every read then sees only what was saved and loaded back.
 */
final class ReopeningStore implements AutoCloseable {

    private final Path dir;
    private final String format;
    private final boolean saveOnEveryWrite;
    private DurableEmbeddingStore store;

    ReopeningStore(Path dir, String format, boolean saveOnEveryWrite) {
        this.dir = dir;
        this.format = format;
        this.saveOnEveryWrite = saveOnEveryWrite;
    }

    DurableEmbeddingStore reopen() {
        if (store != null) {
            store.close();
        }
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
