package dev.vecpersist.api;

import org.junit.jupiter.api.Test;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MetadataWalkerTest {

    /** Writes down every callback. */
    private static final class Recorder implements MetadataVisitor<RuntimeException> {
        final List<String> events = new ArrayList<>();

        @Override public void nullValue() { events.add("null"); }
        @Override public void booleanValue(boolean value) { events.add("bool " + value); }
        @Override public void longValue(long value, Number source) { events.add("long " + value + " " + source.getClass().getSimpleName()); }
        @Override public void doubleValue(double value, Number source) { events.add("double " + value + " " + source.getClass().getSimpleName()); }
        @Override public void stringValue(String value, int utf8Bytes) { events.add("string " + value + " " + utf8Bytes); }
        @Override public void startList(int size) { events.add("["  + size); }
        @Override public void endList() { events.add("]"); }
        @Override public void startMap(int size) { events.add("{" + size); }
        @Override public void key(String key, int utf8Bytes) { events.add("key " + key + " " + utf8Bytes); }
        @Override public void endMap() { events.add("}"); }
    }

    private static Map<String, Object> sample() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("z", "é");
        m.put("a", Arrays.asList(1, (short) 2, (byte) 3, 4L, null));
        m.put("m", Map.of("f", 0.5f));
        m.put("b", true);
        m.put("d", 2.5);
        return m;
    }

    @Test
    void aCheckingWalkReportsEveryValueInIterationOrderWidenedWithItsSource() {
        Recorder r = new Recorder();
        MetadataWalker.checking(r).walkMap(sample());
        assertThat(r.events).containsExactly("{5", "key z 1", "string é 2",
                "key a 1", "[5", "long 1 Integer", "long 2 Short", "long 3 Byte", "long 4 Long", "null", "]",
                "key m 1", "{1", "key f 1", "double 0.5 Float", "}",
                "key b 1", "bool true", "key d 1", "double 2.5 Double", "}");
    }

    @Test
    void aCanonicalWalkSortsKeysAndLeavesStringsUnscanned() {
        Recorder r = new Recorder();
        MetadataWalker.canonical(r).walkMap(sample());
        assertThat(r.events).containsSubsequence("{5", "key a -1", "key b -1", "key d -1", "key m -1", "key z -1", "string é -1", "}");
        Recorder lone = new Recorder();
        MetadataWalker.canonical(lone).walkMap(Map.of("k", "\uD800"));
        assertThat(lone.events).containsExactly("{1", "key k -1", "string \uD800 -1", "}");
    }

    @Test
    void refusalsNameTheKeyPath() {
        MetadataWalker<RuntimeException> w = MetadataWalker.checking(new Recorder());
        Map<String, Object> nan = Map.of("a", Map.of("b", Arrays.asList(1L, Double.NaN)));
        assertThatThrownBy(() -> w.walkMap(nan)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("metadata value at 'a.b[1]' is NaN; only finite numbers can be stored");
        assertThatThrownBy(() -> w.walkMap(Map.of("x", List.of(new Object()))))
                .hasMessageContaining("'x[0]' has unsupported type java.lang.Object");
        assertThatThrownBy(() -> w.walkMap(Map.of("s", List.of("ok", "lone \uDFFF"))))
                .hasMessageContaining("metadata string at 's[1]' has an unpaired surrogate U+DFFF at index 5");
        assertThatThrownBy(() -> w.walkMap(Map.of("k\uD800", 1L)))
                .hasMessageContaining("metadata key 'k\uD800' has an unpaired surrogate");
        assertThatThrownBy(() -> w.walkMap(Map.of("big", "x".repeat(ValueLimits.MAX_STRING_BYTES + 1))))
                .hasMessageContaining("metadata string at 'big' is 16777217 bytes of UTF-8, more than the limit of 16777216");
        Map<Object, Object> intKey = new LinkedHashMap<>();
        intKey.put(7, "v");
        assertThatThrownBy(() -> w.walkMap(Map.of("outer", intKey))).hasMessage("metadata key at 'outer' is not a String: 7");
        // the walker is reusable after a refusal: the path starts afresh
        assertThatThrownBy(() -> w.walkMap(Map.of("y", Float.POSITIVE_INFINITY))).hasMessageContaining("at 'y' is Infinity");
    }

    @Test
    void theDeepestAllowedNestingPassesAndOneMoreLevelIsRefused() {
        Object nested = "leaf";
        for (int i = 1; i < ValueLimits.MAX_DEPTH; i++) {
            nested = i % 2 == 0 ? List.of(nested) : Map.of("k", nested);
        }
        Object deepest = nested;
        Map<String, Object> atLimit = Map.of("top", deepest);
        MetadataWalker.checking(new Recorder()).walkMap(atLimit);
        MetadataWalker.canonical(new Recorder()).walkMap(atLimit);
        assertThatThrownBy(() -> MetadataWalker.checking(new Recorder()).walkMap(Map.of("top", Map.of("k", deepest))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nested deeper than 64 levels");
        assertThatThrownBy(() -> MetadataWalker.canonical(new Recorder()).walkMap(Map.of("top", List.of(deepest))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nested deeper than 64 levels");
    }

    @Test
    void aContainerBeyondTheLimitIsRefusedBeforeItsElementsAreVisited() {
        List<Object> huge = new AbstractList<>() {
            @Override public Object get(int index) { throw new AssertionError("visited"); }
            @Override public int size() { return ValueLimits.MAX_CONTAINER + 1; }
        };
        assertThatThrownBy(() -> MetadataWalker.checking(new Recorder()).walkMap(Map.of("l", huge)))
                .hasMessage("metadata list at 'l' has 1048577 elements, more than the limit of " + ValueLimits.MAX_CONTAINER);
    }

    @Test
    void aTopLevelValueOtherThanAMapCanBeWalked() {
        Recorder r = new Recorder();
        MetadataWalker.checking(r).walkValue(List.of("a", 1L));
        MetadataWalker.checking(r).walkValue(null);
        assertThat(r.events).containsExactly("[2", "string a 1", "long 1 Long", "]", "null");
    }

    @Test
    void normalizeKeepsLongsAndDoublesAsTheSameObjectsAndWidensTheRest() {
        Long big = 1234567L;
        Double d = 0.25;
        Map<String, Object> in = new LinkedHashMap<>();
        in.put("big", big);
        in.put("d", d);
        in.put("i", 5);
        in.put("f", 1.5f);
        in.put("l", List.of(Map.of("x", (short) 1)));
        Map<String, Object> out = MetadataValues.normalize(in);
        assertThat(out.get("big")).isSameAs(big);
        assertThat(out.get("d")).isSameAs(d);
        assertThat(out).containsExactly(Map.entry("big", 1234567L), Map.entry("d", 0.25), Map.entry("i", 5L),
                Map.entry("f", 1.5), Map.entry("l", List.of(Map.of("x", 1L))));
        assertThatThrownBy(() -> out.put("n", 1L)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> ((List<?>) out.get("l")).clear()).isInstanceOf(UnsupportedOperationException.class);
    }
}
