package dev.vecpersist.format.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.vecpersist.api.ContentChecksum;
import dev.vecpersist.api.Metric;
import dev.vecpersist.api.StateHeader;
import dev.vecpersist.api.VectorEntry;
import dev.vecpersist.testkit.StateFiles;
import dev.vecpersist.testkit.TestStates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** Writes states to real files and reads them back: equal content, equal checksums, our layout. */
class JsonRoundTripTest {

    private static final Instant CREATED = Instant.ofEpochMilli(1_700_000_000_123L);
    private final JsonStateFormat format = new JsonStateFormat();

    @TempDir
    Path dir;

    private StateFiles.ReadState roundTrip(StateHeader header, List<VectorEntry> entries, List<String> deletions)
            throws IOException {
        Path f = dir.resolve("state-" + System.nanoTime() + ".json");
        String written = StateFiles.write(format, f, header, entries, deletions);
        assertThat(written).startsWith(ContentChecksum.PREFIX);
        StateFiles.ReadState back = StateFiles.read(format, f); // recomputes the checksum and compares
        assertThat(back.checksum()).isEqualTo(written);
        assertThat(back.header()).isEqualTo(header);
        assertThat(back.entries()).containsExactlyElementsOf(entries);
        assertThat(back.deletions()).containsExactlyElementsOf(deletions);
        return back;
    }

    private static StateHeader full(int dimension, Metric metric, long count) {
        return StateHeader.full(JsonStateFormat.VERSION, dimension, metric, count, CREATED);
    }

    @Test
    void emptyState() throws IOException {
        roundTrip(full(3, Metric.COSINE, 0), List.of(), List.of());
    }

    @Test
    void oneEntryWithoutMetadata() throws IOException {
        roundTrip(full(2, Metric.DOT, 1), List.of(new VectorEntry("a", new float[] {0.5f, -1f})), List.of());
    }

    @Test
    void tenThousandBy384WithMixedMetadata() throws IOException {
        List<VectorEntry> entries = TestStates.mixedMetadataEntries(10_000, 384, 21);
        StateFiles.ReadState back = roundTrip(full(384, Metric.COSINE, entries.size()), entries, List.of());
        Map<String, Object> meta = back.entries().get(9_999).metadata();
        assertThat(meta.get("index")).isInstanceOf(Long.class).isEqualTo(9_999L);
        assertThat(meta.get("big")).isEqualTo(Long.MAX_VALUE - 9_999);
        assertThat(meta.get("ratio")).isInstanceOf(Double.class);
        assertThat(meta).containsEntry("tags", List.of("x", "y")).containsEntry("empty", Map.of());
        assertThat(new ArrayList<>(meta.keySet())).as("keys in file order")
                .containsExactly("index", "big", "negative", "ratio", "label", "tags", "empty", "emptyList", "nested");
    }

    @Test
    void unicodeIdsAndStrings() throws IOException {
        List<VectorEntry> entries = new ArrayList<>(TestStates.unicodeIdEntries(4));
        entries.add(new VectorEntry("\u2028\u2029\u0007\u001f", new float[] {1, 2, 3, 4},
                Map.of("lone surrogate-free astral", "\uD83E\uDD16\uD834\uDD1E", "ключ", "значение")));
        roundTrip(full(4, Metric.EUCLIDEAN, entries.size()), entries, List.of());
    }

    @Test
    void metadataNestedToTheDepthLimit() throws IOException {
        Object value = "bottom";
        for (int depth = 2; depth <= dev.vecpersist.api.MetadataValues.MAX_DEPTH; depth++) {
            value = depth % 2 == 0 ? Map.of("level", value) : List.of(value, (long) depth);
        }
        Map<String, Object> deep = Map.of("deep", value);
        assertThat(dev.vecpersist.api.MetadataValues.normalize(deep)).isEqualTo(deep); // exactly at the limit
        Map<String, Object> mixed = new LinkedHashMap<>();
        mixed.put("null", null);
        mixed.put("t", true);
        mixed.put("f", false);
        mixed.put("zero", 0L);
        mixed.put("minus zero", -0.0);
        mixed.put("min", Long.MIN_VALUE);
        mixed.put("tiny", Double.MIN_VALUE);
        mixed.put("huge", -Double.MAX_VALUE);
        mixed.put("whole double", 3.0);
        mixed.put("list", List.of(List.of(), Map.of("k", List.of(1L, 2.5, "x")), new ArrayList<>(java.util.Arrays.asList(null, "y"))));
        List<VectorEntry> entries = List.of(new VectorEntry("deep", new float[] {1}, deep),
                new VectorEntry("mixed", new float[] {2}, mixed));
        StateFiles.ReadState back = roundTrip(full(1, Metric.DOT, 2), entries, List.of());
        assertThat(back.entries().get(1).metadata().get("whole double")).isInstanceOf(Double.class);
        assertThat(back.entries().get(1).metadata().get("zero")).isInstanceOf(Long.class);
        assertThat(Double.doubleToRawLongBits((Double) back.entries().get(1).metadata().get("minus zero")))
                .isEqualTo(Double.doubleToRawLongBits(-0.0));
    }

    @Test
    void extremeFloatsBitForBit() throws IOException {
        List<VectorEntry> entries = TestStates.extremeFloatEntries();
        StateFiles.ReadState back = roundTrip(full(4, Metric.EUCLIDEAN, entries.size()), entries, List.of());
        assertBitsEqual(entries, back.entries());
    }

