package dev.vecpersist.it;

import dev.vecpersist.api.Metric;
import dev.vecpersist.api.VectorEntry;
import dev.vecpersist.core.DatabasePersistence;
import dev.vecpersist.core.PersistenceOptions;
import dev.vecpersist.core.VectorDB;
import dev.vecpersist.core.io.FileOps;
import dev.vecpersist.testkit.TestStates;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which thread decompresses a loaded stream (CompressionCodec#decompressAhead): LZ4 on the thread
 * that parses, gzip on a read-ahead thread of its own; both load the same content.
 */
class CompressedLoadThreadsTest {

    private static final int N = 2000;
    private static final int DIMENSION = 128; // files of about 1 MB: more than the codecs read on opening

    @TempDir
    Path dir;

    /** Delegates to the system's file operations and records the threads that read opened files. */
    private static final class ReadingThreads implements FileOps {
        final Set<String> names = ConcurrentHashMap.newKeySet();

        @Override
        public WritableFile create(Path file) throws IOException {
            return FileOps.SYSTEM.create(file);
        }

        @Override
        public InputStream open(Path file) throws IOException {
            return new FilterInputStream(FileOps.SYSTEM.open(file)) {
                @Override
                public int read() throws IOException {
                    names.add(Thread.currentThread().getName());
                    return super.read();
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    names.add(Thread.currentThread().getName());
                    return super.read(b, off, len);
                }
            };
        }

        @Override
        public void sync(Path file) throws IOException {
            FileOps.SYSTEM.sync(file);
        }

        @Override
        public void atomicMove(Path from, Path to) throws IOException {
            FileOps.SYSTEM.atomicMove(from, to);
        }

        @Override
        public void syncDirectory(Path d) throws IOException {
            FileOps.SYSTEM.syncDirectory(d);
        }

        @Override
        public void deleteIfExists(Path file) throws IOException {
            FileOps.SYSTEM.deleteIfExists(file);
        }
    }

    @ParameterizedTest
    @CsvSource({"msgpack,lz4,false", "json,lz4,false", "msgpack,gzip,true", "json,gzip,true"})
    void lz4IsDecompressedOnTheParsingThreadAndGzipAhead(String format, String codec, boolean ahead) {
        List<VectorEntry> entries = TestStates.mixedMetadataEntries(N, DIMENSION, 3);
        VectorDB original = new VectorDB(DIMENSION, Metric.COSINE);
        original.insertBatch(entries);
        Path file;
        try (DatabasePersistence p = new DatabasePersistence(original, PersistenceOptions.builder()
                .baseDir(dir.resolve("save")).format(format).compression(codec).build())) {
            file = p.save(dir.resolve("state." + format + "." + codec));
        }
        ReadingThreads ops = new ReadingThreads();
        VectorDB loaded = new VectorDB(DIMENSION, Metric.COSINE);
        try (DatabasePersistence p = new DatabasePersistence(loaded, PersistenceOptions.builder()
                .baseDir(dir.resolve("load")).fileOps(ops).build())) {
            p.load(file);
        }
        assertThat(loaded.size()).isEqualTo(N);
        assertThat(loaded.get(entries.get(N - 1).id()).orElseThrow().vector()).containsExactly(entries.get(N - 1).vector());
        String readAhead = "vecpersist-read-ahead-" + codec;
        if (ahead) {
            assertThat(ops.names).contains(readAhead);
        } else {
            assertThat(ops.names).doesNotContain(readAhead);
        }
    }
}
