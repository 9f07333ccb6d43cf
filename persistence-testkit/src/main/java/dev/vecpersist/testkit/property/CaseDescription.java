package dev.vecpersist.testkit.property;

import java.lang.reflect.Array;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/**
 * A generated case printed in full: records component by component, every array element, strings
 * as Java literals (every non-ASCII or control character escaped), floats and doubles exactly.
 */
public final class CaseDescription {

    private CaseDescription() {
    }

    /**
     * Describes a value.
     *
     * @param value any value, null included
     * @return its full description
     */
    public static String of(Object value) {
        StringBuilder sb = new StringBuilder();
        append(sb, value);
        return sb.toString();
    }

    private static void append(StringBuilder sb, Object value) {
        if (value == null) {
            sb.append("null");
        } else if (value instanceof String s) {
            appendString(sb, s);
        } else if (value instanceof Float f) {
            sb.append(f).append('f');
        } else if (value instanceof Long l) {
            sb.append(l).append('L');
        } else if (value.getClass().isArray()) {
            StringJoiner items = new StringJoiner(", ", "[", "]");
            for (int i = 0; i < Array.getLength(value); i++) {
                items.add(of(Array.get(value, i)));
            }
            sb.append(items);
        } else if (value instanceof Collection<?> c) {
            StringJoiner items = new StringJoiner(", ", "[", "]");
            c.forEach(item -> items.add(of(item)));
            sb.append(items);
        } else if (value instanceof Map<?, ?> m) {
            StringJoiner items = new StringJoiner(", ", "{", "}");
            m.forEach((k, v) -> items.add(of(k) + "=" + of(v)));
            sb.append(items);
        } else if (value.getClass().isRecord()) {
            appendRecord(sb, value);
        } else {
            sb.append(value);
        }
    }

    private static void appendRecord(StringBuilder sb, Object record) {
        StringJoiner parts = new StringJoiner(", ", record.getClass().getSimpleName() + "[", "]");
        for (RecordComponent c : record.getClass().getRecordComponents()) {
            try {
                c.getAccessor().setAccessible(true);
                parts.add(c.getName() + "=" + of(c.getAccessor().invoke(record)));
            } catch (IllegalAccessException | InvocationTargetException | RuntimeException e) {
                parts.add(c.getName() + "=<" + e + ">");
            }
        }
        sb.append(parts);
    }

    private static void appendString(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c >= 0x20 && c < 0x7F) {
                sb.append(c);
            } else {
                sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            }
        }
        sb.append('"');
    }
}
