package dev.vecpersist.format.msgpack;

import dev.vecpersist.api.CorruptedStateException;
import dev.vecpersist.api.StateReader;
import dev.vecpersist.api.StateSource;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Decoded metadata maps on both sides of {@link SmallMap#MAX_SIZE}: the same entries, order,
 * equality and hash code as a {@link LinkedHashMap} of the file's pairs, unmodifiable when small, and
 * a repeated key refused in either kind of map, after its value was read.
 */
class DecodedMapTest {

    /** Reads the one entry of a dimension-1 state whose metadata {@code keys} keys k0.. write, k{repeat} again last. */
    private static Map<String, Object> decode(int keys, int repeat) throws IOException {
        byte[] file = Handcrafted.state(1, 1, 1, p -> {
            p.packArrayHeader(3).packString("a").packBinaryHeader(4).writePayload(new byte[4]);
            p.packMapHeader(repeat < 0 ? keys : keys + 1);
            for (int i = 0; i < keys; i++) {
                p.packString("k" + i);
                switch (i % 4) {
                    case 0 -> p.packLong(i);
                    case 1 -> p.packString("v" + i);
                    case 2 -> p.packNil();
                    default -> p.packArrayHeader(1).packBoolean(true);
                }
            }
            if (repeat >= 0) {
                p.packString("k" + repeat).packLong(-1);
            }
            Handcrafted.trailer(p, "none");
        });
        try (StateReader reader = new MsgpackStateFormat().newReader(
                new StateSource.FromStream(new ByteArrayInputStream(file), "decoded"))) {
            return reader.nextEntry().metadata();
        }
    }

    private static Map<String, Object> expected(int keys) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keys; i++) {
            map.put("k" + i, switch (i % 4) {
                case 0 -> (long) i;
                case 1 -> "v" + i;
                case 2 -> null;
                default -> List.of(true);
            });
        }
        return map;
    }

    @Test
    void decodedMapsAreThoseOfTheFilesPairsInFileOrder() throws IOException {
        for (int keys : new int[] {1, 2, 3, SmallMap.MAX_SIZE, SmallMap.MAX_SIZE + 1, 40}) {
            Map<String, Object> decoded = decode(keys, -1);
            Map<String, Object> expected = expected(keys);
            assertThat(decoded).as(keys + " keys").isEqualTo(expected);
            assertThat(expected).isEqualTo(decoded);
            assertThat(decoded.hashCode()).isEqualTo(expected.hashCode());
            assertThat(decoded.toString()).isEqualTo(expected.toString());
            assertThat(decoded.keySet()).containsExactlyElementsOf(expected.keySet());
            assertThat(decoded.containsKey("k0")).isTrue();
            assertThat(decoded.containsKey("k" + keys)).isFalse();
            assertThat(decoded.containsKey(null)).isFalse();
            assertThat(decoded.get("k" + (keys - 1))).isEqualTo(expected.get("k" + (keys - 1)));
        }
    }

    @Test
    void aSmallDecodedMapIsUnmodifiable() throws IOException {
        Map<String, Object> decoded = decode(3, -1);
        assertThat(decoded).isInstanceOf(SmallMap.class);
        assertThatThrownBy(() -> decoded.put("x", 1L)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> decoded.remove("k0")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(decoded::clear).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> decoded.entrySet().iterator().next().setValue(2L))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThat(decoded).isEqualTo(expected(3));
    }

    @Test
    void aRepeatedKeyIsRefusedInSmallAndLargeMaps() {
        for (int keys : new int[] {1, SmallMap.MAX_SIZE - 1, SmallMap.MAX_SIZE, 20}) {
            int repeat = keys - 1;
            assertThatThrownBy(() -> decode(keys, repeat)).as(keys + 1 + " pairs")
                    .isInstanceOf(CorruptedStateException.class)
                    .hasMessageContaining("decoded: corrupt MessagePack state in entry 0")
                    .hasMessageContaining("metadata key 'k" + repeat + "' appears twice in one map");
        }
    }

    /** Short ASCII values that entries repeat are one string; others are equal strings of their own. */
    @Test
    void entriesRepeatingAShortValueShareItsString() throws IOException {
        String title = "a value longer than the cache keeps";
        byte[] file = Handcrafted.state(1, 1, 2, p -> {
            for (String id : new String[] {"a", "b"}) {
                p.packArrayHeader(3).packString(id).packBinaryHeader(4).writePayload(new byte[4]);
                p.packMapHeader(3).packString("category").packString("news").packString("title").packString(title)
                        .packString("lang").packString("français");
            }
            Handcrafted.trailer(p, "none");
        });
        try (StateReader reader = new MsgpackStateFormat().newReader(
                new StateSource.FromStream(new ByteArrayInputStream(file), "shared"))) {
            Map<String, Object> first = reader.nextEntry().metadata();
            Map<String, Object> second = reader.nextEntry().metadata();
            assertThat(second).isEqualTo(first).isEqualTo(Map.of("category", "news", "title", title, "lang", "français"));
            assertThat(second.get("category")).isSameAs(first.get("category"));
            assertThat(second.get("title")).isNotSameAs(first.get("title"));
            assertThat(second.get("lang")).isNotSameAs(first.get("lang"));
        }
    }
}
