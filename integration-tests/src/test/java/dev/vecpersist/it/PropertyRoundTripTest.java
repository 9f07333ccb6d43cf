package dev.vecpersist.it;

import dev.vecpersist.api.Metric;
import dev.vecpersist.api.VectorEntry;
import dev.vecpersist.core.DatabasePersistence;
import dev.vecpersist.core.PersistenceOptions;
import dev.vecpersist.core.VectorDB;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterProperty;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random databases through every format: ids in any Unicode, empty and nested metadata of every
 * value type, extreme floats (subnormals, -0.0, max values) — loaded back identical.
 */
class PropertyRoundTripTest {

    private static final int DIMENSION = 6;
    private final Path dir;

    PropertyRoundTripTest() throws IOException {
        dir = Files.createTempDirectory("vecpersist-props");
    }

    @AfterProperty
    void cleanUp() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Property(tries = 40)
    void everyFormatRoundTripsRandomDatabases(@ForAll("databases") List<VectorEntry> entries,
                                              @ForAll("formatAndCodec") String[] formatAndCodec) {
        VectorDB db = new VectorDB(DIMENSION, Metric.COSINE);
        db.insertBatch(entries);
        Path file = dir.resolve("state-" + System.nanoTime());
        try (DatabasePersistence p = new DatabasePersistence(db, PersistenceOptions.builder().baseDir(dir.resolve("b"))
                .format(formatAndCodec[0]).compression(formatAndCodec[1]).build())) {
            p.save(file);
            VectorDB fresh = new VectorDB(DIMENSION, Metric.COSINE);
            try (DatabasePersistence q = new DatabasePersistence(fresh,
                    PersistenceOptions.builder().baseDir(dir.resolve("c")).build())) {
                q.load(file);
            }
            assertThat(AllFormatsAndCodecsTest.contents(fresh)).containsExactlyElementsOf(AllFormatsAndCodecsTest.contents(db));
        }
    }

    @Provide
    Arbitrary<String[]> formatAndCodec() {
        List<String[]> all = new ArrayList<>();
        Matrix.formatsAndCodecs().forEach(a -> all.add(new String[] {(String) a.get()[0], (String) a.get()[1]}));
        return Arbitraries.of(all);
    }

    @Provide
    Arbitrary<List<VectorEntry>> databases() {
        Arbitrary<String> ids = Arbitraries.strings().all().ofMinLength(1).ofMaxLength(20)
                .filter(s -> !s.isEmpty() && isWellFormed(s));
        Arbitrary<float[]> vectors = floats().array(float[].class).ofSize(DIMENSION);
        Arbitrary<Map<String, Object>> metadata = metadata(3);
        return Combinators.combine(ids, vectors, metadata).as(VectorEntry::new)
                .list().ofMaxSize(25).uniqueElements(VectorEntry::id);
    }

    private static boolean isWellFormed(String s) {
        // lone surrogates cannot be encoded in UTF-8 by any format; ids are valid Unicode text
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    private static Arbitrary<Float> floats() {
        return Arbitraries.oneOf(
                Arbitraries.floats().between(-1e6f, 1e6f),
                Arbitraries.of(0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MAX_VALUE, -Float.MAX_VALUE,
                        Float.MIN_NORMAL, 1.0e-40f, -3.0e-39f),
                Arbitraries.integers().map(bits -> Float.intBitsToFloat(bits)).filter(Float::isFinite));
    }

    private static Arbitrary<Map<String, Object>> metadata(int depth) {
        Arbitrary<String> keys = Arbitraries.strings().all().ofMaxLength(8).filter(PropertyRoundTripTest::isWellFormed);
        return value(depth).map(v -> (Object) v).list().ofMaxSize(4)
                .flatMap(values -> keys.list().ofSize(values.size()).uniqueElements().map(ks -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    for (int i = 0; i < ks.size(); i++) {
                        m.put(ks.get(i), values.get(i));
                    }
                    return m;
                }));
    }

    private static Arbitrary<Object> value(int depth) {
        List<Arbitrary<?>> leaves = List.of(
                Arbitraries.strings().all().ofMaxLength(10).filter(PropertyRoundTripTest::isWellFormed).injectNull(0.1),
                Arbitraries.longs(), Arbitraries.doubles().filter(Double::isFinite),
                Arbitraries.of(true, false));
        if (depth == 0) {
            return Arbitraries.oneOf(leaves.stream().map(a -> a.map(x -> (Object) x)).toList());
        }
        List<Arbitrary<Object>> all = new ArrayList<>(leaves.stream().map(a -> a.map(x -> (Object) x)).toList());
        all.add(Arbitraries.lazy(() -> value(depth - 1)).list().ofMaxSize(3).map(x -> (Object) x));
        all.add(Arbitraries.lazy(() -> metadata(depth - 1)).map(x -> (Object) x));
        return Arbitraries.oneOf(all);
    }

}
