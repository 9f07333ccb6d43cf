package dev.vecpersist.benchmarks;

import dev.langchain4j.data.document.Metadata;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.store.embedding.EmbeddingStore;
import dev.langchain4j.store.embedding.inmemory.InMemoryEmbeddingStore;
import dev.vecpersist.langchain4j.DurableEmbeddingStore;
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

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * LangChain4j stores saved and loaded whole: VecPersist's {@link DurableEmbeddingStore} (a durable
 * full save: temp file, fsync, rename, manifest) against LangChain4j's own
 * {@code InMemoryEmbeddingStore.serializeToFile} / {@code fromFile} (in place, no fsync), with the
 * same N x 384 embeddings and segments, in the same run.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class LangChain4jBenchmarks {

    /** The store under test, filled with the benchmark data. */
    @State(Scope.Benchmark)
    public static class Stores {
        @Param({"10000", "100000"})
        public int n;

        @Param({"durable-msgpack", "durable-json", "InMemoryEmbeddingStore"})
        public String store;

        Path dir;
        DurableEmbeddingStore durable;
        InMemoryEmbeddingStore<TextSegment> inMemory;
        Path inMemoryFile;
        Path loadDir;

        @Setup(Level.Trial)
        public void setUp() {
            dir = Data.tempDir("bench-langchain4j");
            if (store.equals("InMemoryEmbeddingStore")) {
                inMemory = new InMemoryEmbeddingStore<>();
                fill(inMemory, n);
                inMemoryFile = dir.resolve("store.json");
                inMemory.serializeToFile(inMemoryFile);
            } else {
                durable = open(dir.resolve("store"), store.substring("durable-".length()));
                fill(durable, n);
                durable.compact();
                // the open store holds its directory's lock: loads read a copy of its committed files
                loadDir = dir.resolve("load");
                copyFiles(dir.resolve("store"), loadDir);
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            if (durable != null) {
                durable.close();
            }
            Data.delete(dir);
        }
    }

    static DurableEmbeddingStore open(Path dir, String format) {
        return DurableEmbeddingStore.builder().baseDir(dir).dimension(Data.DIMENSION).format(format).build();
    }

    /** N embeddings (the benchmark vectors) with a text segment and three metadata values each. */
    static void fill(EmbeddingStore<TextSegment> target, int n) {
        Random random = new Random(42);
        List<String> ids = new ArrayList<>(1000);
        List<Embedding> embeddings = new ArrayList<>(1000);
        List<TextSegment> segments = new ArrayList<>(1000);
        for (int i = 0; i < n; i++) {
            ids.add("vec-" + i);
            embeddings.add(Embedding.from(Data.entry(random, "vec-" + i, i).vector()));
            segments.add(TextSegment.from("document number " + i + " of the benchmark corpus",
                    new Metadata().put("index", i).put("category", "ABC".substring(i % 3, i % 3 + 1))
                            .put("timestamp", 1_700_000_000_000L + i)));
            if (ids.size() == 1000 || i == n - 1) {
                target.addAll(ids, embeddings, segments);
                ids.clear();
                embeddings.clear();
                segments.clear();
            }
        }
    }

    private static void copyFiles(Path from, Path to) {
        try (Stream<Path> files = Files.list(from)) {
            Files.createDirectories(to);
            for (Path f : (Iterable<Path>) files::iterator) {
                if (Files.isRegularFile(f) && !f.getFileName().toString().startsWith(".")) {
                    Files.copy(f, to.resolve(f.getFileName()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A full save: {@code compact()} (durable) or {@code serializeToFile}. */
    @Benchmark
    public Object save(Stores s) {
        if (s.inMemory != null) {
            s.inMemory.serializeToFile(s.inMemoryFile);
            return s.inMemoryFile;
        }
        s.durable.compact();
        return s.durable;
    }

    /** A load of the saved store: opening the directory (durable) or {@code fromFile}. */
    @Benchmark
    public Object load(Stores s) {
        if (s.inMemory != null) {
            return InMemoryEmbeddingStore.fromFile(s.inMemoryFile);
        }
        try (DurableEmbeddingStore loaded = open(s.loadDir, s.store.substring("durable-".length()))) {
            return loaded.size();
        }
    }
}
