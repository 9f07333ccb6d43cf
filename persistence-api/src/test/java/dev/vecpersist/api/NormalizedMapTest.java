package dev.vecpersist.api;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What {@link MetadataValues#normalize} returns behaves as an unmodifiable insertion-ordered map, and is normalised once. */
class NormalizedMapTest {

    private static Map<String, Object> source(int keys) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = keys - 1; i >= 0; i--) {
            m.put("k" + i, i % 3 == 0 ? null : (Object) (long) i);
        }
        return m;
    }

    @Test
    void smallAndLargeMapsAnswerLikeTheirSource() {
        for (int keys : new int[] {1, 2, 8, 9, 40}) {
            Map<String, Object> in = source(keys);
            Map<String, Object> out = MetadataValues.normalize(in);
            assertThat(out).isEqualTo(in);
            assertThat(in).isEqualTo(out);
            assertThat(out.hashCode()).isEqualTo(in.hashCode());
            assertThat(out.toString()).isEqualTo(in.toString());
            assertThat(new ArrayList<>(out.keySet())).isEqualTo(new ArrayList<>(in.keySet()));
            assertThat(new ArrayList<>(out.values())).isEqualTo(new ArrayList<>(in.values()));
            assertThat(out.size()).isEqualTo(keys);
            for (String k : in.keySet()) {
                assertThat(out.containsKey(k)).isTrue();
                assertThat(out.get(k)).isEqualTo(in.get(k));
            }
            assertThat(out.containsKey("absent")).isFalse();
            assertThat(out.containsKey(null)).isFalse();
            assertThat(out.get("absent")).isNull();
            assertThat(out.getOrDefault("absent", "d")).isEqualTo("d");
            assertThat(out.getOrDefault("k0", "d")).isNull();
            assertThat(out.containsValue(null)).isEqualTo(in.containsValue(null));
            List<String> seen = new ArrayList<>();
            out.forEach((k, v) -> seen.add(k + "=" + v));
            assertThat(seen).hasSize(keys);
        }
    }

    @Test
    void everyMutatorThrowsPresentKeyOrNot() {
        Map<String, Object> out = MetadataValues.normalize(source(3));
        List<Runnable> mutators = List.of(() -> out.put("k1", 1L), () -> out.put("new", 1L), () -> out.remove("k1"),
                () -> out.remove("absent"), () -> out.clear(), () -> out.putAll(Map.of()), () -> out.putIfAbsent("k1", 1L),
                () -> out.remove("k1", 1L), () -> out.replace("k1", 2L), () -> out.replace("k1", 1L, 2L),
                () -> out.replaceAll((k, v) -> v), () -> out.computeIfAbsent("k1", k -> 1L),
                () -> out.computeIfPresent("absent", (k, v) -> v), () -> out.compute("k1", (k, v) -> v),
                () -> out.merge("k1", 1L, (a, b) -> a), () -> out.entrySet().clear(), () -> out.keySet().remove("k1"),
                () -> out.values().clear(), () -> out.entrySet().iterator().next().setValue(3L),
                () -> out.entrySet().removeIf(e -> false));
        for (Runnable m : mutators) {
            assertThatThrownBy(m::run).isInstanceOf(UnsupportedOperationException.class);
        }
        assertThat(out).isEqualTo(source(3));
    }

    @Test
    void normalisingOrCheckingItAgainReturnsAtOnce() {
        Map<String, Object> in = new LinkedHashMap<>();
        in.put("i", 7);
        in.put("f", 1.5f);
        in.put("nested", Map.of("x", List.of(1, 2)));
        Map<String, Object> once = MetadataValues.normalize(in);
        assertThat(once.get("i")).isEqualTo(7L);
        assertThat(once.get("f")).isEqualTo(1.5d);
        assertThat(MetadataValues.normalize(once)).isSameAs(once);
        assertThat(MetadataValues.problem(once)).isNull();
        // a normalised map inside another is walked like any other map, and counted
        Map<String, Object> outer = new LinkedHashMap<>();
        outer.put("inner", once);
        assertThat(MetadataValues.normalize(outer)).isEqualTo(Map.of("inner", once));
    }

    @Test
    void equalKeysOfAnIdentityMapKeepTheFirstPositionAndTheLastValue() {
        for (int extra : new int[] {0, 10}) {
            Map<String, Object> in = new java.util.IdentityHashMap<>();
            in.put(new String("dup"), 1L);
            in.put(new String("dup"), 2L);
            for (int i = 0; i < extra; i++) {
                in.put("k" + i, (long) i);
            }
            Map<String, Object> expected = new LinkedHashMap<>();
            for (Map.Entry<String, Object> e : in.entrySet()) {
                expected.put(e.getKey(), e.getValue());
            }
            Map<String, Object> out = MetadataValues.normalize(in);
            assertThat(out).hasSize(1 + extra).isEqualTo(expected);
            assertThat(new ArrayList<>(out.keySet())).isEqualTo(new ArrayList<>(expected.keySet()));
        }
    }

    @Test
    void walkersSeeItsEntriesInOrderAndSortedWhenCanonical() {
        Map<String, Object> out = MetadataValues.normalize(source(12));
        List<String> plain = new ArrayList<>();
        List<String> canonical = new ArrayList<>();
        MetadataWalker.checking(keyRecorder(plain)).walkMap(out);
        MetadataWalker.canonical(keyRecorder(canonical)).walkMap(out);
        assertThat(plain).isEqualTo(new ArrayList<>(source(12).keySet()));
        assertThat(canonical).isEqualTo(plain.stream().sorted().toList());
    }

    private static MetadataVisitor<RuntimeException> keyRecorder(List<String> keys) {
        return new MetadataVisitor<>() {
            @Override public void nullValue() { }
            @Override public void booleanValue(boolean value) { }
            @Override public void longValue(long value, Number source) { }
            @Override public void doubleValue(double value, Number source) { }
            @Override public void stringValue(String value, int utf8Bytes) { }
            @Override public void startList(int size) { }
            @Override public void endList() { }
            @Override public void startMap(int size) { }
            @Override public void key(String key, int utf8Bytes) { keys.add(key); }
            @Override public void endMap() { }
        };
    }
}
