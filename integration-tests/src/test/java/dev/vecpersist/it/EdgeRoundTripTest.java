package dev.vecpersist.it;

import dev.vecpersist.api.Metric;
import dev.vecpersist.api.ValueLimits;
import dev.vecpersist.api.VectorEntry;
import dev.vecpersist.core.DatabasePersistence;
import dev.vecpersist.core.Plugins;
import dev.vecpersist.core.PersistenceOptions;
import dev.vecpersist.core.VectorDB;
import dev.vecpersist.core.io.FileOps;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Issue 14's property over the edges of the value model, in every format x codec: whatever
 * {@code insert} accepts loads back bit-identical (types, float and double bits, key order), and
 * whatever breaks a {@link ValueLimits} limit is refused at insert.
 *
 * <p>{@value #DATABASES} random databases spread over the formats and codecs, from one seed printed
 * at the start; replay with {@code -Dvecpersist.edge.seed=SEED} (and {@code -Dvecpersist.edge.case=N}
 * for one case). A failing case is printed in full. A second test round-trips one database holding
 * every limit at once (id, keys, a 16 MiB string, the deepest nesting) and dimensions 1 and
 * {@value ValueLimits#MAX_DIMENSION}; a third, per format, the largest list and map.
 */
class EdgeRoundTripTest {

    static final int DATABASES = 1008;
    private static final long SEED = Long.getLong("vecpersist.edge.seed", System.nanoTime());
    private static final Integer ONLY_CASE = Integer.getInteger("vecpersist.edge.case");
    private static final int[] DIMENSIONS = {1, 2, 3, 7, 16};
    private static Plugins plugins;
    /** Durability is not under test here, only encoding: skipping fsync keeps 1,000 round trips fast. */
    private static final FileOps NO_SYNC = new FileOps() {
        @Override
        public WritableFile create(Path file) throws java.io.IOException {
            WritableFile real = SYSTEM.create(file);
            return new WritableFile() {
                @Override
                public java.io.OutputStream stream() {
                    return real.stream();
                }

                @Override
                public void sync() {
                }

                @Override
                public void close() throws java.io.IOException {
                    real.close();
                }
            };
        }

        @Override
        public java.io.InputStream open(Path file) throws java.io.IOException {
            return SYSTEM.open(file);
        }

        @Override
        public void sync(Path file) {
        }

        @Override
        public void atomicMove(Path from, Path to) throws java.io.IOException {
            SYSTEM.atomicMove(from, to);
        }

        @Override
        public void syncDirectory(Path directory) {
        }

        @Override
        public void deleteIfExists(Path file) throws java.io.IOException {
            SYSTEM.deleteIfExists(file);
        }
    };

    @TempDir
    Path dir;

    @BeforeAll
    static void announceSeed() {
        System.out.println("EdgeRoundTripTest seed " + SEED + " (replay: -Dvecpersist.edge.seed=" + SEED + ")");
        plugins = Plugins.discover();
    }

    static Stream<org.junit.jupiter.params.provider.Arguments> combos() {
        return Matrix.formatsAndCodecs();
    }

    /**
     * The databases at the limits are megabytes each: by default each format once, with each codec
     * once among them (the codecs only transform bytes); every combination with
     * {@code -Dvecpersist.edge.allCombos=true}.
     */
    static Stream<org.junit.jupiter.params.provider.Arguments> limitCombos() {
        if (Boolean.getBoolean("vecpersist.edge.allCombos")) {
            return combos();
        }
        return Stream.of(org.junit.jupiter.params.provider.Arguments.of("json", "gzip"),
                org.junit.jupiter.params.provider.Arguments.of("msgpack", "lz4"),
                org.junit.jupiter.params.provider.Arguments.of("sqlite", "brotli"),
                org.junit.jupiter.params.provider.Arguments.of("json", "none"));
    }

    @ParameterizedTest(name = "{0} + {1}")
    @MethodSource("combos")
    void acceptedMeansIdenticalAfterALoadRefusedMeansBrokeALimit(String format, String codec) {
        List<String[]> all = new ArrayList<>();
        combos().forEach(a -> all.add(new String[] {(String) a.get()[0], (String) a.get()[1]}));
        int slot = 0;
        while (!all.get(slot)[0].equals(format) || !all.get(slot)[1].equals(codec)) {
            slot++;
        }
        int accepted = 0;
        int refused = 0;
        int databases = 0;
        long started = System.nanoTime();
        for (int n = slot; n < DATABASES; n += all.size()) {
            if (ONLY_CASE != null && ONLY_CASE != n) {
                continue;
            }
            SplittableRandom random = new SplittableRandom(SEED ^ (n * 0x9E3779B97F4A7C15L));
            int[] counts = runCase(n, random, format, codec);
            accepted += counts[0];
            refused += counts[1];
            databases++;
        }
        System.out.println("edge property " + format + "+" + codec + ": " + databases + " databases, entries accepted and"
                + " round-tripped " + accepted + ", refused at insert " + refused + " ("
                + (System.nanoTime() - started) / 1_000_000 + " ms)");
    }

    /** {@return entries accepted and entries refused} */
    private int[] runCase(int n, SplittableRandom random, String format, String codec) {
        int dimension = DIMENSIONS[random.nextInt(DIMENSIONS.length)];
        VectorDB db = new VectorDB(dimension, Metric.values()[random.nextInt(Metric.values().length)]);
        List<String> log = new ArrayList<>();
        int accepted = 0;
        int refused = 0;
        for (int i = random.nextInt(5); i > 0; i--) {
            EdgeValues values = new EdgeValues(random);
            VectorEntry e = new VectorEntry(values.id(), values.vector(dimension), values.metadata());
            log.add(Describe.entry(e) + (values.broken == null ? "" : "   <- breaks: " + values.broken));
            try {
                db.insert(e);
                accepted++;
                if (values.broken != null) {
                    fail(failure(n, format, codec, log, "insert accepted " + values.broken));
                }
            } catch (IllegalArgumentException refusal) {
                refused++;
                if (values.broken == null) {
                    fail(failure(n, format, codec, log, "insert refused a valid entry: " + refusal.getMessage()));
                }
            }
        }
        List<VectorEntry> expected = AllFormatsAndCodecsTest.contents(db);
        List<VectorEntry> actual = roundTrip(db, format, codec, "case-" + n, n, log);
        boolean same = expected.size() == actual.size();
        for (int i = 0; same && i < expected.size(); i++) {
            same = Describe.identical(expected.get(i), actual.get(i));
        }
        if (!same) {
            fail(failure(n, format, codec, log, "loaded back differently:\n  saved  " + Describe.entries(expected)
                    + "\n  loaded " + Describe.entries(actual)));
        }
        return new int[] {accepted, refused};
    }

    private List<VectorEntry> roundTrip(VectorDB db, String format, String codec, String name, int n, List<String> log) {
        Path file = dir.resolve(name + "." + format + "." + codec);
        try (DatabasePersistence p = new DatabasePersistence(db, PersistenceOptions.builder().baseDir(dir.resolve("save"))
                .format(format).compression(codec).fileOps(NO_SYNC).build(), plugins)) {
            p.save(file);
            VectorDB back = new VectorDB(db.dimension(), db.metric());
            try (DatabasePersistence q = new DatabasePersistence(back,
                    PersistenceOptions.builder().baseDir(dir.resolve("load")).fileOps(NO_SYNC).build(), plugins)) {
                q.load(file);
            }
            return AllFormatsAndCodecsTest.contents(back);
        } catch (RuntimeException e) {
            throw new AssertionError(failure(n, format, codec, log, "save or load failed: " + e), e);
        }
    }

    private static String failure(int n, String format, String codec, List<String> log, String what) {
        return format + "+" + codec + ", case " + n + " (replay: -Dvecpersist.edge.seed=" + SEED
                + " -Dvecpersist.edge.case=" + n + "): " + what + "\nentries inserted, in order:\n  "
                + String.join("\n  ", log);
    }

    @ParameterizedTest(name = "{0} + {1}")
    @MethodSource("limitCombos")
    void everyLimitAtOnceAndBothExtremeDimensionsRoundTrip(String format, String codec) {
        EdgeValues values = new EdgeValues(new SplittableRandom(SEED));
        VectorDB limits = new VectorDB(1, Metric.DOT);
        Map<String, Object> strings = new LinkedHashMap<>();
        strings.put(values.atLimit(ValueLimits.MAX_KEY_BYTES), "key of 1-4 byte characters at the limit");
        strings.put("\u0001".repeat(ValueLimits.MAX_KEY_BYTES), "key of control characters (6 bytes each in JSON)");
        strings.put("\uD83D\uDE00".repeat(ValueLimits.MAX_KEY_BYTES / 4), "key of 4-byte characters");
        strings.put("s", values.atLimit(ValueLimits.MAX_STRING_BYTES));
        limits.insert(new VectorEntry(values.atLimit(ValueLimits.MAX_ID_BYTES), new float[] {-0f}, strings));
        Object deepest = 1e300;
        for (int i = 1; i < ValueLimits.MAX_DEPTH; i++) {
            deepest = i % 2 == 0 ? List.of(deepest, 1.0) : Map.of("d", deepest);
        }
        limits.insert(new VectorEntry("deep", new float[] {-Float.MAX_VALUE}, Map.of("x", deepest)));
        assertSameAfterLoad(limits, format, codec, "limits");

        VectorDB widestVectors = new VectorDB(ValueLimits.MAX_DIMENSION, Metric.EUCLIDEAN);
        for (int e = 0; e < 2; e++) {
            widestVectors.insert(new VectorEntry("v" + e, values.vector(ValueLimits.MAX_DIMENSION), Map.of()));
        }
        assertSameAfterLoad(widestVectors, format, codec, "widest");
    }

    /**
     * The largest list and map: per format, without a codec (a codec only transforms the bytes,
     * which the test above covers for every codec; these two values take a minute per combination
     * on a busy 2-core machine).
     */
    @ParameterizedTest
    @MethodSource("dev.vecpersist.it.Matrix#formatNames")
    void theLargestListAndMapRoundTrip(String format) {
        VectorDB containers = new VectorDB(1, Metric.DOT);
        containers.insert(new VectorEntry("list", new float[] {Float.MIN_VALUE},
                Map.of("l", Collections.nCopies(ValueLimits.MAX_CONTAINER, Long.MIN_VALUE))));
        Map<String, Object> widest = new LinkedHashMap<>();
        for (int i = 0; i < ValueLimits.MAX_CONTAINER; i++) {
            widest.put(Integer.toString(i, 36), i % 3 == 0 ? null : (double) i);
        }
        containers.insert(new VectorEntry("map", new float[] {Float.MAX_VALUE}, Map.of("m", widest)));
        assertSameAfterLoad(containers, format, "none", "containers");
    }

    private void assertSameAfterLoad(VectorDB db, String format, String codec, String name) {
        List<VectorEntry> back = roundTrip(db, format, codec, name, -1, List.of("(" + name + " database)"));
        List<VectorEntry> expected = AllFormatsAndCodecsTest.contents(db);
        assertThat(back).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            if (!Describe.identical(expected.get(i), back.get(i))) {
                fail(format + "+" + codec + " " + name + " entry " + i + " differs:\n  saved  "
                        + cap(Describe.entry(expected.get(i))) + "\n  loaded " + cap(Describe.entry(back.get(i))));
            }
        }
    }

    /** The largest list and map describe as megabytes of text: a failure shows their start. */
    private static String cap(String description) {
        return description.length() <= 20_000 ? description
                : description.substring(0, 20_000) + "... (" + description.length() + " chars)";
    }
}
