package dev.vecpersist.testkit.property;

import dev.vecpersist.api.VectorEntry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PropertyRunnerTest {

    @AfterEach
    void clearSeed() {
        System.clearProperty(PropertyRunner.SEED_PROPERTY);
    }

    @Test
    void aFixedSeedReplaysTheSameCases() {
        System.setProperty(PropertyRunner.SEED_PROPERTY, "42");
        List<String> first = new ArrayList<>();
        List<String> second = new ArrayList<>();
        PropertyRunner.check("first", 50, ValueGenerators.entries(3), e -> first.add(CaseDescription.of(e)));
        PropertyRunner.check("second", 50, ValueGenerators.entries(3), e -> second.add(CaseDescription.of(e)));
        assertThat(first).hasSize(50).isEqualTo(second);
        assertThat(first).doesNotHaveDuplicates();
    }

    @Test
    void everyTryRunsWhenThePropertyHolds() {
        int[] runs = {0};
        PropertyRunner.check("counts", 300, Generators.integers(0, 9), i -> runs[0]++);
        assertThat(runs[0]).isEqualTo(300);
    }

    @Test
    void theFailureNamesTheCaseInFullAndTheSeed() {
        System.setProperty(PropertyRunner.SEED_PROPERTY, "7");
        Gen<VectorEntry> entries = random -> new VectorEntry("caf\u00e9\u0000", new float[] {1f, -0f, 3f, 4f, 5f, Float.MIN_VALUE},
                Map.of("k", List.of(1L, "v")));
        assertThatThrownBy(() -> PropertyRunner.check("always fails", 10, entries, e -> {
            throw new IllegalStateException("boom");
        })).isInstanceOf(AssertionError.class)
                .hasMessageContaining("property 'always fails' failed on try 1 of 10 (replay with -Dvecpersist.seed=7)")
                .hasMessageContaining("IllegalStateException: boom")
                .hasMessageContaining("VectorEntry[id=\"caf\\u00e9\\u0000\", vector=[1.0f, -0.0f, 3.0f, 4.0f, 5.0f, 1.4E-45f], "
                        + "metadata={\"k\"=[1L, \"v\"]}]")
                .hasCauseInstanceOf(IllegalStateException.class);
    }

    @Test
    void aSeedThatIsNotALongIsRejected() {
        System.setProperty(PropertyRunner.SEED_PROPERTY, "abc");
        assertThatThrownBy(() -> PropertyRunner.check("p", 1, Generators.booleans(), b -> { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("vecpersist.seed");
    }

    @Test
    void stringsAreWellFormedAndReachEveryPlane() {
        SplittableRandom random = new SplittableRandom(1);
        Gen<String> strings = Generators.strings(0, 20);
        boolean empty = false;
        boolean astral = false;
        boolean nul = false;
        for (int i = 0; i < 2000; i++) {
            String s = strings.next(random);
            for (int j = 0; j < s.length(); j++) {
                char c = s.charAt(j);
                if (Character.isHighSurrogate(c)) {
                    assertThat(Character.isLowSurrogate(s.charAt(++j))).as("pair in %s", CaseDescription.of(s)).isTrue();
                    astral = true;
                } else {
                    assertThat(Character.isLowSurrogate(c)).as("lone surrogate in %s", CaseDescription.of(s)).isFalse();
                    nul |= c == 0;
                }
            }
            empty |= s.isEmpty();
        }
        assertThat(empty).isTrue();
        assertThat(astral).isTrue();
        assertThat(nul).isTrue();
    }

    @Test
    void boundsAndEdgeValuesComeUp() {
        SplittableRandom random = new SplittableRandom(3);
        List<Integer> ints = Generators.integers(1, 12).list(200, 200).next(random);
        assertThat(ints).contains(1, 12).allMatch(i -> i >= 1 && i <= 12);
        List<Float> floats = Generators.finiteFloats().list(500, 500).next(random);
        assertThat(floats).allMatch(Float::isFinite).contains(Float.MAX_VALUE, Float.MIN_VALUE)
                .anyMatch(f -> Float.floatToRawIntBits(f) == Float.floatToRawIntBits(-0f));
        assertThat(Generators.longs().list(500, 500).next(random)).contains(Long.MIN_VALUE, Long.MAX_VALUE, 0L);
    }

    @Test
    void uniqueListsHaveDistinctKeysAndImpossibleOnesFailClearly() {
        SplittableRandom random = new SplittableRandom(5);
        List<VectorEntry> entries = ValueGenerators.entries(2).uniqueList(25, 25, VectorEntry::id).next(random);
        assertThat(entries.stream().map(VectorEntry::id)).doesNotHaveDuplicates().hasSize(25);
        assertThatThrownBy(() -> Generators.booleans().uniqueList(3, 3, b -> b).next(random))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("distinct");
    }
}
