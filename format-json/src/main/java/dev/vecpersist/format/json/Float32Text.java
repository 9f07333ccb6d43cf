package dev.vecpersist.format.json;

import java.math.BigInteger;

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
 * {@link BigInteger}, when the class loads. Thread-safe.
 */
final class Float32Text {

    /** The longest text written: sign, 9 digits, point, "E-45". */
    static final int MAX_LENGTH = 16;

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
        if (bits < 0) {
            out[pos++] = '-';
        }
        if (bq != 0) {
            int c = C_MIN | t;
            int q = bq - 150;
            if (q < 0 && q > -24) {
                int f = c >> -q;
                if (f << -q == c) { // an integer below 2^24: its own shortest form
                    return format(f, 0, out, pos);
                }
            }
            return shortest(q, c, 0, out, pos);
        }
        if (t == 0) {
            out[pos] = '0';
            out[pos + 1] = '.';
            out[pos + 2] = '0';
            return pos + 3;
        }
        return t < C_TINY ? shortest(Q_MIN, 10 * t, -1, out, pos) : shortest(Q_MIN, t, 0, out, pos);
    }

    /**
     * The decimal with the fewest digits inside the rounding interval of {@code c * 2^q} (the
     * closest one when several tie on length), written as {@code f * 10^(k + dk)}.
     */
    private static int shortest(int q, int c, int dk, byte[] out, int pos) {
        int odd = c & 1; // an odd significand's interval excludes its bounds (round half to even)
        long cb = (long) c << 2;
        long cbr = cb + 2;
        long cbl;
        int k;
        if (c != C_MIN || q == Q_MIN) {
            cbl = cb - 2;
            k = K_REGULAR[q - Q_MIN];
        } else { // the lower neighbour is closer: a power of two above a smaller exponent
            cbl = cb - 1;
            k = K_IRREGULAR[q - Q_MIN];
        }
        long g = G[k - K_MIN];
        int h = q + E[k - K_MIN] + 33;
        // 4 * (v, its lower and upper bound) * 10^-k, rounded to odd
        int vb = roundToOdd(g, cb << h);
        int vbl = roundToOdd(g, cbl << h);
        int vbr = roundToOdd(g, cbr << h);
        int s = vb >> 2;
        if (s >= 100) {
            // one digit fewer: the multiples of ten around s
            int sp10 = 10 * (s / 10);
            int tp10 = sp10 + 10;
            boolean lowIn = vbl + odd <= sp10 << 2;
            boolean highIn = (tp10 << 2) + odd <= vbr;
            if (lowIn != highIn) {
                return format(lowIn ? sp10 : tp10, k + dk, out, pos);
            }
        }
        int s1 = s + 1;
        boolean lowIn = vbl + odd <= s << 2;
        boolean highIn = (s1 << 2) + odd <= vbr;
        if (lowIn != highIn) {
            return format(lowIn ? s : s1, k + dk, out, pos);
        }
        int cmp = vb - ((s + s1) << 1); // both in: the closer, the even one on a tie
        return format(cmp < 0 || cmp == 0 && (s & 1) == 0 ? s : s1, k + dk, out, pos);
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
        while (f % 10 == 0) {
            f /= 10;
            exp++;
        }
        int n = digitCount(f);
        int e = exp + n; // the value is 0.<digits> * 10^e
        if (0 < e && e <= 7) { // plain, at least one digit after the point
            if (n <= e) {
                pos = digits(f, n, out, pos);
                for (int i = n; i < e; i++) {
                    out[pos++] = '0';
                }
                out[pos] = '.';
                out[pos + 1] = '0';
                return pos + 2;
            }
            // the digits one place to the right, then the first e moved back in front of the point
            digits(f, n, out, pos + 1);
            for (int i = 0; i < e; i++) {
                out[pos + i] = out[pos + i + 1];
            }
            out[pos + e] = '.';
            return pos + n + 1;
        }
        if (-3 < e && e <= 0) { // 0.00ddd
            out[pos++] = '0';
            out[pos++] = '.';
            for (int i = e; i < 0; i++) {
                out[pos++] = '0';
            }
            return digits(f, n, out, pos);
        }
        // d.ddd...E<exponent>, at least one digit after the point
        digits(f, n, out, pos + 1);
        out[pos] = out[pos + 1];
        out[pos + 1] = '.';
        if (n == 1) {
            out[pos + 2] = '0';
            pos += 3;
        } else {
            pos += n + 1;
        }
        out[pos++] = 'E';
        int x = e - 1;
        if (x < 0) {
            out[pos++] = '-';
            x = -x;
        }
        return x >= 10 ? digits(x, 2, out, pos) : digits(x, 1, out, pos);
    }

    /** "00", "01", ... "99". */
    private static final byte[] PAIRS = new byte[200];

    static {
        for (int i = 0; i < 100; i++) {
            PAIRS[2 * i] = (byte) ('0' + i / 10);
            PAIRS[2 * i + 1] = (byte) ('0' + i % 10);
        }
    }

    /** Writes exactly {@code count} decimal digits of {@code value} (which has at most that many), zero-padded on the left. */
    private static int digits(int value, int count, byte[] out, int pos) {
        int i = pos + count;
        while (i - pos >= 2) {
            int q = value / 100;
            int pair = (value - q * 100) << 1;
            out[--i] = PAIRS[pair + 1];
            out[--i] = PAIRS[pair];
            value = q;
        }
        if (i > pos) {
            out[--i] = (byte) ('0' + value);
        }
        return pos + count;
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
