package dev.vecpersist.cli;

import dev.vecpersist.api.Metric;
import dev.vecpersist.api.PersistableDatabase;
import dev.vecpersist.api.StateHeader;
import dev.vecpersist.api.VectorEntry;
import dev.vecpersist.core.Plugins;
import dev.vecpersist.core.StateInspector;
import dev.vecpersist.core.crypto.EncryptionKeys;
import dev.vecpersist.core.VectorDB;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

/** Small helpers the commands share. */
final class Databases {

    private static final String[] CATEGORIES = {"A", "B", "C"};

    private Databases() {
    }

    /** A database of {@code count} random vectors with {index, category, timestamp} metadata (fixed seed). */
    static VectorDB random(int count, int dimension, long seed) {
        VectorDB db = new VectorDB(dimension, Metric.COSINE);
        Random random = new Random(seed);
        List<VectorEntry> batch = new ArrayList<>(10_000);
        for (int i = 0; i < count; i++) {
            batch.add(entry(random, "vec-" + i, dimension, i));
            if (batch.size() == 10_000) {
                db.insertBatch(batch);
                batch.clear();
            }
        }
        db.insertBatch(batch);
        return db;
    }

    static VectorEntry entry(Random random, String id, int dimension, long index) {
        float[] v = new float[dimension];
        for (int d = 0; d < dimension; d++) {
            v[d] = random.nextFloat() * 2 - 1;
        }
        return new VectorEntry(id, v, Map.of("index", index, "category", CATEGORIES[(int) Math.floorMod(index, 3L)],
                "timestamp", 1_700_000_000_000L + index));
    }

    /** An empty database shaped like the state in {@code file}, decrypting with {@code keys} (null for none). */
    static VectorDB shapedLike(Path file, EncryptionKeys keys) {
        StateHeader h = new StateInspector(Plugins.discover(), keys).inspect(file, 0).header();
        return new VectorDB(h.dimension(), h.metric());
    }

    /** Whether two databases hold the same entries in the same order, vectors bit for bit. */
    static boolean sameContent(PersistableDatabase a, PersistableDatabase b) {
        if (a.size() != b.size()) {
            return false;
        }
        Iterator<VectorEntry> left = a.snapshot().iterator();
        Iterator<VectorEntry> right = b.snapshot().iterator();
        while (left.hasNext()) {
            if (!right.hasNext() || !left.next().equals(right.next())) {
                return false;
            }
        }
        return !right.hasNext();
    }

    /** A fresh temporary directory, deleted with everything in it by {@link #deleteTree}. */
    static Path tempDir(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort: a temporary directory
        }
    }
}
