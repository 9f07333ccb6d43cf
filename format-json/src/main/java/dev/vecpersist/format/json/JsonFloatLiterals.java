package dev.vecpersist.format.json;

import ch.randelshofer.fastdoubleparser.JavaFloatParser;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * JSON number literals to float32 in one pass over the bytes, for the {@link VectorsScanner}: the
 * grammar checked and the value converted together, eight fraction digits at a time, exact double
 * arithmetic when the result is certain and FastDoubleParser otherwise. Stateless.
 */
final class JsonFloatLiterals {

    /** "No number here": never a result, as an index is below 2^31. */
    static final long NONE = -1;
    /** Longer number literals go to the token reader, which applies the length limit. */
    static final int MAX_LENGTH = 100;
    /** Longer integer literals than a long holds exactly go to the token reader. */
    private static final int MAX_INTEGER_DIGITS = 18;

    private JsonFloatLiterals() {
    }

    /** 10^0 .. 10^22: every one exact in a double. */
    private static final double[] POW10 = new double[23];

    static {
        POW10[0] = 1;
        for (int i = 1; i < POW10.length; i++) {
            POW10[i] = POW10[i - 1] * 10;
        }
    }

    /**
     * The JSON number literal ({@code -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?}) at
     * {@code b[start]}, followed before {@code limit} by whitespace, a comma or {@code ']'}, as
     * float32 bits: the value Jackson gives for it (an integer literal converted from its exact
     * value, so "-0" is +0.0; anything else correctly rounded).
     *
     * @return the index after the literal in the high 32 bits and the float's bits in the low 32;
     *         {@link #NONE} for anything else, a non-finite value or a literal the token reader must
     *         judge (longer than {@value #MAX_LENGTH} chars, or cut off at {@code limit})
     */
    static long parse(byte[] b, int start, int limit) {
        int i = start;
        boolean negative = b[i] == '-';
        if (negative && ++i == limit) {
            return NONE;
        }
        long m = 0; // the digits as one integer, exact while there are at most 18
        int digitCount = 0;
        byte c = b[i];
        if (c == '0') {
            i++;
        } else if (c >= '1' && c <= '9') {
            do {
                m = m * 10 + (c - '0');
                digitCount++;
                i++;
            } while (i < limit && (c = b[i]) >= '0' && c <= '9');
        } else {
            return NONE;
        }
        boolean integer = true;
        int fractionDigits = 0;
        if (i < limit && b[i] == '.') {
            int fraction = ++i;
            int eight;
            while (i + 8 <= limit && (eight = eightDigits((long) LONG_LE.get(b, i))) >= 0) {
                m = m * 100_000_000 + eight; // garbage beyond 18 digits, but then digitCount sends it elsewhere
                i += 8;
            }
            while (i < limit && (c = b[i]) >= '0' && c <= '9') {
                m = m * 10 + (c - '0');
                i++;
            }
            fractionDigits = i - fraction;
            if (fractionDigits == 0) {
                return NONE;
            }
            digitCount += fractionDigits;
            integer = false;
        }
        int exponent = 0;
        if (i < limit && (b[i] == 'e' || b[i] == 'E')) {
            i++;
            boolean negativeExponent = false;
            if (i < limit && (b[i] == '+' || b[i] == '-')) {
                negativeExponent = b[i] == '-';
                i++;
            }
            int exponentStart = i;
            while (i < limit && (c = b[i]) >= '0' && c <= '9') {
                if (exponent < 100_000) {
                    exponent = exponent * 10 + (c - '0');
                }
                i++;
            }
            if (i == exponentStart) {
                return NONE;
            }
            exponent = negativeExponent ? -exponent : exponent;
            integer = false;
        }
        if (i == limit || i - start > MAX_LENGTH) {
            return NONE;
        }
        c = b[i];
        if (c != ',' && c != ']' && !isWhitespace(c)) {
            return NONE;
        }
        float f;
        if (integer) {
            if (digitCount > MAX_INTEGER_DIGITS) {
                return NONE;
            }
            f = negative ? (float) -m : (float) m; // as Jackson converts an int/long token: -0 is 0
        } else {
            f = decimal(negative, m, digitCount, exponent - fractionDigits);
            if (Float.isNaN(f)) {
                f = JavaFloatParser.parseFloat(b, start, i - start);
            }
            if (!Float.isFinite(f)) {
                return NONE;
            }
        }
        return ((long) i << 32) | (Float.floatToRawIntBits(f) & 0xFFFF_FFFFL);
    }

    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** The value of eight ASCII digits read as a little-endian long, or -1 if any byte is not a digit (SWAR, as in Lemire's parsers). */
    private static int eightDigits(long chunk) {
        if (((chunk & 0xF0F0_F0F0_F0F0_F0F0L) | (((chunk + 0x0606_0606_0606_0606L) & 0xF0F0_F0F0_F0F0_F0F0L) >>> 4))
                != 0x3333_3333_3333_3333L) {
            return -1;
        }
        long v = chunk - 0x3030_3030_3030_3030L;
        v = v * 10 + (v >>> 8); // pairs of digits in every other byte
        v = (((v & 0x0000_00FF_0000_00FFL) * (100 + (1_000_000L << 32)))
                + (((v >>> 16) & 0x0000_00FF_0000_00FFL) * (1 + (10_000L << 32)))) >>> 32;
        return (int) v;
    }

    /**
     * {@code ±m * 10^e} correctly rounded to a float, when that is quick and certain: m and 10^|e|
     * exact in a double, so the double is correctly rounded, and that double not the midpoint
     * between two floats, so rounding it again to a float rounds the exact value. NaN otherwise.
     */
    private static float decimal(boolean negative, long m, int digitCount, int e) {
        if (digitCount > 15 || e < -22 || e > 22) {
            return Float.NaN;
        }
        double d = e >= 0 ? m * POW10[e] : m / POW10[-e];
        float f = (float) d;
        double back = f;
        if (back != d) {
            float neighbour = d > back ? Math.nextUp(f) : Math.nextDown(f);
            if (((double) f + (double) neighbour) * 0.5 == d) {
                return Float.NaN;
            }
        }
        return negative ? -f : f;
    }

    private static boolean isWhitespace(byte b) {
        return b == ' ' || b == '\t' || b == '\n' || b == '\r';
    }
}
