package dev.vecpersist.core.json;

import com.fasterxml.jackson.core.io.NumberOutput;

import java.math.BigDecimal;

/**
 * Text exactly as JavaScript's {@code JSON.stringify} writes it: numbers by ECMAScript's
 * Number::toString (shortest round-trip digits, integers without ".0", exponent forms such as
 * {@code 1e+21} and {@code 1e-7}), strings escaped as ECMAScript's QuoteJSONString does.
 */
public final class JavaScriptJson {

    private JavaScriptJson() {
    }

    /**
     * A number as JavaScript prints it.
     *
     * @param d a finite double (JSON has no NaN or infinities)
     * @return e.g. {@code "0"} for -0.0, {@code "1"}, {@code "0.1"}, {@code "1e+21"}, {@code "1.5e-7"}
     * @throws IllegalArgumentException when {@code d} is not finite
     */
    public static String number(double d) {
        if (!Double.isFinite(d)) {
            throw new IllegalArgumentException("JSON has no " + d);
        }
        if (d == 0) {
            return "0"; // both zeros
        }
        // the shortest decimal that rounds to d (Jackson's Schubfach writer; JDK 17's Double.toString is not always shortest)
        BigDecimal shortest = oneDigitIfExact(new BigDecimal(NumberOutput.toString(Math.abs(d), true)).stripTrailingZeros(),
                Math.abs(d));
        String digits = shortest.unscaledValue().toString();
        int k = digits.length();
        int n = k - shortest.scale(); // d = 0.digits x 10^n
        StringBuilder sb = new StringBuilder(k + 8);
        if (d < 0) {
            sb.append('-');
        }
        if (k <= n && n <= 21) {
            sb.append(digits).append("0".repeat(n - k));
        } else if (0 < n && n <= 21) {
            sb.append(digits, 0, n).append('.').append(digits, n, k);
        } else if (-6 < n && n <= 0) {
            sb.append("0.").append("0".repeat(-n)).append(digits);
        } else {
            sb.append(digits.charAt(0));
            if (k > 1) {
                sb.append('.').append(digits, 1, k);
            }
            int e = n - 1;
            sb.append('e').append(e >= 0 ? '+' : '-').append(Math.abs(e));
        }
        return sb.toString();
    }

    /**
     * Java gives at least two digits where one would do (Double.MIN_VALUE is "4.9E-324", JavaScript
     * prints "5e-324"): of the one-digit decimals that round to {@code x}, the closest, if any.
     */
    private static BigDecimal oneDigitIfExact(BigDecimal twoOrMore, double x) {
        if (twoOrMore.precision() != 2) {
            return twoOrMore;
        }
        BigDecimal exact = new BigDecimal(x);
        BigDecimal best = null;
        for (BigDecimal c : new BigDecimal[] {twoOrMore.setScale(twoOrMore.scale() - 1, java.math.RoundingMode.FLOOR),
                twoOrMore.setScale(twoOrMore.scale() - 1, java.math.RoundingMode.CEILING)}) {
            if (c.signum() != 0 && c.doubleValue() == x
                    && (best == null || c.subtract(exact).abs().compareTo(best.subtract(exact).abs()) < 0)) {
                best = c;
            }
        }
        return best == null ? twoOrMore : best.stripTrailingZeros();
    }

    /**
     * Appends a string as a JSON string literal, quotes included.
     *
     * @param sb the text so far
     * @param s  the string
     */
    public static void quote(StringBuilder sb, String s) {
        sb.append('"');
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    boolean lone = Character.isSurrogate(c) && !(Character.isHighSurrogate(c) && i + 1 < n
                            && Character.isLowSurrogate(s.charAt(i + 1)));
                    if (c < 0x20 || lone) {
                        sb.append("\\u").append(String.format(java.util.Locale.ROOT, "%04x", (int) c));
                    } else {
                        sb.append(c);
                        if (Character.isHighSurrogate(c)) {
                            sb.append(s.charAt(++i));
                        }
                    }
                }
            }
        }
        sb.append('"');
    }
}
