package dev.vecpersist.format.msgpack;

import dev.vecpersist.api.Metric;
import dev.vecpersist.api.StateHeader;
import dev.vecpersist.api.VectorEntry;
import dev.vecpersist.testkit.StateFiles;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random small states (full or delta, any dimension, ids in any well-formed Unicode, nested
 * metadata of every value type, arbitrary finite float bits, index states) round trip through a
 * file: equal header, entries bit for bit, deletions, and checksum.
 */
class MsgpackPropertyTest {

    private static Path dir;

    @BeforeContainer
    static void createDir() throws IOException {
        dir = Files.createTempDirectory("msgpack-props");
    }

    @AfterContainer
    static void deleteDir() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** A generated state. */
    record State(StateHeader header, List<VectorEntry> entries, List<String> deletions) {
    }

    @Property(tries = 200)
    void randomStatesRoundTrip(@ForAll("states") State state) throws IOException {
        Path f = Files.createTempFile(dir, "state", ".msgpack");
        Files.delete(f);
        String written = StateFiles.write(new MsgpackStateFormat(), f, state.header(), state.entries(), state.deletions());
        StateFiles.ReadState back = StateFiles.read(new MsgpackStateFormat(), f);
        assertThat(back.checksum()).isEqualTo(written);
        assertThat(back.header()).isEqualTo(state.header());
        assertThat(back.entries()).containsExactlyElementsOf(state.entries()); // vectors compared bit for bit
        assertThat(back.deletions()).containsExactlyElementsOf(state.deletions());
        Files.delete(f);
    }

    @Provide
    Arbitrary<State> states() {
        return Arbitraries.integers().between(1, 12).flatMap(dimension -> {
            Arbitrary<List<VectorEntry>> entries = Combinators.combine(ids(), vectors(dimension), metadata(3))
                    .as(VectorEntry::new).list().ofMaxSize(12);
            Arbitrary<List<String>> deletions = ids().list().ofMaxSize(5);
            Arbitrary<byte[]> index = Arbitraries.bytes().array(byte[].class).ofMaxSize(64).injectNull(0.5);
            return Combinators.combine(entries, deletions, Arbitraries.of(Metric.class), metadata(2), index,
                    Arbitraries.longs().between(-62_135_596_800_000L, 253_402_300_799_999L), Arbitraries.of(true, false))
                    .as((es, ds, metric, user, idx, millis, delta) -> {
                        List<String> dels = delta ? ds : List.of();
                        StateHeader header = new StateHeader(MsgpackStateFormat.VERSION,
                                delta ? StateHeader.Kind.DELTA : StateHeader.Kind.FULL, dimension, metric, es.size(),
                                dels.size(), Instant.ofEpochMilli(millis), user, idx);
                        return new State(header, es, dels);
                    });
        });
    }

    private static Arbitrary<String> ids() {
        return Arbitraries.strings().all().ofMinLength(1).ofMaxLength(20).filter(MsgpackPropertyTest::isWellFormed);
    }

    private static Arbitrary<float[]> vectors(int dimension) {
        Arbitrary<Float> floats = Arbitraries.oneOf(
                Arbitraries.floats().between(-1e6f, 1e6f),
                Arbitraries.of(0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MAX_VALUE, -Float.MAX_VALUE,
                        Float.MIN_NORMAL, 1.0e-40f, -3.0e-39f),
                Arbitraries.integers().map(Float::intBitsToFloat).filter(Float::isFinite));
        return floats.array(float[].class).ofSize(dimension);
    }

    /** Strings without lone surrogates: those are not Unicode text, and no format can store them. */
    private static boolean isWellFormed(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    private static Arbitrary<Map<String, Object>> metadata(int depth) {
        Arbitrary<String> keys = Arbitraries.strings().all().ofMaxLength(8).filter(MsgpackPropertyTest::isWellFormed);
        return value(depth).list().ofMaxSize(4)
                .flatMap(values -> keys.list().ofSize(values.size()).uniqueElements().map(ks -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    for (int i = 0; i < ks.size(); i++) {
                        m.put(ks.get(i), values.get(i));
                    }
                    return m;
                }));
    }

    private static Arbitrary<Object> value(int depth) {
        List<Arbitrary<Object>> all = new ArrayList<>(List.of(
                Arbitraries.strings().all().ofMaxLength(10).filter(MsgpackPropertyTest::isWellFormed).injectNull(0.1)
                        .map(x -> (Object) x),
                Arbitraries.longs().map(x -> (Object) x),
                Arbitraries.doubles().filter(Double::isFinite).map(x -> (Object) x),
                Arbitraries.of(true, false).map(x -> (Object) x)));
        if (depth > 0) {
            all.add(Arbitraries.lazy(() -> value(depth - 1)).list().ofMaxSize(3).map(x -> (Object) x));
            all.add(Arbitraries.lazy(() -> metadata(depth - 1)).map(x -> (Object) x));
        }
        return Arbitraries.oneOf(all);
    }
}
