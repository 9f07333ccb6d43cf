package dev.vecpersist.json;

import com.fasterxml.jackson.core.JsonParseException;
import dev.vecpersist.api.MetadataValues;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The metadata codec on its own, as the SQLite format uses it. */
class MetadataJsonTest {

    @Test
    void roundTripsEveryTypeOfTheValueModelInOrder() throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("z", "last key first");
        m.put("s", "quote \" backslash \\ newline \n nul \u0000 emoji \uD83D\uDE80 日本");
        m.put("t", true);
        m.put("f", false);
        m.put("n", null);
        m.put("l", Long.MIN_VALUE);
        m.put("d", 0.1);
        m.put("e", 1e300);
        m.put("list", Arrays.asList(1L, null, "x", List.of(), Map.of()));
        m.put("map", Map.of("inner", Map.of("k", -0.5)));
        m.put("", "empty key");
        String json = MetadataJson.toJson(m);
        Map<String, Object> back = MetadataJson.fromJson(json);
        assertThat(back).isEqualTo(m).isInstanceOf(LinkedHashMap.class);
        assertThat(new ArrayList<>(back.keySet())).containsExactlyElementsOf(m.keySet());
    }

    @Test
    void integersComeBackAsLongAndFractionsAsDouble() throws IOException {
        Map<String, Object> back = MetadataJson.fromJson("{\"i\":1,\"neg\":-7,\"d\":1.0,\"e\":2e3,\"big\":9223372036854775807}");
        assertThat(back.get("i")).isEqualTo(1L);
        assertThat(back.get("neg")).isEqualTo(-7L);
        assertThat(back.get("d")).isEqualTo(1.0);
        assertThat(back.get("e")).isEqualTo(2000.0);
        assertThat(back.get("big")).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void narrowerJavaTypesAreWrittenAsTheModelWidensThem() throws IOException {
        Map<String, Object> in = Map.of("i", 3, "s", (short) 4, "b", (byte) 5, "f", 0.5f);
        assertThat(MetadataJson.fromJson(MetadataJson.toJson(in))).isEqualTo(MetadataValues.normalize(in));
    }

    @Test
    void emptyAndNullMapsAreAnEmptyObject() throws IOException {
        assertThat(MetadataJson.toJson(Map.of())).isEqualTo("{}");
        assertThat(MetadataJson.toJson(null)).isEqualTo("{}");
        assertThat(MetadataJson.fromJson(" {} ")).isEmpty();
    }

    @Test
    void writingRefusesWhatReadingWouldRefuse() {
        assertThatThrownBy(() -> MetadataJson.toJson(Map.of("x", Double.POSITIVE_INFINITY)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'x'").hasMessageContaining("finite");
        assertThatThrownBy(() -> MetadataJson.toJson(Map.of("x", BigInteger.ONE)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("java.math.BigInteger");
        assertThatThrownBy(() -> MetadataJson.toJson(Map.of("x", new Object())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unsupported type");
        Map<Object, Object> badKey = new LinkedHashMap<>();
        badKey.put(1, "v");
        @SuppressWarnings("unchecked")
        Map<String, Object> raw = (Map<String, Object>) (Map<?, ?>) badKey;
        assertThatThrownBy(() -> MetadataJson.toJson(raw)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a String");
        assertThatThrownBy(() -> MetadataJson.toJson(Map.of("deep", nest(MetadataValues.MAX_DEPTH))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nested deeper than 64");
    }

    @Test
    void writesAndReadsExactlyTheDeepestAllowedNesting() throws IOException {
        Map<String, Object> deepest = Map.of("deep", nest(MetadataValues.MAX_DEPTH - 1));
        assertThat(MetadataJson.fromJson(MetadataJson.toJson(deepest))).isEqualTo(deepest);
    }

    /** {@code levels} nested maps below the caller's map. */
    private static Object nest(int levels) {
        Object value = "leaf";
        for (int i = 0; i < levels; i++) {
            value = Map.of("k", value);
        }
        return value;
    }

    @Test
    void readingRejectsContentOutsideTheModel() {
        assertRejected("[1,2]", "must be a JSON object");
        assertRejected("7", "must be a JSON object");
        assertRejected("", "must be a JSON object");
        assertRejected("{\"a\":1} {}", "after the metadata object");
        assertRejected("{\"a\":1", "end-of-input");
        assertRejected("{\"a\":99999999999999999999}", "does not fit in a long");
        assertRejected("{\"a\":-1e309}", "beyond the range of a double");
        assertRejected("{\"a\":1,\"a\":1}", "Duplicate field 'a'");
        assertRejected("{\"a\":NaN}", "NaN");
        assertRejected("{\"a\":" + "[".repeat(64) + "]".repeat(64) + "}", "nested deeper than 64");
        assertRejected("{\"a\":" + "{\"b\":".repeat(80) + "1" + "}".repeat(80) + "}", "nest");
        assertRejected("{\"a\":\"" + "x".repeat(dev.vecpersist.api.ValueLimits.MAX_STRING_BYTES + 1) + "\"}", "String value length");
    }

    private static void assertRejected(String json, String messagePart) {
        assertThatThrownBy(() -> MetadataJson.fromJson(json)).as(json.length() > 80 ? json.substring(0, 80) : json)
                .isInstanceOf(JsonParseException.class).hasMessageContaining(messagePart);
    }

    @Test
    void documentsAreReadUnderTheSameRulesAsMetadata() throws IOException {
        try (var p = JsonSetup.FACTORY.createParser("{\"a\":{\"b\":[1,2.5,null,true]},\"s\":\"x\"}")) {
            assertThat(MetadataJson.readDocument(p)).isEqualTo(Map.of("a", Map.of("b", Arrays.asList(1L, 2.5, null, true)), "s", "x"));
        }
        for (String[] bad : new String[][] {
                {"{\"a\":1e400}", "beyond the range of a double"},
                {"{\"a\":123456789012345678901}", "does not fit in a long"},
                {"{\"a\":1,\"a\":2}", "Duplicate field"},
                {"{\"a\":1} {}", "after the JSON object"},
                {"[1]", "expected a JSON object"},
                {"{\"a\":" + "[".repeat(64) + "]".repeat(64) + "}", "nested deeper than 64"}}) {
            assertThatThrownBy(() -> {
                try (var p = JsonSetup.FACTORY.createParser(bad[0])) {
                    MetadataJson.readDocument(p);
                }
            }).as(bad[0]).isInstanceOf(JsonParseException.class).hasMessageContaining(bad[1]);
        }
    }

    @Test
    void writeValueWritesAnyValueOfTheModelAndRefusesTheRest() throws IOException {
        java.io.StringWriter out = new java.io.StringWriter();
        try (var g = JsonSetup.FACTORY.createGenerator(out)) {
            g.writeStartArray();
            MetadataJson.writeValue(g, (short) 3);
            MetadataJson.writeValue(g, (byte) -4);
            MetadataJson.writeValue(g, 1.5f);
            MetadataJson.writeValue(g, null);
            MetadataJson.writeValue(g, List.of("a", Map.of("k", 1)));
            g.writeEndArray();
        }
        assertThat(out.toString()).isEqualTo("[3,-4,1.5,null,[\"a\",{\"k\":1}]]");
        try (var g = JsonSetup.FACTORY.createGenerator(new java.io.StringWriter())) {
            assertThatThrownBy(() -> MetadataJson.writeValue(g, Double.NaN)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("only finite numbers");
            assertThatThrownBy(() -> MetadataJson.writeValue(g, List.of("lone \uD800")))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("metadata string at '[0]' has an unpaired surrogate");
        }
    }

    @Test
    void whatAWriteAcceptsAReadGivesBackBitForBit() throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("min", Double.MIN_VALUE);
        m.put("max", Double.MAX_VALUE);
        m.put("negZero", -0.0);
        m.put("third", 1.0 / 3);
        m.put("long", Long.MAX_VALUE);
        m.put("astral", "\uD83D\uDE80");
        Map<String, Object> back = MetadataJson.fromJson(MetadataJson.toJson(m));
        for (String k : List.of("min", "max", "negZero", "third")) {
            assertThat(Double.doubleToRawLongBits((Double) back.get(k))).as(k)
                    .isEqualTo(Double.doubleToRawLongBits((Double) m.get(k)));
        }
        assertThat(back).isEqualTo(m);
    }
}
