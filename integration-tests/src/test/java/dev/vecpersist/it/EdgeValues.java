package dev.vecpersist.it;

import dev.vecpersist.api.ValueLimits;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Generates ids, keys and metadata values from the edges of the value model: every Unicode plane,
 * NUL and control characters, numbers JSON writers like to mangle, float extremes, and values at
 * each {@link ValueLimits} limit or one past it. Remembers whether it produced anything an insert
 * must refuse ({@link #broken}), so the test can check the refusal as well as the acceptance.
 */
final class EdgeValues {

    static final float[] FLOAT_EDGES = {0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL, 1.0e-40f,
            -3.0e-39f, Float.MAX_VALUE, -Float.MAX_VALUE, 1f, -1f, 0.1f, 16777216f, 16777217f};
    static final double[] DOUBLE_EDGES = {0.0, -0.0, 1.0, -1.0, 1e300, -1e300, 1e21, 1e-7, 0.1, 2.5e-8, 1e20,
            9007199254740992.0, 9007199254740993.0, Double.MIN_VALUE, -Double.MIN_VALUE, Double.MIN_NORMAL,
            Double.MAX_VALUE, -Double.MAX_VALUE, 123456789.0, 4.35, 100.0};
    static final long[] LONG_EDGES = {0, -1, 1, Long.MIN_VALUE, Long.MAX_VALUE, Long.MIN_VALUE + 1, Long.MAX_VALUE - 1,
            (1L << 53) + 1, -(1L << 53) - 1, Integer.MAX_VALUE + 1L, Integer.MIN_VALUE - 1L};

    private final SplittableRandom r;
    /** Set when something was generated that an insert must refuse, with what it was. */
    String broken;

    EdgeValues(SplittableRandom r) {
        this.r = r;
    }

    /** A string of {@code length} code points drawn from every plane, NUL and controls included. */
    String text(int length) {
        StringBuilder sb = new StringBuilder(length * 2);
        for (int i = 0; i < length; i++) {
            sb.appendCodePoint(codePoint());
        }
        return sb.toString();
    }

    private int codePoint() {
        return switch (r.nextInt(8)) {
            case 0 -> r.nextInt(0x20); // NUL and other controls
            case 1 -> 0x20 + r.nextInt(0x60); // ASCII, with '"' and '\\'
            case 2 -> 0x80 + r.nextInt(0x780); // two UTF-8 bytes
            case 3 -> new int[] {0xFFFE, 0xFFFF, 0xFEFF, 0xE000, 0xD7FF, 0x10FFFF, 0x1F600, 0x10000}[r.nextInt(8)];
            case 4 -> {
                int cp = 0x800 + r.nextInt(0x10000 - 0x800); // BMP, no surrogates
                yield cp >= 0xD800 && cp <= 0xDFFF ? cp - 0x800 : cp;
            }
            default -> 0x10000 * (1 + r.nextInt(16)) + r.nextInt(0x10000); // planes 1 to 16
        };
    }

    /** An id: usually short, sometimes at or one past the limit, empty or with a lone surrogate. */
    String id() {
        int roll = r.nextInt(100);
        if (roll == 0) {
            return breaks("an empty id", "");
        }
        if (roll == 1) {
            return breaks("an id with a lone surrogate", text(2) + loneSurrogate() + text(1));
        }
        if (roll == 2) {
            return atLimit(ValueLimits.MAX_ID_BYTES);
        }
        if (roll == 3) {
            return breaks("an id one byte past the limit", atLimit(ValueLimits.MAX_ID_BYTES) + "x");
        }
        return text(1 + r.nextInt(12));
    }

    /** A metadata map with nested values; sometimes one value at or past a limit. */
    Map<String, Object> metadata() {
        Map<String, Object> m = map(1 + r.nextInt(3));
        int roll = r.nextInt(100);
        if (roll < 3) {
            m.put("deepest", nested(ValueLimits.MAX_DEPTH - 1)); // the top map is level 1
        } else if (roll < 5) {
            m.put("too-deep", nested(ValueLimits.MAX_DEPTH));
            breaks("nesting one level past the limit", null);
        } else if (roll < 7) {
            m.put(atLimit(ValueLimits.MAX_KEY_BYTES), "key at the limit");
        } else if (roll < 8) {
            m.put(atLimit(ValueLimits.MAX_KEY_BYTES) + "k", "key past the limit");
            breaks("a key one byte past the limit", null);
        } else if (roll < 10) {
            m.put("bad-" + r.nextInt(9), text(1) + loneSurrogate());
            breaks("a metadata string with a lone surrogate", null);
        } else if (roll < 11) {
            m.put(loneSurrogate() + "key", 1L);
            breaks("a metadata key with a lone surrogate", null);
        } else if (roll < 12) {
            m.put("nan", r.nextBoolean() ? Double.NaN : Double.NEGATIVE_INFINITY);
            breaks("a non-finite metadata number", null);
        }
        return m;
    }

    private Map<String, Object> map(int depth) {
        Map<String, Object> m = new LinkedHashMap<>();
        int n = r.nextInt(5);
        for (int i = 0; i < n; i++) {
            m.put(text(r.nextInt(6)), value(depth));
        }
        return m;
    }

    private Object value(int depth) {
        int kinds = depth >= 3 ? 6 : 8;
        return switch (r.nextInt(kinds)) {
            case 0 -> null;
            case 1 -> r.nextBoolean();
            case 2 -> r.nextBoolean() ? LONG_EDGES[r.nextInt(LONG_EDGES.length)] : r.nextLong();
            case 3 -> r.nextBoolean() ? DOUBLE_EDGES[r.nextInt(DOUBLE_EDGES.length)] : finiteDouble();
            case 4, 5 -> text(r.nextInt(10));
            case 6 -> {
                List<Object> list = new ArrayList<>();
                for (int i = r.nextInt(4); i > 0; i--) {
                    list.add(value(depth + 1));
                }
                yield list;
            }
            default -> map(depth + 1);
        };
    }

    /** {@code levels} maps (or lists) inside each other. */
    private Object nested(int levels) {
        Object v = text(2);
        for (int i = 0; i < levels; i++) {
            v = r.nextBoolean() ? List.of(v) : Map.of("n", v);
        }
        return v;
    }

    /** A vector with extremes, finite bit patterns, and rarely a NaN or infinity (refused). */
    float[] vector(int dimension) {
        float[] v = new float[dimension];
        for (int i = 0; i < dimension; i++) {
            v[i] = r.nextInt(3) == 0 ? FLOAT_EDGES[r.nextInt(FLOAT_EDGES.length)] : finiteFloat();
        }
        if (r.nextInt(200) == 0) {
            v[r.nextInt(dimension)] = r.nextBoolean() ? Float.NaN : Float.POSITIVE_INFINITY;
            breaks("a non-finite vector component", null);
        }
        return v;
    }

    private float finiteFloat() {
        while (true) {
            float f = Float.intBitsToFloat(r.nextInt());
            if (Float.isFinite(f)) {
                return f;
            }
        }
    }

    private double finiteDouble() {
        while (true) {
            double d = Double.longBitsToDouble(r.nextLong());
            if (Double.isFinite(d)) {
                return d;
            }
        }
    }

    /** A string of exactly {@code bytes} UTF-8 bytes, of 1-, 2-, 3- and 4-byte characters. */
    String atLimit(int bytes) {
        StringBuilder sb = new StringBuilder(bytes);
        int left = bytes;
        while (left > 0) {
            int width = 1 + r.nextInt(Math.min(4, left));
            sb.appendCodePoint(switch (width) {
                case 1 -> r.nextInt(0x80);
                case 2 -> 0x80 + r.nextInt(0x780);
                case 3 -> 0xE000 + r.nextInt(0x1000);
                default -> 0x10000 + r.nextInt(0x100000);
            });
            left -= width;
        }
        return sb.toString();
    }

    private char loneSurrogate() {
        return (char) (0xD800 + r.nextInt(0x800));
    }

    private String breaks(String what, String value) {
        if (broken == null) {
            broken = what;
        }
        return value;
    }
}