    @Test
    void randomFloatBitPatternsReadBackExactly() throws IOException {
        // every exponent, subnormals included: text must parse to the same float, not via a double
        Random random = new Random(5);
        List<VectorEntry> entries = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            float[] v = new float[100];
            for (int d = 0; d < v.length; d++) {
                float f;
                do {
                    f = Float.intBitsToFloat(random.nextInt());
                } while (!Float.isFinite(f));
                v[d] = f;
            }
            entries.add(new VectorEntry("r" + i, v));
        }
        StateFiles.ReadState back = roundTrip(full(100, Metric.DOT, entries.size()), entries, List.of());
        assertBitsEqual(entries, back.entries());
    }

    private static void assertBitsEqual(List<VectorEntry> expected, List<VectorEntry> actual) {
        for (int i = 0; i < expected.size(); i++) {
            float[] e = expected.get(i).vector();
            float[] a = actual.get(i).vector();
            for (int d = 0; d < e.length; d++) {
                assertThat(Float.floatToRawIntBits(a[d])).as("entry %d component %d (%s)", i, d, e[d])
                        .isEqualTo(Float.floatToRawIntBits(e[d]));
            }
        }
    }

    @Test
    void headerUserMetadataAndLargeIndexState() throws IOException {
        byte[] index = new byte[300_000];
        new Random(2).nextBytes(index);
        StateHeader header = new StateHeader(JsonStateFormat.VERSION, StateHeader.Kind.FULL, 2, Metric.EUCLIDEAN, 1, 0,
                CREATED, Map.of("owner", "tests", "nested", Map.of("a", List.of(true, 1L))), index);
        roundTrip(header, List.of(new VectorEntry("a", new float[] {1, 2})), List.of());
        roundTrip(new StateHeader(JsonStateFormat.VERSION, StateHeader.Kind.FULL, 2, Metric.DOT, 0, 0, CREATED,
                Map.of(), new byte[0]), List.of(), List.of()); // empty, not absent
    }

    @Test
    void deltaWithDeletions() throws IOException {
        List<VectorEntry> upserts = TestStates.entries(50, 8, 4);
        List<String> deleted = List.of("gone-1", "日本", "", "vec-3");
        StateHeader header = new StateHeader(JsonStateFormat.VERSION, StateHeader.Kind.DELTA, 8, Metric.COSINE,
                upserts.size(), deleted.size(), CREATED, Map.of(), null);
        roundTrip(header, upserts, deleted);
    }

    @Test
    void deltasWithOnlyDeletionsOrNothing() throws IOException {
        roundTrip(new StateHeader(JsonStateFormat.VERSION, StateHeader.Kind.DELTA, 8, Metric.COSINE, 0, 2, CREATED,
                Map.of(), null), List.of(), List.of("x", "y"));
        roundTrip(new StateHeader(JsonStateFormat.VERSION, StateHeader.Kind.DELTA, 8, Metric.COSINE, 0, 0, CREATED,
                Map.of(), null), List.of(), List.of());
    }

    @Test
    void layoutExtendsTheReferenceModulesAndPutsTheChecksumLast() throws IOException {
        Path f = dir.resolve("layout.json");
        StateHeader header = new StateHeader(JsonStateFormat.VERSION, StateHeader.Kind.DELTA, 2, Metric.COSINE, 1, 1,
                CREATED, Map.of("u", 1L), new byte[] {1, 2, 3});
        String checksum = StateFiles.write(format, f, header,
                List.of(new VectorEntry("a", new float[] {0.1f, -0.0f}, Map.of("k", "v"))), List.of("b"));
        String text = Files.readString(f, StandardCharsets.UTF_8);
        assertThat(text).startsWith("{\"version\":\"2.0.0\",\"format\":\"vecpersist-json\",\"kind\":\"delta\","
                + "\"options\":{\"dimension\":2,\"metric\":\"cosine\"},"
                + "\"stats\":{\"count\":1,\"dimension\":2,\"metric\":\"cosine\",\"deletions\":1},"
                + "\"timestamp\":1700000000123,\"userMetadata\":{\"u\":1},\"indexState\":\"AQID\","
                + "\"vectors\":[{\"id\":\"a\",\"vector\":[0.1,-0.0],\"metadata\":{\"k\":\"v\"}}],"
                + "\"deleted\":[\"b\"],");
        assertThat(text).endsWith(",\"checksum\":\"" + checksum + "\"}");
        assertThat(topLevelKeys(f)).containsExactly("version", "format", "kind", "options", "stats", "timestamp",
                "userMetadata", "indexState", "vectors", "deleted", "checksum");
    }

    @Test
    void aFullStateHasNoDeletedArray() throws IOException {
        Path f = dir.resolve("full.json");
        StateFiles.write(format, f, full(2, Metric.DOT, 1), List.of(new VectorEntry("a", new float[] {1, 2})), List.of());
        assertThat(topLevelKeys(f)).containsExactly("version", "format", "kind", "options", "stats", "timestamp",
                "userMetadata", "vectors", "checksum");
    }

    private static List<String> topLevelKeys(Path f) throws IOException {
        List<String> keys = new ArrayList<>();
        try (JsonParser p = new JsonFactory().createParser(f.toFile())) {
            p.nextToken();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                keys.add(p.currentName());
                p.nextToken();
                p.skipChildren();
            }
        }
        return keys;
    }
}
