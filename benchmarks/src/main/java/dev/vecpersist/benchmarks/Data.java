package dev.vecpersist.benchmarks;

import dev.vecpersist.api.Metric;
import dev.vecpersist.api.VectorEntry;
import dev.vecpersist.core.VectorDB;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

/** The benchmark data: N vectors of 384 float32 with {index, category, timestamp}, fixed seed. */
final class Data {

    static final int DIMENSION = 384;
    private static final String[] CATEGORIES = {"A", "B", "C"};

    private Data() {
    }

    static List<VectorEntry> entries(int n, long seed) {
        Random random = new Random(seed);
        List<VectorEntry> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(entry(random, "vec-" + i, i));
        }
        return out;
    }

    static VectorEntry entry(Random random, String id, long index) {
        float[] v = new float[DIMENSION];
        for (int d = 0; d < DIMENSION; d++) {
            v[d] = random.nextFloat() * 2 - 1;
        }
        return new VectorEntry(id, v, Map.of("index", index, "category", CATEGORIES[(int) Math.floorMod(index, 3L)],
                "timestamp", 1_700_000_000_000L + index));
    }

    /** The same entries as {@link #entries}, inserted in batches so that only one copy is ever held. */
    static VectorDB database(int n) {
        VectorDB db = new VectorDB(DIMENSION, Metric.COSINE);
        Random random = new Random(42);
        List<VectorEntry> batch = new ArrayList<>(1000);
        for (int i = 0; i < n; i++) {
            batch.add(entry(random, "vec-" + i, i));
            if (batch.size() == 1000) {
                db.insertBatch(batch);
                batch.clear();
            }
        }
        db.insertBatch(batch);
        return db;
    }

    static Path tempDir(String name) {
        try {
            Path base = Path.of(System.getProperty("vecpersist.bench.dir", System.getProperty("java.io.tmpdir")));
            Files.createDirectories(base);
            return Files.createTempDirectory(base, name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // temporary files only
        }
    }
}
