package dev.vecpersist.format.json;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.math.BigInteger;
import java.nio.ByteOrder;

/**
 * Writes a float32 as the shortest decimal that parses back to the same float, straight into a
 * byte array: no {@code String}, no {@code char[]}. The text is the one {@code Float.toString}
 * gives since Java 19 and Jackson's fast float writer gives today ("1.0", "0.001", "1.0E-5",
 * "-3.4028235E38"), so files stay byte for byte what the Jackson generator wrote.
 *
 * <p>The digits come from the Schubfach method (R. Giulietti, "The Schubfach way to render
 * doubles", 2020): the rounding interval of the float is scaled by a power of ten with one 64-bit
 * approximation of {@code 10^-k} and a 128-bit product rounded to odd, which keeps every
 * comparison with the candidate decimals exact. The powers of ten are computed here, with
 * {@link BigInteger}, when the class loads.
 *
 * <p>Made for speed (a JSON save is mostly this method): the choice among the candidate
 * decimals and the sign are computed with arithmetic, not branches, because for arbitrary floats
 * each such condition is a coin toss (the mispredictions were about a third of the time per
 * float); the digits are laid out eight at a time (split into a long by multiply-shift divisions,
 * one little-endian store), and trailing zeros are counted in that long, not divided off.
 * Thread-safe.
 */
final class Float32Text {

    /** The longest text written: sign, 9 digits, point, "E-45". */
    static final int LONGEST_TEXT = 15;
    /**
     * The room {@link #write} needs at the position: the digits are stored eight at a time, so
     * bytes after the end of the text, up to this many from the position, may be overwritten
     * (with bytes that are not part of the text).
     */
    static final int MAX_LENGTH = 17;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ASCII_ZEROS = 0x3030_3030_3030_3030L;

    private static final int Q_MIN = -149;           // exponent of the smallest subnormal's unit
    private static final int C_MIN = 1 << 23;        // smallest normal significand
    /** Subnormal significands below this get one more decimal digit of room (scaled by 10). */
    private static final int C_TINY = 8;
    private static final int K_MIN = -46;
    private static final int K_MAX = 32;

