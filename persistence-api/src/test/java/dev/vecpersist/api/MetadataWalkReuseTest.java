package dev.vecpersist.api;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.AbstractMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link MetadataValues} reuses one walk per thread and shares the key array of consecutive copies
 * with the same keys; {@link MetadataWalker} walks a plain map through {@code forEach}. None of it
 * may change what a copy holds, leak one walk into the next or swallow a visitor's exception.
 */
class MetadataWalkReuseTest {

    @Test
    void consecutiveCopiesWithTheSameKeysShareOneKeyArrayAndKeepTheirOwnValues() {
        NormalizedMap first = (NormalizedMap) MetadataValues.normalize(ordered("a", 1L, "b", "x"));
        NormalizedMap second = (NormalizedMap) MetadataValues.normalize(ordered("a", 2L, "b", "y"));
        NormalizedMap other = (NormalizedMap) MetadataValues.normalize(ordered("b", "z", "a", 3L));
        NormalizedMap third = (NormalizedMap) MetadataValues.normalize(ordered("b", "w", "a", 4L));
        assertThat(second.keys).isSameAs(first.keys);
        assertThat(other.keys).isNotSameAs(first.keys).containsExactly("b", "a");
        assertThat(third.keys).isSameAs(other.keys);
        assertThat(first).isEqualTo(Map.of("a", 1L, "b", "x"));
        assertThat(second).isEqualTo(Map.of("a", 2L, "b", "y"));
        assertThat(other).isEqualTo(Map.of("a", 3L, "b", "z"));
        assertThat(third).isEqualTo(Map.of("a", 4L, "b", "w"));
        assertThat(first.keys).containsExactly("a", "b");
    }

    @Test
    void aFailedWalkLeavesNothingBehindForTheNextOne() {
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("k", List.of(Map.of("deep", Double.NaN)));
        assertThatThrownBy(() -> MetadataValues.normalize(ordered("a", 1L, "n", nested)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("n.k[0].deep");
        assertThat(MetadataValues.problem(ordered("s", "x".repeat(ValueLimits.MAX_STRING_BYTES + 1)))).isNotNull();
        assertThat(MetadataValues.normalize(ordered("a", 1L, "n", Map.of("k", "v"))))
                .isEqualTo(Map.of("a", 1L, "n", Map.of("k", "v")));
        assertThat(MetadataValues.problem(ordered("s", "fine"))).isNull();
    }

    @Test
    void aMapThatNormalisesMetadataWhileItIsWalkedGetsAWalkOfItsOwn() {
        Map<String, Object> reentrant = new AbstractMap<>() {
            @Override
            public Set<Entry<String, Object>> entrySet() {
                return Map.<String, Object>of("inner", MetadataValues.normalize(ordered("x", 1L))).entrySet();
            }
        };
        assertThat(MetadataValues.normalize(ordered("outer", reentrant, "after", "v")))
                .isEqualTo(Map.of("outer", Map.of("inner", Map.of("x", 1L)), "after", "v"));
    }

    @Test
    void aVisitorsCheckedExceptionLeavesAPlainMapsWalkAsItWasThrown() {
        IOException boom = new IOException("boom");
        MetadataVisitor<IOException> failing = new MetadataVisitor<>() {
            @Override public void nullValue() { }
            @Override public void booleanValue(boolean value) { }
            @Override public void longValue(long value, Number source) { }
            @Override public void doubleValue(double value, Number source) { }
            @Override public void stringValue(String value, int utf8Bytes) throws IOException { throw boom; }
            @Override public void startList(int size) { }
            @Override public void endList() { }
            @Override public void startMap(int size) { }
            @Override public void key(String key, int utf8Bytes) { }
            @Override public void endMap() { }
        };
        Map<String, Object> plain = new HashMap<>(Map.of("k", "v"));
        assertThatThrownBy(() -> MetadataWalker.checking(failing).walkMap(plain)).isSameAs(boom);
    }

    @Test
    void aPlainMapIsWalkedThroughForEachWithItsKeyPath() {
        Map<String, Object> forEachOnly = new AbstractMap<>() {
            @Override
            public Set<Entry<String, Object>> entrySet() {
                return Map.<String, Object>of("k", Map.of("bad", Double.POSITIVE_INFINITY)).entrySet();
            }

            @Override
            public void forEach(BiConsumer<? super String, ? super Object> action) {
                action.accept("k", Map.of("bad", Double.POSITIVE_INFINITY));
            }
        };
        assertThatThrownBy(() -> MetadataValues.normalize(forEachOnly))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'k.bad'");
    }

    private static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }
}
