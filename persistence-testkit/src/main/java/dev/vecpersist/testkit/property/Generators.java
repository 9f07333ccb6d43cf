package dev.vecpersist.testkit.property;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Generators of plain values. Each one favours the edge cases that break code (bounds, zero,
 * extreme and subnormal numbers, empty and non-ASCII text) over a uniform draw.
 */
public final class Generators {

    private static final double[] EDGE_DOUBLES = {0.0, -0.0, 1.0, -1.0, Double.MIN_VALUE, -Double.MIN_VALUE,
        Double.MIN_NORMAL, Double.MAX_VALUE, -Double.MAX_VALUE, 1e-310, 0.1, 1e300};
    private static final long[] EDGE_LONGS = {0L, 1L, -1L, Long.MIN_VALUE, Long.MAX_VALUE, Integer.MIN_VALUE,
        Integer.MAX_VALUE, 9007199254740993L};
    /** Code points that trip text handling: NUL, controls, combining accent, BOM, line separators, non-characters. */
    private static final int[] EDGE_CODE_POINTS = {0x0, 0x1, 0x7F, 0x9, 0xA, 0xD, 0x22, 0x5C, 0x301, 0xFEFF,
        0x2028, 0x2029, 0xFFFE, 0xFFFF, 0x10FFFF, 0x1F680};

    private Generators() {
    }

    /**
     * Integers between two bounds, inclusive; each bound comes one time in 16.
     *
     * @param min the smallest value
     * @param max the largest value
     * @return the generator
     */
    public static Gen<Integer> integers(int min, int max) {
        if (min > max) {
            throw new IllegalArgumentException("min " + min + " > max " + max);
        }
        return random -> {
            int pick = random.nextInt(16);
            if (pick == 0) {
                return min;
            }
            if (pick == 1) {
                return max;
            }
            return (int) random.nextLong(min, (long) max + 1);
        };
    }

    /**
     * Any long: edge values, small values and uniform 64-bit values.
     *
     * @return the generator
     */
    public static Gen<Long> longs() {
        return random -> switch (random.nextInt(4)) {
            case 0 -> EDGE_LONGS[random.nextInt(EDGE_LONGS.length)];
            case 1 -> random.nextLong(-1000, 1001);
            default -> random.nextLong();
        };
    }

    /**
     * Longs between two bounds, inclusive; each bound comes one time in 16.
     *
     * @param min the smallest value
     * @param max the largest value, below {@code Long.MAX_VALUE}
     * @return the generator
     */
    public static Gen<Long> longs(long min, long max) {
        return random -> {
            int pick = random.nextInt(16);
            return pick == 0 ? min : pick == 1 ? max : random.nextLong(min, max + 1);
        };
    }

    /**
     * Finite doubles: edge values (signed zeros, subnormals, extremes), uniform values in
     * [-1e6, 1e6) and doubles of random bits.
     *
     * @return the generator
     */
    public static Gen<Double> finiteDoubles() {
        return random -> switch (random.nextInt(4)) {
            case 0 -> EDGE_DOUBLES[random.nextInt(EDGE_DOUBLES.length)];
            case 1 -> random.nextDouble(-1e6, 1e6);
            default -> {
                double d;
                do {
                    d = Double.longBitsToDouble(random.nextLong());
                } while (!Double.isFinite(d));
                yield d;
            }
        };
    }

    /**
     * Finite floats, a third each: uniform in [-1e6, 1e6], edge values (signed zeros, subnormals,
     * extremes), floats of random bits.
     *
     * @return the generator
     */
    public static Gen<Float> finiteFloats() {
        List<Float> edges = List.of(0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MAX_VALUE, -Float.MAX_VALUE,
                Float.MIN_NORMAL, 1.0e-40f, -3.0e-39f);
        return random -> switch (random.nextInt(3)) {
            case 0 -> (float) random.nextDouble(-1e6, 1e6);
            case 1 -> edges.get(random.nextInt(edges.size()));
            default -> {
                float f;
                do {
                    f = Float.intBitsToFloat(random.nextInt());
                } while (!Float.isFinite(f));
                yield f;
            }
        };
    }

    /**
     * Arrays of floats of a fixed length.
     *
     * @param components the generator of each component
     * @param length     the length
     * @return the generator
     */
    public static Gen<float[]> floatArrays(Gen<Float> components, int length) {
        return random -> {
            float[] out = new float[length];
            for (int i = 0; i < length; i++) {
                out[i] = components.next(random);
            }
            return out;
        };
    }

    /**
     * Arrays of random bytes.
     *
     * @param maxLength the longest array
     * @return the generator
     */
    public static Gen<byte[]> bytes(int maxLength) {
        return random -> {
            byte[] out = new byte[size(random, 0, maxLength)];
            for (int i = 0; i < out.length; i++) {
                out[i] = (byte) random.nextInt(256);
            }
            return out;
        };
    }

    /**
     * Well-formed Unicode text of any script: ASCII, controls and NUL, the rest of the basic plane,
     * supplementary characters (surrogate pairs) and edge code points; never a lone surrogate, which
     * no format can store because it is not text.
     *
     * @param minCodePoints the fewest code points
     * @param maxCodePoints the most code points
     * @return the generator
     */
    public static Gen<String> strings(int minCodePoints, int maxCodePoints) {
        return random -> {
            int n = size(random, minCodePoints, maxCodePoints);
            StringBuilder sb = new StringBuilder(n * 2);
            for (int i = 0; i < n; i++) {
                sb.appendCodePoint(codePoint(random));
            }
            return sb.toString();
        };
    }

    private static int codePoint(SplittableRandom random) {
        int pick = random.nextInt(20);
        if (pick < 8) {
            return random.nextInt(0x20, 0x7F);
        }
        if (pick < 10) {
            return EDGE_CODE_POINTS[random.nextInt(EDGE_CODE_POINTS.length)];
        }
        if (pick < 16) {
            int c = random.nextInt(0x80, 0x10000 - 0x800);
            return c >= Character.MIN_SURROGATE ? c + 0x800 : c; // skip the surrogate block
        }
        return random.nextInt(0x10000, Character.MAX_CODE_POINT + 1);
    }

    /**
     * true or false.
     *
     * @return the generator
     */
    public static Gen<Boolean> booleans() {
        return SplittableRandom::nextBoolean;
    }

    /**
     * One of the given values, each as likely.
     *
     * @param values the values, at least one
     * @param <T>    their type
     * @return the generator
     */
    public static <T> Gen<T> of(List<T> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("no values to choose from");
        }
        List<T> copy = List.copyOf(values);
        return random -> copy.get(random.nextInt(copy.size()));
    }

    /**
     * The values of one of the given generators, each as likely.
     *
     * @param generators the generators, at least one
     * @param <T>        the type of their values
     * @return the generator
     */
    public static <T> Gen<T> oneOf(List<Gen<? extends T>> generators) {
        List<Gen<? extends T>> copy = List.copyOf(generators);
        return random -> copy.get(random.nextInt(copy.size())).next(random);
    }

    /** A size between bounds: the minimum one time in 8, the maximum one time in 8, else uniform. */
    static int size(SplittableRandom random, int min, int max) {
        if (min < 0 || min > max) {
            throw new IllegalArgumentException("sizes " + min + ".." + max);
        }
        int pick = random.nextInt(8);
        return pick == 0 ? min : pick == 1 ? max : random.nextInt(min, max + 1);
    }
}
