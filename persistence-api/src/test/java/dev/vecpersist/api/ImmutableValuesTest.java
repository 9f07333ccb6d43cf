package dev.vecpersist.api;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The SPI's value records cannot be changed through the arrays and maps they were built from or hand out. */
class ImmutableValuesTest {

    @Test
    void aStateHeaderCopiesItsIndexStateAndMetadata() {
        byte[] index = {1, 2, 3};
        List<Object> tags = new ArrayList<>(List.of("a"));
        Map<String, Object> user = new HashMap<>(Map.of("tags", tags, "n", 1));
        StateHeader header = new StateHeader(2, StateHeader.Kind.FULL, 3, Metric.DOT, 0, 0, Instant.EPOCH, user, index);
        index[0] = 9;
        tags.add("b");
        user.put("added", true);
        assertThat(header.indexState()).containsExactly(1, 2, 3);
        header.indexState()[1] = 9;
        assertThat(header.indexState()).containsExactly(1, 2, 3);
        assertThat(header.userMetadata()).isEqualTo(Map.of("tags", List.of("a"), "n", 1L));
        assertThatThrownBy(() -> header.userMetadata().put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
        assertThat(new StateHeader(2, StateHeader.Kind.FULL, 3, Metric.DOT, 0, 0, Instant.EPOCH, null, null).indexState()).isNull();
    }

    @Test
    void aStateHeaderRefusesMetadataOutsideTheValueModel() {
        assertThatThrownBy(() -> new StateHeader(2, StateHeader.Kind.FULL, 3, Metric.DOT, 0, 0, Instant.EPOCH,
                Map.of("ratio", Double.NaN), null)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ratio");
    }

    @Test
    void snapshotMetadataCopiesItsMetadata() {
        Map<String, Object> nested = new HashMap<>(Map.of("k", "v"));
        Map<String, Object> user = new HashMap<>(Map.of("nested", nested));
        SnapshotMetadata meta = new SnapshotMetadata("id", "name", Instant.EPOCH, 1, 2, "json", "none", 3, "00", user);
        nested.put("k", "changed");
        user.clear();
        assertThat(meta.metadata()).isEqualTo(Map.of("nested", Map.of("k", "v")));
        assertThatThrownBy(() -> meta.metadata().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> new SnapshotMetadata("id", "name", Instant.EPOCH, 1, 2, "json", "none", 3, "00",
                Map.of("not a metadata value", new Object()))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a metadata value");
    }

    @Test
    void aLevelRangeChecksLevelsAndNamesTheCodec() {
        LevelRange range = new LevelRange(1, 9);
        assertThat(range.contains(1)).isTrue();
        assertThat(range.contains(9)).isTrue();
        assertThat(range.contains(0)).isFalse();
        assertThat(range.contains(10)).isFalse();
        assertThat(range.check("gzip", 5)).isEqualTo(5);
        assertThatThrownBy(() -> range.check("gzip", 12)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("gzip level must be 1..9, was 12");
        assertThatThrownBy(() -> new LevelRange(3, 2)).isInstanceOf(IllegalArgumentException.class);
        assertThat(range).isEqualTo(new LevelRange(1, 9)).hasToString("1..9");
    }
}
