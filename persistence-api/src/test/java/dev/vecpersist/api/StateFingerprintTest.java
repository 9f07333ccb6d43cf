package dev.vecpersist.api;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StateFingerprintTest {

    private static List<VectorEntry> entries(int n, int dimension, long seed) {
        Random r = new Random(seed);
        List<VectorEntry> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            float[] v = new float[dimension];
            for (int d = 0; d < dimension; d++) {
                v[d] = r.nextFloat() * 2 - 1;
            }
            Map<String, Object> meta = new LinkedHashMap<>();
            meta.put("i", (long) i);
            meta.put("tag", "t" + (i % 7));
            meta.put("nested", Map.of("x", 1.5, "list", List.of(true, "s", 3L)));
            out.add(new VectorEntry("id-" + i, v, meta));
        }
        return out;
    }

    @Test
    void doesNotDependOnTheOrderOfEntriesOrOfMetadataKeys() {
        List<VectorEntry> all = entries(200, 7, 1);
        List<VectorEntry> shuffled = new ArrayList<>(all);
        Collections.shuffle(shuffled, new Random(2));
        assertThat(StateFingerprint.of(shuffled)).isEqualTo(StateFingerprint.of(all));

        Map<String, Object> ab = new LinkedHashMap<>();
        ab.put("a", 1L);
        ab.put("b", "x");
        Map<String, Object> ba = new LinkedHashMap<>();
        ba.put("b", "x");
        ba.put("a", 1L);
        float[] v = {1, 2};
        assertThat(StateFingerprint.of(List.of(new VectorEntry("k", v, ab))))
                .isEqualTo(StateFingerprint.of(List.of(new VectorEntry("k", v.clone(), ba))));
    }

    @Test
    void everyBitOfEveryComponentCounts() {
        List<VectorEntry> all = entries(3, 5, 3);
        Set<String> seen = new HashSet<>();
        String original = StateFingerprint.of(all);
        seen.add(original);
        for (int d = 0; d < 5; d++) {
            for (int bit = 0; bit < 32; bit++) {
                float[] v = all.get(1).vector().clone();
                v[d] = Float.intBitsToFloat(Float.floatToRawIntBits(v[d]) ^ (1 << bit));
                List<VectorEntry> changed = new ArrayList<>(all);
                changed.set(1, new VectorEntry("id-1", v, all.get(1).metadata()));
                assertThat(seen.add(StateFingerprint.of(changed))).as("component %d bit %d", d, bit).isTrue();
            }
        }
    }

    @Test
    void nanPayloadsAndZeroSignsAreTold() {
        float nanA = Float.intBitsToFloat(0x7fc00000);
        float nanB = Float.intBitsToFloat(0x7fc00001);
        assertThat(StateFingerprint.of(List.of(new VectorEntry("n", new float[] {nanA}))))
                .isNotEqualTo(StateFingerprint.of(List.of(new VectorEntry("n", new float[] {nanB}))));
        assertThat(StateFingerprint.of(List.of(new VectorEntry("z", new float[] {0.0f}))))
                .isNotEqualTo(StateFingerprint.of(List.of(new VectorEntry("z", new float[] {-0.0f}))));
        assertThat(StateFingerprint.of(List.of(new VectorEntry("z", new float[] {1}, Map.of("d", 0.0)))))
                .isNotEqualTo(StateFingerprint.of(List.of(new VectorEntry("z", new float[] {1}, Map.of("d", -0.0)))));
    }

    @Test
    void idsMetadataValuesTypesAndCountsCount() {
        float[] v = {1, 2, 3};
        String base = StateFingerprint.of(List.of(new VectorEntry("a", v, Map.of("k", 1L))));
        assertThat(List.of(
                StateFingerprint.of(List.of(new VectorEntry("b", v, Map.of("k", 1L)))),
                StateFingerprint.of(List.of(new VectorEntry("a", v, Map.of("k", 2L)))),
                StateFingerprint.of(List.of(new VectorEntry("a", v, Map.of("k", 1.0)))),
                StateFingerprint.of(List.of(new VectorEntry("a", v, Map.of("k", "1")))),
                StateFingerprint.of(List.of(new VectorEntry("a", v, Map.of("j", 1L)))),
                StateFingerprint.of(List.of(new VectorEntry("a", v, Map.of()))),
                StateFingerprint.of(List.of(new VectorEntry("a", new float[] {1, 2}, Map.of("k", 1L)))),
                StateFingerprint.of(List.of(new VectorEntry("a", v, Map.of("k", 1L)), new VectorEntry("a2", v))),
                StateFingerprint.of(List.of())))
                .doesNotContain(base).doesNotHaveDuplicates();
        // an id's bytes and the vector after it do not run together
        assertThat(StateFingerprint.of(List.of(new VectorEntry("ab", new float[] {1}))))
                .isNotEqualTo(StateFingerprint.of(List.of(new VectorEntry("a", new float[] {1}, Map.of("b", 1L)))));
    }

    @Test
    void addAndRemoveDeriveTheDigestOfAChangedState() {
        List<VectorEntry> all = entries(50, 4, 5);
        StateFingerprint f = StateFingerprint.parse(StateFingerprint.of(all));
        assertThat(f.count()).isEqualTo(50);
        VectorEntry replacement = new VectorEntry("id-3", new float[] {9, 9, 9, 9});
        f.remove(all.get(3));
        f.add(replacement);
        f.remove(all.get(10));
        List<VectorEntry> changed = new ArrayList<>(all);
        changed.set(3, replacement);
        changed.remove(10);
        assertThat(f.value()).isEqualTo(StateFingerprint.of(changed)).startsWith("fp128:49:");
        assertThat(StateFingerprint.parse(f.value()).value()).isEqualTo(f.value());
    }

    @Test
    void theCacheGivesTheSameValuesAcrossChangingStates() {
        StateFingerprint.Cache cache = new StateFingerprint.Cache();
        List<VectorEntry> state = new ArrayList<>(entries(100, 6, 8));
        assertThat(cache.of(state)).isEqualTo(StateFingerprint.of(state));
        state.set(5, new VectorEntry("id-5", new float[] {1, 2, 3, 4, 5, 6}));
        state.remove(7);
        state.add(new VectorEntry("more", new float[] {6, 5, 4, 3, 2, 1}, Map.of("k", List.of(1L))));
        assertThat(cache.of(state)).isEqualTo(StateFingerprint.of(state));
        Collections.reverse(state);
        assertThat(cache.of(state)).isEqualTo(StateFingerprint.of(state));
        cache.clear();
        assertThat(cache.of(List.of())).isEqualTo(StateFingerprint.of(List.of()));
    }

    @Test
    void parseRefusesWhatItDidNotWrite() {
        for (String bad : new String[] {"", "crc32c:00000000", "fp128:1:abc", "fp128:x:" + "0".repeat(32),
                "fp128::" + "0".repeat(32), "fp128:1:" + "g".repeat(32)}) {
            assertThatThrownBy(() -> StateFingerprint.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> StateFingerprint.parse(null)).isInstanceOf(IllegalArgumentException.class);
    }
}
