package dev.vecpersist.format.json;

import com.fasterxml.jackson.core.io.NumberOutput;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

/**
 * {@link Float32Text} against the two facts it must honour: the text parses back to the same bits,
 * and it is the text Jackson's fast float writer produced so far (files stay byte-identical).
 */
class Float32TextTest {

    private final byte[] buffer = new byte[Float32Text.MAX_LENGTH + 4];

    private String text(float f) {
        int end = Float32Text.write(f, buffer, 2);
        assertThat(end - 2).isLessThanOrEqualTo(Float32Text.MAX_LENGTH);
        return new String(buffer, 2, end - 2, StandardCharsets.ISO_8859_1);
    }

    /** Returns a description of the mismatch, or null. */
    private String check(int bits) {
        float f = Float.intBitsToFloat(bits);
        String ours = text(f);
        String jackson = NumberOutput.toString(f, true);
        if (!ours.equals(jackson)) {
            return Integer.toHexString(bits) + ": wrote " + ours + ", Jackson writes " + jackson;
        }
        if (Float.floatToRawIntBits(Float.parseFloat(ours)) != bits) {
            return Integer.toHexString(bits) + ": " + ours + " parses back to another float";
        }
        return null;
    }

    private void checkAll(Iterable<Integer> bits) {
        List<String> failures = new ArrayList<>();
        for (int b : bits) {
            String failure = check(b);
            if (failure != null && failures.size() < 20) {
                failures.add(failure);
            }
        }
        if (!failures.isEmpty()) {
            fail(String.join("\n", failures));
        }
    }

    @Test
    void twoMillionRandomBitPatternsRoundTripAndMatchJackson() {
        SplittableRandom random = new SplittableRandom(20261201);
        List<String> failures = new ArrayList<>();
        int checked = 0;
        while (checked < 2_000_000) {
            int bits = random.nextInt();
            if ((bits & 0x7f80_0000) == 0x7f80_0000) {
                continue; // NaN and infinities: not JSON numbers
            }
            String failure = check(bits);
            if (failure != null && failures.size() < 20) {
                failures.add(failure);
            }
            checked++;
        }
        assertThat(failures).isEmpty();
    }

    @Test
    void edgeClasses() {
        List<Integer> bits = new ArrayList<>();
        for (int sign : new int[] {0, 0x8000_0000}) {
            // zero, the smallest subnormals, the largest subnormals, the smallest normals
            for (int t = 0; t < 4096; t++) {
                bits.add(sign | t);
                bits.add(sign | (0x0080_0000 - 1 - t));
                bits.add(sign | (0x0080_0000 + t));
            }
            // every power of two and a few ulps around it (the irregular interval below it)
            for (int e = 0; e < 255; e++) {
                for (int d = -8; d <= 8; d++) {
                    int b = (e << 23) + d;
                    if (b >= 0 && b < 0x7f80_0000) {
                        bits.add(sign | b);
                    }
                }
            }
            // MAX_VALUE and below it
            for (int d = 0; d < 4096; d++) {
                bits.add(sign | (0x7f7f_ffff - d));
            }
            // powers of ten, the floats nearest to them and their neighbours
            for (int k = -46; k <= 39; k++) {
                int near = Float.floatToRawIntBits(Float.parseFloat("1e" + k));
                for (int d = -4; d <= 4; d++) {
                    int b = near + d;
                    if (b >= 0 && b < 0x7f80_0000) {
                        bits.add(sign | b);
                    }
                }
            }
            // integers, the plain/scientific borders (1e-3, 1e7) and decimals with few digits
            for (int i = 0; i <= 20_000; i++) {
                bits.add(sign | Float.floatToRawIntBits(i));
                bits.add(sign | Float.floatToRawIntBits(i / 1000f));
                bits.add(sign | Float.floatToRawIntBits(i * 0.1f));
            }
            for (int i = 16_777_000; i <= 16_777_300; i++) {
                bits.add(sign | Float.floatToRawIntBits(i)); // around 2^24, where integers stop being exact
            }
            for (float f : new float[] {1e-3f, 9.999999e-4f, 1e7f, 9999999f, 1.0E7f, 1.00000005E7f, 0.001f, 1e-4f}) {
                for (int d = -3; d <= 3; d++) {
                    bits.add(sign | (Float.floatToRawIntBits(f) + d));
                }
            }
        }
        checkAll(bits);
    }

    @Test
    void knownTexts() {
        assertThat(text(0f)).isEqualTo("0.0");
        assertThat(text(-0f)).isEqualTo("-0.0");
        assertThat(text(1f)).isEqualTo("1.0");
        assertThat(text(100f)).isEqualTo("100.0");
        assertThat(text(0.1f)).isEqualTo("0.1");
        assertThat(text(0.001f)).isEqualTo("0.001");
        assertThat(text(1e-4f)).isEqualTo("1.0E-4");
        assertThat(text(1e7f)).isEqualTo("1.0E7");
        assertThat(text(1234567f)).isEqualTo("1234567.0");
        assertThat(text(Float.MIN_VALUE)).isEqualTo("1.4E-45");
        assertThat(text(-Float.MAX_VALUE)).isEqualTo("-3.4028235E38");
        assertThat(text(Float.MIN_NORMAL)).isEqualTo("1.1754944E-38");
        assertThat(text(2e-44f)).isEqualTo("2.0E-44"); // shortest among the tiny subnormals
    }

    @Test
    void refusesWhatJsonCannotHold() {
        for (float f : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
            assertThatThrownBy(() -> Float32Text.write(f, buffer, 0)).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
