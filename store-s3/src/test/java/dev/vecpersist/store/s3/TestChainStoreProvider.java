package dev.vecpersist.store.s3;

import dev.vecpersist.api.ChainStore;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The S3 chain store with hooks the tests set, under the name {@value #NAME}: a hook runs before each
 * upload or open of a state object and may throw (an injected failure) or act (e.g. make the writer
 * compact while a replica is between its manifest read and its download). Hooks are static: tests
 * that set them reset them.
 */
public final class TestChainStoreProvider implements ChainStore.Provider {

    static final String NAME = "s3-test";

    /** Runs before each {@link ChainStore#upload}, with the object's name. */
    static volatile Consumer<String> beforeUpload = name -> { };
    /** Runs before each {@link ChainStore#open}, with the object's name. */
    static volatile Consumer<String> beforeOpen = name -> { };

    static void reset() {
        beforeUpload = name -> { };
        beforeOpen = name -> { };
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ChainStore open(Map<String, String> settings) {
        ChainStore s3 = S3ChainStore.open(S3StoreSettings.parse(settings));
        return new ChainStore() {
            @Override
            public void upload(String name, Path file) throws IOException {
                beforeUpload.accept(name);
                s3.upload(name, file);
            }

            @Override
            public Optional<InputStream> open(String name) throws IOException {
                beforeOpen.accept(name);
                return s3.open(name);
            }

            @Override
            public List<StoredObject> list() throws IOException {
                return s3.list();
            }

            @Override
            public void delete(String name) throws IOException {
                s3.delete(name);
            }

            @Override
            public void writeManifest(byte[] content) throws IOException {
                s3.writeManifest(content);
            }

            @Override
            public Optional<byte[]> readManifest() throws IOException {
                return s3.readManifest();
            }

            @Override
            public String describe() {
                return s3.describe();
            }

            @Override
            public void close() throws IOException {
                s3.close();
            }
        };
    }
}
