package dev.vecpersist.core;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Sizes are computed in binary units, so they are labelled KiB/MiB/GiB (issue 23, item 9). */
class FormattingTest {

    @Test
    void binarySizesCarryBinaryUnitLabels() {
        assertThat(Formatting.humanSize(0)).isEqualTo("0 B");
        assertThat(Formatting.humanSize(1023)).isEqualTo("1023 B");
        assertThat(Formatting.humanSize(1536)).isEqualTo("1.50 KiB");
        assertThat(Formatting.humanSize(616_688)).isEqualTo("602.23 KiB");
        assertThat(Formatting.humanSize(15L * 1024 * 1024 + 512 * 1024)).isEqualTo("15.50 MiB");
        assertThat(Formatting.humanSize(3L << 30)).isEqualTo("3.00 GiB");
    }

    @Test
    void negativeSizesAreRejected() {
        assertThatThrownBy(() -> Formatting.humanSize(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
