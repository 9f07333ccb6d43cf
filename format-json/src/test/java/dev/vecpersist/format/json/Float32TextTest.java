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
    void everyDigitCountAtEveryDecimalExponent() {
        // 1 to 9 significant digits from 1e-46 to 1e39: every layout (plain, 0.00ddd, scientific),
        // every count of digits after the first and every place of the point
        SplittableRandom random = new SplittableRandom(17);
        List<Integer> bits = new ArrayList<>();
        for (int x = -46; x <= 39; x++) {
            for (int digits = 1; digits <= 9; digits++) {
                for (int i = 0; i < 40; i++) {
                    StringBuilder d = new StringBuilder().append(1 + random.nextInt(9));
                    for (int j = 1; j < digits; j++) {
                        d.append(random.nextInt(10));
                    }
                    float f = Float.parseFloat(d + "E" + (x - digits + 1));
                    if (Float.isFinite(f)) {
                        int b = Float.floatToRawIntBits(f);
                        bits.add(b);
                        bits.add(b | 0x8000_0000);
                    }
                }
            }
        }
        checkAll(bits);
    }

    @Test
    void aStrideThroughAllFiniteBitPatterns() {
        List<Integer> bits = new ArrayList<>();
        for (long b = 0; b < 0x7f80_0000L; b += 4099) {
            bits.add((int) b);
            bits.add((int) b | 0x8000_0000);
        }
        checkAll(bits);
    }

    @Test
    void writesOnlyInsideItsRoomAndNoTextIsLongerThanTheLongest() {
        SplittableRandom random = new SplittableRandom(5);
        byte[] room = new byte[Float32Text.MAX_LENGTH + 8];
        for (int i = 0; i < 200_000; i++) {
            int b = random.nextInt();
            if ((b & 0x7f80_0000) == 0x7f80_0000) {
                continue;
            }
            java.util.Arrays.fill(room, (byte) '#');
            int end = Float32Text.write(Float.intBitsToFloat(b), room, 4);
            assertThat(end - 4).isLessThanOrEqualTo(Float32Text.LONGEST_TEXT);
            for (int j = 0; j < room.length; j++) {
                if (j < 4 || j >= 4 + Float32Text.MAX_LENGTH) {
                    assertThat(room[j]).as("byte %d after writing %s", j, Integer.toHexString(b)).isEqualTo((byte) '#');
                }
            }
        }
    }

    @Test
    void textsWrittenOneAfterAnotherAreTheirConcatenation() {
        // each text starts where the previous ended, over the bytes the previous one stored past its end
        SplittableRandom random = new SplittableRandom(11);
        float[] values = new float[50_000];
        for (int i = 0; i < values.length; i++) {
            int b;
            do {
                b = random.nextInt();
            } while ((b & 0x7f80_0000) == 0x7f80_0000);
            values[i] = i % 2 == 0 ? Float.intBitsToFloat(b) : (float) random.nextGaussian() * 0.05f;
        }
        byte[] out = new byte[values.length * (Float32Text.MAX_LENGTH + 1)];
        StringBuilder expected = new StringBuilder();
        int pos = 0;
        for (float f : values) {
            if (pos > 0) {
                out[pos++] = ',';
                expected.append(',');
            }
            pos = Float32Text.write(f, out, pos);
            expected.append(NumberOutput.toString(f, true));
        }
        assertThat(new String(out, 0, pos, StandardCharsets.ISO_8859_1)).isEqualTo(expected.toString());
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
