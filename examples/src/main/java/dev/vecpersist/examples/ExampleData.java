package dev.vecpersist.examples;

import dev.vecpersist.api.VectorEntry;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Sample data and the working directory for the examples. */
final class ExampleData {

    private ExampleData() {
    }

    /** {@code count} random vectors with a little metadata, always the same for a seed. */
    static List<VectorEntry> vectors(int count, int dimension, long seed) {
        Random random = new Random(seed);
        List<VectorEntry> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            float[] v = new float[dimension];
            for (int d = 0; d < dimension; d++) {
                v[d] = random.nextFloat() * 2 - 1;
            }
            out.add(new VectorEntry("doc-" + i, v, Map.of("title", "Document " + i, "category", i % 2 == 0 ? "news" : "blog")));
        }
        return out;
    }

    /** The directory named by the first argument, or a new temporary one. */
    static Path workDir(String[] args, String name) throws java.io.IOException {
        return args.length > 0 ? Files.createDirectories(Path.of(args[0])) : Files.createTempDirectory(name);
    }
}
