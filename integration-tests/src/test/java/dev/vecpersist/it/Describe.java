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

    private static void string(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
                sb.append(c);
            } else {
                sb.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
            }
        }
        sb.append('"');
    }
}
