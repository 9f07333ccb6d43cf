package dev.vecpersist.testkit;

import dev.vecpersist.api.VectorEntry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Deterministic test data: entries with mixed metadata, awkward ids and extreme floats. */
public final class TestStates {

    private static final String[] CATEGORIES = {"A", "B", "C"};

    private TestStates() {
    }

    /** {@code count} entries of {@code dimension} random components with benchmark-like metadata. */
    public static List<VectorEntry> entries(int count, int dimension, long seed) {
        Random random = new Random(seed);
        List<VectorEntry> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(new VectorEntry("vec-" + i, randomVector(random, dimension), Map.of(
                    "index", (long) i,
                    "category", CATEGORIES[i % 3],
                    "timestamp", 1_700_000_000_000L + i)));
        }
        return out;
    }

    /** A random vector with components in [-1, 1). */
    public static float[] randomVector(Random random, int dimension) {
        float[] v = new float[dimension];
        for (int d = 0; d < dimension; d++) {
            v[d] = random.nextFloat() * 2 - 1;
        }
        return v;
    }

    /** Entries whose metadata covers every value type, nested maps and lists, nulls and unicode. */
    public static List<VectorEntry> mixedMetadataEntries(int count, int dimension, long seed) {
        Random random = new Random(seed);
        List<VectorEntry> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Map<String, Object> nested = new LinkedHashMap<>();
            nested.put("ok", i % 2 == 0);
            nested.put("score", i / 7.0);
            nested.put("none", null);
            nested.put("deeper", Map.of("list", List.of(1L, "two", 3.5, false)));
            Map<String, Object> meta = new LinkedHashMap<>();
            meta.put("index", (long) i);
            meta.put("big", Long.MAX_VALUE - i);
            meta.put("negative", -1L - i);
            meta.put("ratio", random.nextDouble());
            meta.put("label", "étiquette-" + i + " \"quoted\" \\ 日本語 \uD83D\uDE80");
            meta.put("tags", List.of("x", "y"));
            meta.put("empty", Map.of());
            meta.put("emptyList", List.of());
            meta.put("nested", nested);
            out.add(new VectorEntry("id-" + i, randomVector(random, dimension), meta));
        }
        return out;
    }

    /** Entries with ids in many scripts, astral-plane characters, spaces and quotes. */
    public static List<VectorEntry> unicodeIdEntries(int dimension) {
        String[] ids = {"日本語", "emoji-\uD83D\uDE00\uD83D\uDE80", "Ελληνικά", "עברית", "with space", "quote\"d",
                "back\\slash", "new\nline", "tab\tbed", "nul\u0000char", "\u00e9\u0301", "../../etc/passwd", "x"};
        Random random = new Random(7);
        List<VectorEntry> out = new ArrayList<>();
        for (String id : ids) {
            out.add(new VectorEntry(id, randomVector(random, dimension), Map.of("id-echo", id)));
        }
        return out;
    }

    /** Vectors with float32 edge values: -0.0, subnormals, MIN_VALUE, MAX_VALUE, MIN_NORMAL. */
    public static List<VectorEntry> extremeFloatEntries() {
        float[][] vectors = {
            {0.0f, -0.0f, Float.MIN_VALUE, -Float.MIN_VALUE},
            {Float.MAX_VALUE, -Float.MAX_VALUE, Float.MIN_NORMAL, -Float.MIN_NORMAL},
            {1.0e-40f, -3.4e-42f, 1.17549421e-38f, 0.1f},
            {(float) Math.PI, (float) -Math.E, 16777217f, 1e30f},
        };
        List<VectorEntry> out = new ArrayList<>();
        for (int i = 0; i < vectors.length; i++) {
            out.add(new VectorEntry("extreme-" + i, vectors[i], Map.of("d", i == 0 ? Double.MIN_VALUE : Double.MAX_VALUE / (i + 1))));
        }
        return out;
    }

    /** {@link #extremeFloatEntries()} widened to {@code dimension} components (the rest random). */
    public static List<VectorEntry> extremeFloatEntriesPadded(int dimension) {
        Random random = new Random(3);
        List<VectorEntry> out = new ArrayList<>();
        for (VectorEntry e : extremeFloatEntries()) {
            float[] v = randomVector(random, dimension);
            System.arraycopy(e.vector(), 0, v, 0, Math.min(dimension, e.vector().length));
            out.add(new VectorEntry(e.id(), v, e.metadata()));
        }
        return out;
    }
}
