package dev.vecpersist.json;

import com.fasterxml.jackson.core.JsonParseException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The row-by-row metadata reader gives exactly what {@link MetadataJson#fromJson} gives, maps and errors. */
class MetadataJsonReaderTest {

    private static final List<String> CASES = List.of(
            "{}", "{\"a\":1}", "{\"index\":42,\"category\":\"b\",\"timestamp\":1700000000042}",
            "{\"t\":true,\"f\":false,\"n\":null,\"s\":\"\",\"\":0}", "{\"neg\":-0,\"m\":-123456789012345678}",
            "{\"big\":9223372036854775807}", "{\"big\":-9223372036854775808}", "{\"huge\":92233720368547758070}",
            "{\"lead\":01}", "{\"lead\":-01}", "{\"minus\":-}", "{\"d\":1.5}", "{\"e\":1e3}", "{\"E\":2E-3}",
            "{\"a\":1,\"a\":2}", "{\"a\":null,\"a\":null}", "{\"a\":1,}", "{\"a\":1}}", "{\"a\"}", "{\"a\":}",
            "{\"a\" :1}", " {\"a\":1}", "{\"a\":1} ", "{\"a\":\"x\\\"y\"}", "{\"a\":\"\\u00e9\"}", "{\"a\":\"é\"}",
            "{\"a\":\"tab\there\"}", "{\"a\":truex}", "{\"a\":tru}", "{\"a\":nul}", "{\"a\":falsey}",
            "{\"a\":[1,2]}", "{\"a\":{\"b\":1}}", "{\"a\":\"unterminated}", "{\"a\":1,\"b\"", "{", "}", "",
            "[]", "{\"a\":1}x", "{\"k\":\"" + "v".repeat(5000) + "\"}", "{\"" + "k".repeat(2000) + "\":1}",
            "{\"a\":+1}", "{\"a\":1,\"b\":\"two\",\"c\":true,\"d\":null,\"e\":-5}", "{'a':1}");

    @Test
    void everyCaseMatchesTheJacksonReader() {
        MetadataJsonReader reader = new MetadataJsonReader();
        for (String json : CASES) {
            assertSame(reader, json);
        }
    }

    @Test
    void randomFlatAndAlmostFlatObjectsMatchTheJacksonReader() {
        Random random = new Random(17);
        String[] atoms = {"0", "-0", "7", "-42", "123456789012345678", "1234567890123456789", "1.0", "-2e5",
                "true", "false", "null", "\"\"", "\"plain\"", "\"esc\\n\"", "\"ü\"", "[]", "{}", "01", "tru", "\"x"};
        String[] keys = {"a", "b", "index", "category", "", "k\\\"", "é", "a"};
        MetadataJsonReader reader = new MetadataJsonReader();
        for (int n = 0; n < 5000; n++) {
            StringBuilder sb = new StringBuilder("{");
            int fields = random.nextInt(5);
            for (int i = 0; i < fields; i++) {
                if (i > 0) {
                    sb.append(random.nextInt(40) == 0 ? " ," : ",");
                }
                sb.append('"').append(keys[random.nextInt(keys.length)]).append("\":")
                        .append(atoms[random.nextInt(atoms.length)]);
            }
            sb.append(random.nextInt(60) == 0 ? "," : "").append('}');
            assertSame(reader, sb.toString());
        }
    }

    @Test
    void keysAreSharedAcrossRowsAndMapsAreFresh() throws JsonParseException {
        MetadataJsonReader reader = new MetadataJsonReader();
        Map<String, Object> first = reader.fromJson("{\"category\":\"a\",\"index\":1}");
        Map<String, Object> second = reader.fromJson("{\"category\":\"a\",\"index\":2}");
        List<String> firstKeys = new ArrayList<>(first.keySet());
        List<String> secondKeys = new ArrayList<>(second.keySet());
        assertThat(secondKeys).containsExactly("category", "index");
        assertThat(secondKeys.get(0)).isSameAs(firstKeys.get(0));
        assertThat(secondKeys.get(1)).isSameAs(firstKeys.get(1));
        second.put("added", true);
        assertThat(first).doesNotContainKey("added");
        assertThat(second.get("index")).isEqualTo(2L);
    }

    @Test
    void bytesThatAreNotValidUtf8ReadAsTheirDecodedString() {
        MetadataJsonReader reader = new MetadataJsonReader();
        byte[][] cases = {
            {'{', '"', 'a', '"', ':', '"', (byte) 0xff, '"', '}'},
            {'{', '"', (byte) 0xc3, '"', ':', '1', '}'},
            {'{', '"', 'a', '"', ':', (byte) 0xe2, (byte) 0x82, '}'},
            {'{', '"', 'a', '"', ':', '"', (byte) 0xc3, (byte) 0xa9, '"', '}'},
            {'{', '"', 'a', '"', ':', '1', '}', (byte) 0x80},
        };
        for (byte[] bytes : cases) {
            String decoded = new String(bytes, StandardCharsets.UTF_8);
            assertSameAsJackson(decoded, () -> reader.fromJson(bytes));
        }
    }

    /** One way of reading a document. */
    private interface Read {
        Map<String, Object> run() throws JsonParseException;
    }

    /** Reads {@code json} as a string and as UTF-8 bytes; both give exactly what Jackson gives. */
    private static void assertSame(MetadataJsonReader reader, String json) {
        assertSameAsJackson(json, () -> reader.fromJson(json));
        byte[] utf8 = json.getBytes(StandardCharsets.UTF_8);
        assertSameAsJackson(json, () -> reader.fromJson(utf8));
    }

    private static void assertSameAsJackson(String json, Read read) {
        Map<String, Object> expected;
        try {
            expected = MetadataJson.fromJson(json);
        } catch (JsonParseException e) {
            assertThatThrownBy(read::run).as(json).isInstanceOf(JsonParseException.class)
                    .hasMessage(e.getMessage());
            return;
        }
        Map<String, Object> actual;
        try {
            actual = read.run();
        } catch (JsonParseException e) {
            throw new AssertionError(json + ": the reader refused what Jackson accepts: " + e.getMessage(), e);
        }
        assertThat(actual).as(json).isEqualTo(expected);
        assertThat(new ArrayList<>(actual.keySet())).as(json).isEqualTo(new ArrayList<>(expected.keySet()));
        for (Map.Entry<String, Object> e : expected.entrySet()) {
            Object value = actual.get(e.getKey());
            assertThat(value == null ? null : value.getClass()).as(json + " " + e.getKey())
                    .isEqualTo(e.getValue() == null ? null : e.getValue().getClass());
        }
    }
}