    /** {@code floor(10^-k * 2^(62 - flog2pow10(-k))) + 1}, indexed by {@code k - K_MIN}. */
    private static final long[] G = new long[K_MAX - K_MIN + 1];
    /** {@code floor(log2(10^-k))}, indexed by {@code k - K_MIN}. */
    private static final int[] E = new int[K_MAX - K_MIN + 1];
    /** {@code floor(log10(2^q))} and {@code floor(log10(3/4 * 2^q))}, indexed by {@code q - Q_MIN}. */
    private static final int[] K_REGULAR = new int[256];
    private static final int[] K_IRREGULAR = new int[256];
    /** The regular case's {@code G[k]} and shift {@code q + E[k] + 33} by {@code q - Q_MIN}: loads that need not wait for k. */
    private static final long[] G_REGULAR = new long[256];
    private static final int[] H_REGULAR = new int[256];
    private static final int[] POW10 = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000};

    static {
        for (int k = K_MIN; k <= K_MAX; k++) {
            int e = floorLog2Pow10(-k);
            E[k - K_MIN] = e;
            // 10^-k * 2^(62-e) lies in [2^62, 2^63)
            BigInteger num = BigInteger.ONE;
            BigInteger den = BigInteger.ONE;
            if (k <= 0) {
                num = num.multiply(BigInteger.TEN.pow(-k));
            } else {
                den = den.multiply(BigInteger.TEN.pow(k));
            }
            if (62 - e >= 0) {
                num = num.shiftLeft(62 - e);
            } else {
                den = den.shiftLeft(e - 62);
            }
            G[k - K_MIN] = num.divide(den).longValueExact() + 1;
        }
        for (int q = Q_MIN; q < Q_MIN + 256; q++) {
            K_REGULAR[q - Q_MIN] = floorLog10(BigInteger.ONE, q);
            K_IRREGULAR[q - Q_MIN] = floorLog10(BigInteger.valueOf(3), q - 2);
            int k = K_REGULAR[q - Q_MIN];
            G_REGULAR[q - Q_MIN] = G[k - K_MIN];
            H_REGULAR[q - Q_MIN] = q + E[k - K_MIN] + 33;
        }
    }

    private Float32Text() {
    }

    /**
     * Writes {@code v} at {@code out[pos]}; the array must have {@link #MAX_LENGTH} bytes free there.
     *
     * @return the position after the text
     * @throws IllegalArgumentException when {@code v} is NaN or infinite, which JSON cannot hold
     */
    static int write(float v, byte[] out, int pos) {
        int bits = Float.floatToRawIntBits(v);
        int t = bits & (C_MIN - 1);
        int bq = (bits >>> 23) & 0xff;
        if (bq == 0xff) {
            throw new IllegalArgumentException("a JSON number cannot be " + v);
        }
        out[pos] = '-';
        pos += bits >>> 31; // kept for a negative value, overwritten otherwise (no branch to mispredict)
        if (bq != 0) {
            int c = C_MIN | t;
            int q = bq - 150;
            if (q < 0 && q > -24) {
                int f = c >> -q;
                if (f << -q == c) { // an integer below 2^24: its own shortest form
                    return format(f, 0, out, pos);
                }
            }
            if (c != C_MIN || bq == 1) { // the smallest normal's lower neighbour is as far as its upper one
                int i = q - Q_MIN;
                return shortest(c, 2, G_REGULAR[i], H_REGULAR[i], K_REGULAR[i], out, pos);
            }
            // a power of two: the lower neighbour is closer (a smaller exponent below it)
            int k = K_IRREGULAR[q - Q_MIN];
            return shortest(c, 1, G[k - K_MIN], q + E[k - K_MIN] + 33, k, out, pos);
        }
        if (t == 0) {
            out[pos] = '0';
            out[pos + 1] = '.';
            out[pos + 2] = '0';
            return pos + 3;
        }
        // subnormal: q = Q_MIN, the regular interval; the tiniest get one more digit of room
        int c = t < C_TINY ? 10 * t : t;
        int dk = t < C_TINY ? -1 : 0;
        return shortest(c, 2, G_REGULAR[0], H_REGULAR[0], K_REGULAR[0] + dk, out, pos);
    }

    /**
     * Writes the decimal with the fewest digits inside the rounding interval of {@code c * 2^q}
     * (the closest one when several tie on length), {@code f * 10^exp}. The caller has looked up
     * for q: {@code g} (10^-k, see {@link #G}), the shift {@code h = q + E[k] + 33}, and the
     * distance {@code lowerGap} (2, or 1 below a power of two) to the lower bound in quarter units.
     */
    private static int shortest(int c, int lowerGap, long g, int h, int exp, byte[] out, int pos) {
        int odd = c & 1; // an odd significand's interval excludes its bounds (round half to even)
        long cb = (long) c << 2;
        // 4 * (v, its lower and upper bound) * 10^-k, rounded to odd
        int vb = roundToOdd(g, cb << h);
        int vbl = roundToOdd(g, (cb - lowerGap) << h);
        int vbr = roundToOdd(g, (cb + 2) << h);
        int s = vb >> 2;
        // The choice below is made with arithmetic, not branches: for arbitrary floats each
        // condition is a coin toss, and a mispredicted branch costs more than the few operations.
        // Sign bits turn the comparisons into 0/1: (x >= 0) is ~x >>> 31.
        int s1 = s + 1;
        int lowIn = ~((s << 2) - vbl - odd) >>> 31;    // s inside the interval
        int highIn = ~(vbr - (s1 << 2) - odd) >>> 31;  // s + 1 inside
        // both in (or out): the closer, the even one on a tie
        int closerLow = (vb - ((s + s1) << 1) - (~s & 1)) >>> 31;
        int takeLow = lowIn ^ ((1 ^ lowIn ^ highIn) & (closerLow ^ lowIn));
        int f = s1 - takeLow;
        // one digit fewer when exactly one of the multiples of ten around s is inside (s >= 100)
        int sp10 = 10 * (int) (s * 1_717_986_919L >>> 34); // s / 10 for s < 2^31
        int lowIn10 = ~((sp10 << 2) - vbl - odd) >>> 31;
        int highIn10 = ~(vbr - ((sp10 + 10) << 2) - odd) >>> 31;
        int use10 = ((99 - s) >>> 31) & (lowIn10 ^ highIn10);
        int f10 = sp10 + 10 - 10 * lowIn10;
        f += (f10 - f) & -use10;
        return format(f, exp, out, pos);
    }

    /** The high bits of {@code g * cp / 2^95}, the lowest bit set when any bit below was. */
    private static int roundToOdd(long g, long cp) {
        long x1 = Math.multiplyHigh(g, cp);
        long floor = x1 >>> 31;
        long sticky = ((x1 & 0xffff_ffffL) + 0xffff_ffffL) >>> 32;
        return (int) (floor | sticky);
    }

    /** Writes {@code f * 10^exp} ({@code f > 0}) as Float.toString lays it out. */
    private static int format(int f, int exp, byte[] out, int pos) {
        int n = digitCount(f);
        int e = exp + n; // the value is 0.<digits> * 10^e
        // The first digit, then the (up to) eight after it in one long. f's low eight digits are
        // split while its digit count is found; then, below nine digits, the first digit is the
        // lowest non-zero byte and the rest the bytes above it. Selected without a branch.
        int hi = (int) (f * 1_441_151_881L >>> 57); // f / 10^8 for f < 10^9
        long low = eightDigits(f - hi * 100_000_000);
        int nine = (8 - n) >>> 31; // 1 when f has nine digits
        long shifted = low >>> ((8 - n) << 3);
        int first = (int) shifted & 0xff;
        first ^= (hi ^ first) & -nine;
        long rest = shifted >>> 8;
        rest ^= (low ^ rest) & -(long) nine;
        int more = 8 - (Long.numberOfLeadingZeros(rest) >>> 3); // digits after the first, trailing zeros dropped
        long restText = rest + ASCII_ZEROS;
        byte firstText = (byte) ('0' + first);
        if (0 < e && e <= 7) { // plain, at least one digit after the point
            out[pos] = firstText;
            LONGS.set(out, pos + 1, restText);
            // the digits from the e-th on move one place right to make room for the point
            LONGS.set(out, pos + e + 1, restText >>> ((e - 1) << 3));
            out[pos + e] = '.';
            return pos + e + 1 + Math.max(1, 1 + more - e);
        }
        if (-3 < e && e <= 0) { // 0.00ddd
            out[pos] = '0';
            out[pos + 1] = '.';
            out[pos + 2] = '0';
            out[pos + 3] = '0';
            pos += 2 - e;
            out[pos] = firstText;
            LONGS.set(out, pos + 1, restText);
            return pos + 1 + more;
        }
        return scientific(firstText, restText, more, e - 1, out, pos);
    }

    /** Writes d.ddd...E<exponent>, at least one digit after the point. */
    private static int scientific(byte firstText, long restText, int more, int x, byte[] out, int pos) {
        out[pos] = firstText;
        out[pos + 1] = '.';
        LONGS.set(out, pos + 2, restText);
        pos += 2 + Math.max(1, more);
        out[pos++] = 'E';
        if (x < 0) {
            out[pos++] = '-';
            x = -x;
        }
        if (x < 10) {
            out[pos] = (byte) ('0' + x);
            return pos + 1;
        }
        out[pos] = (byte) ('0' + x / 10);
        out[pos + 1] = (byte) ('0' + x % 10);
        return pos + 2;
    }

    /**
     * The eight decimal digits of {@code v < 10^8}, zero-padded, one per byte, the first in the lowest
     * byte (so a little-endian store lays them out in order): split into halves of four digits, then
     * pairs, then single digits, each step on all lanes of the long at once (multiply-shift division).
     */
    private static long eightDigits(int v) {
        int high = (int) (v * 109_951_163L >>> 40); // v / 10^4, exact for v < 4.9 * 10^8
        long fours = high | (long) (v - high * 10_000) << 32;
        long hundreds = (fours * 10_486 >>> 20) & 0x0000_007F_0000_007FL; // / 100 in each 32-bit lane, exact below 10^4
        long pairs = hundreds | (fours - 100 * hundreds) << 16;
        long tens = (pairs * 103 >>> 10) & 0x000F_000F_000F_000FL; // / 10 in each 16-bit lane, exact below 100
        return tens | (pairs - 10 * tens) << 8;
    }

    private static int digitCount(int f) {
        // floor(log10(2^bits)) from the bit length, then one comparison
        int n = ((32 - Integer.numberOfLeadingZeros(f)) * 1233) >>> 12;
        return f >= POW10[n] ? n + 1 : n;
    }

    /** The largest e with 2^e <= 10^j. */
    private static int floorLog2Pow10(int j) {
        if (j >= 0) {
            return BigInteger.TEN.pow(j).bitLength() - 1;
        }
        // 2^e <= 10^j < 2^(e+1)  <=>  2^-(e+1) < 10^-j <= 2^-e
        BigInteger p = BigInteger.TEN.pow(-j);
        int b = p.bitLength() - 1; // 2^b <= p < 2^(b+1)
        return p.equals(BigInteger.ONE.shiftLeft(b)) ? -b : -b - 1;
    }

    /** The largest k with 10^k <= m * 2^q, for a small positive m. */
    private static int floorLog10(BigInteger m, int q) {
        int k = (int) Math.floor(q * Math.log10(2)) - 2;
        while (tenPowAtMost(k + 1, m, q)) {
            k++;
        }
        return k;
    }

    /** Whether 10^k <= m * 2^q, exactly. */
    private static boolean tenPowAtMost(int k, BigInteger m, int q) {
        BigInteger left = BigInteger.ONE;
        BigInteger right = m;
        if (k >= 0) {
            left = left.multiply(BigInteger.TEN.pow(k));
        } else {
            right = right.multiply(BigInteger.TEN.pow(-k));
        }
        if (q >= 0) {
            right = right.shiftLeft(q);
        } else {
            left = left.shiftLeft(-q);
        }
        return left.compareTo(right) <= 0;
    }
}
