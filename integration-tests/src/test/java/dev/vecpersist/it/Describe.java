package dev.vecpersist.it;

import dev.vecpersist.api.VectorEntry;

import java.util.List;
import java.util.Map;

/**
 * Entries as exact text: every value with its type, floats and doubles by their raw bits, strings
 * with every non-printable-ASCII char escaped, maps in their key order. Two entries describe alike
 * exactly when they are bit-identical, and the description prints a failing case in full.
 */
final class Describe {

    private Describe() {
    }

    static String entries(List<VectorEntry> entries) {
        StringBuilder sb = new StringBuilder("[");
        for (VectorEntry e : entries) {
            sb.append(entry(e)).append("; ");
        }
        return sb.append(']').toString();
    }

    static String entry(VectorEntry e) {
        StringBuilder sb = new StringBuilder("id=");
        string(sb, e.id());
        sb.append(" vector=[");
        for (float f : e.vector()) {
            sb.append(f).append("/0x").append(Integer.toHexString(Float.floatToRawIntBits(f))).append(' ');
        }
        sb.append("] metadata=");
        value(sb, e.metadata());
        return sb.toString();
    }

    private static void value(StringBuilder sb, Object v) {
        if (v == null) {
            sb.append("null");
        } else if (v instanceof String s) {
            string(sb, s);
        } else if (v instanceof Double d) {
            sb.append("double ").append(d).append("/0x").append(Long.toHexString(Double.doubleToRawLongBits(d)));
        } else if (v instanceof Map<?, ?> m) {
            sb.append('{');
            for (Map.Entry<?, ?> e : m.entrySet()) {
                string(sb, (String) e.getKey());
                sb.append(": ");
                value(sb, e.getValue());
                sb.append(", ");
            }
            sb.append('}');
        } else if (v instanceof List<?> l) {
            sb.append('[');
            for (Object o : l) {
                value(sb, o);
                sb.append(", ");
            }
            sb.append(']');
        } else {
            sb.append(v.getClass().getSimpleName()).append(' ').append(v);
        }
    }

    /** Strings longer than this are shown by length, hash and ends (the values at the limits are megabytes). */
    private static final int SHOWN = 300;
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private static void string(StringBuilder sb, String s) {
        if (s.length() > SHOWN) {
            sb.append("<").append(s.length()).append(" chars, hash ").append(s.hashCode()).append(": ");
            escaped(sb, s.substring(0, 60));
            sb.append(" ... ");
            escaped(sb, s.substring(s.length() - 60));
            sb.append('>');
            return;
        }
        escaped(sb, s);
    }

    private static void escaped(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
                sb.append(c);
            } else {
                sb.append("\\u").append(HEX[c >> 12]).append(HEX[(c >> 8) & 15]).append(HEX[(c >> 4) & 15]).append(HEX[c & 15]);
            }
        }
        sb.append('"');
    }

    /** Bit-identical: same ids, vector bits, and metadata of the same types, values, bits and key order. */
    static boolean identical(VectorEntry a, VectorEntry b) {
        if (!a.id().equals(b.id()) || a.vector().length != b.vector().length) {
            return false;
        }
        for (int i = 0; i < a.vector().length; i++) {
            if (Float.floatToRawIntBits(a.vector()[i]) != Float.floatToRawIntBits(b.vector()[i])) {
                return false;
            }
        }
        return identicalValues(a.metadata(), b.metadata());
    }

    private static boolean identicalValues(Object a, Object b) {
        if (a == null || b == null) {
            return a == b;
        }
        if (a.getClass() != b.getClass() && !(a instanceof Map && b instanceof Map) && !(a instanceof List && b instanceof List)) {
            return false;
        }
        if (a instanceof Double x) {
            return Double.doubleToRawLongBits(x) == Double.doubleToRawLongBits((Double) b);
        }
        if (a instanceof Map<?, ?> m) {
            Map<?, ?> n = (Map<?, ?>) b;
            if (m.size() != n.size()) {
                return false;
            }
            var i = m.entrySet().iterator();
            var j = n.entrySet().iterator();
            while (i.hasNext()) {
                var x = i.next();
                var y = j.next();
                if (!x.getKey().equals(y.getKey()) || !identicalValues(x.getValue(), y.getValue())) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof List<?> l) {
            List<?> k = (List<?>) b;
            if (l.size() != k.size()) {
                return false;
            }
            for (int i = 0; i < l.size(); i++) {
                if (!identicalValues(l.get(i), k.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return a.equals(b);
    }
}
