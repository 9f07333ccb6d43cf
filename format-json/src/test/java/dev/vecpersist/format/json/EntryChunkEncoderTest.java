package dev.vecpersist.format.json;

import dev.vecpersist.json.MetadataJson;
import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.vecpersist.api.VectorEntry;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The chunk encoder writes byte for byte what a Jackson generator of the module's factory writes. */
class EntryChunkEncoderTest {

    /** The entries as one generator writes them (the writer's former code path), comma-separated. */
    private static String jackson(List<VectorEntry> entries) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = JacksonSetup.FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
            g.writeStartArray();
            for (VectorEntry e : entries) {
                g.writeStartObject();
                g.writeStringField(JsonLayout.ID, e.id());
                g.writeFieldName(JsonLayout.VECTOR);
                g.writeStartArray();
                for (float f : e.vector()) {
                    g.writeNumber(f);
                }
                g.writeEndArray();
                g.writeFieldName(JsonLayout.METADATA);
                MetadataJson.write(g, e.metadata());
                g.writeEndObject();
            }
            g.writeEndArray();
        }
        String text = out.toString(StandardCharsets.UTF_8);
        return text.substring(1, text.length() - 1);
    }

    private static String ours(List<VectorEntry> entries) throws IOException {
        EntryChunkEncoder.Bytes b = EntryChunkEncoder.encode(entries);
        return new String(b.bytes, 0, b.length, StandardCharsets.UTF_8);
    }

    @Test
    void idsVectorsAndMetadataOfEveryKindAreWrittenAsJacksonWritesThem() throws IOException {
        String[] ids = {"plain-1", "", "with space/slash", "quote\"", "back\\slash", "tab\tnewline\n", "nul\u0000",
                "del\u007f", "caf\u00e9", "\u65e5\u672c", "rocket\uD83D\uDE80", "\u001f\u0020~"};
        Random random = new Random(7);
        List<VectorEntry> entries = new ArrayList<>();
        for (int i = 0; i < ids.length * 4; i++) {
            float[] v = new float[16];
            for (int k = 0; k < v.length; k++) {
                v[k] = switch (random.nextInt(5)) {
                    case 0 -> Float.intBitsToFloat(random.nextInt() & 0x7f7f_ffff) * (random.nextBoolean() ? 1 : -1);
                    case 1 -> random.nextInt(2000) - 1000;
                    case 2 -> new float[] {0f, -0f, Float.MIN_VALUE, Float.MAX_VALUE, Float.MIN_NORMAL, 1e7f, 1e-3f}[random.nextInt(7)];
                    default -> (float) random.nextGaussian() * 0.05f;
                };
            }
            Map<String, Object> metadata = switch (i % 4) {
                case 0 -> Map.of();
                case 1 -> Map.of("index", (long) i, "category", "c" + i);
                case 2 -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("s", "quote \" backslash \\ newline \n \u0000 \uD83D\uDE80");
                    m.put("n", List.of(1L, 2.5, true, Arrays.asList("x", null)));
                    m.put("nested", Map.of("a", Map.of("b", -0.0)));
                    yield m;
                }
                default -> null;
            };
            entries.add(new VectorEntry(ids[i % ids.length], v, metadata));
        }
        assertThat(ours(entries)).isEqualTo(jackson(entries));
        assertThat(ours(entries.subList(0, 1))).isEqualTo(jackson(entries.subList(0, 1)));
    }
}
