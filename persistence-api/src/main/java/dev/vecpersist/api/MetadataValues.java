package dev.vecpersist.api;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The metadata value model every format stores exactly: {@code String}, {@code Boolean},
 * {@code Long}, {@code Double} (finite), {@code null}, {@code List} and {@code Map<String, ?>} of
 * those, nested at most {@link #MAX_DEPTH} levels, within {@link ValueLimits}.
 *
 * <p>Other integral types are widened to {@code Long} and {@code Float} to {@code Double}, so that
 * what a database holds is what every format gives back, type for type.
 */
public final class MetadataValues {

    /** Deepest nesting of maps and lists accepted, on insert and on load ({@link ValueLimits#MAX_DEPTH}). */
    public static final int MAX_DEPTH = ValueLimits.MAX_DEPTH;

    private MetadataValues() {
    }

    /**
     * An immutable deep copy of the metadata in the value model, checked against {@link ValueLimits}.
     *
     * @param metadata the metadata to copy, or null
     * @return the copy, keys in the original's iteration order; empty for null or empty input
     * @throws IllegalArgumentException naming the offending key path and the limit when a value has
     *                                  another type, a double is NaN or infinite, a key or string is too
     *                                  long or not valid Unicode, a container has too many elements,
     *                                  nesting is too deep or the whole map is too large
     */
    public static Map<String, Object> normalize(Map<String, ?> metadata) {
        if (metadata == null || metadata.isEmpty()) {
            return Map.of();
        }
        return new Walk(true).map(metadata, "", 1);
    }

    /**
     * Checks metadata against the value model and {@link ValueLimits} without copying it.
     *
     * @param metadata the metadata, or null
     * @return null when it is valid, otherwise what is wrong, naming the key path and the limit
     */
    public static String problem(Map<String, ?> metadata) {
        if (metadata == null || metadata.isEmpty()) {
            return null;
        }
        try {
            new Walk(false).map(metadata, "", 1);
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    /** One pass over a metadata tree, copying or only checking, counting its size. */
    private static final class Walk {
        private final boolean copy;
        private long size;

        Walk(boolean copy) {
            this.copy = copy;
        }

        Map<String, Object> map(Map<?, ?> map, String path, int depth) {
            checkDepth(path, depth);
            checkContainer(map.size(), path, "map");
            count(0, path);
            Map<String, Object> out = copy ? new LinkedHashMap<>(Math.max(4, map.size() * 4 / 3 + 1)) : null;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!(e.getKey() instanceof String key)) {
                    throw new IllegalArgumentException("metadata key at '" + path + "' is not a String: " + e.getKey());
                }
                String at = path.isEmpty() ? key : path + "." + key;
                count(ValueLimits.checkString(key, ValueLimits.MAX_KEY_BYTES,
                        "metadata key '" + ValueLimits.preview(at) + "'"), at);
                Object v = value(e.getValue(), at, depth);
                if (copy) {
                    out.put(key, v);
                }
            }
            return copy ? Collections.unmodifiableMap(out) : null;
        }

        private Object value(Object v, String path, int depth) {
            if (v instanceof String s) {
                count(ValueLimits.checkString(s, ValueLimits.MAX_STRING_BYTES,
                        "metadata string at '" + ValueLimits.preview(path) + "'"), path);
                return v;
            }
            if (v instanceof Map<?, ?> m) {
                return map(m, path, depth + 1);
            }
            if (v instanceof List<?> list) {
                return list(list, path, depth + 1);
            }
            count(0, path);
            if (v == null || v instanceof Boolean || v instanceof Long) {
                return v;
            }
            if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
                return ((Number) v).longValue();
            }
            if (v instanceof Double || v instanceof Float) {
                double d = ((Number) v).doubleValue();
                if (!Double.isFinite(d)) {
                    throw new IllegalArgumentException("metadata value at '" + path + "' is " + d
                            + "; only finite numbers can be stored");
                }
                return d;
            }
            throw new IllegalArgumentException("metadata value at '" + path + "' has unsupported type "
                    + v.getClass().getName() + " (use String, Boolean, Long, Double, null, List or Map)");
        }

        private List<Object> list(List<?> list, String path, int depth) {
            checkDepth(path, depth);
            checkContainer(list.size(), path, "list");
            count(0, path);
            List<Object> out = copy ? new ArrayList<>(list.size()) : null;
            int i = 0;
            for (Object item : list) {
                Object v = value(item, path + "[" + i++ + "]", depth);
                if (copy) {
                    out.add(v);
                }
            }
            return copy ? Collections.unmodifiableList(out) : null;
        }

        private void count(int bytes, String path) {
            size += ValueLimits.VALUE_OVERHEAD + bytes;
            if (size > ValueLimits.MAX_METADATA_SIZE) {
                throw new IllegalArgumentException("metadata is larger than the limit of " + ValueLimits.MAX_METADATA_SIZE
                        + " bytes (" + ValueLimits.VALUE_OVERHEAD + " per key and value plus their UTF-8 bytes) at '"
                        + ValueLimits.preview(path) + "'");
            }
        }

        private static void checkContainer(int size, String path, String what) {
            if (size > ValueLimits.MAX_CONTAINER) {
                throw new IllegalArgumentException("metadata " + what + " at '" + ValueLimits.preview(path) + "' has "
                        + size + " elements, more than the limit of " + ValueLimits.MAX_CONTAINER);
            }
        }

        private static void checkDepth(String path, int depth) {
            if (depth > MAX_DEPTH) {
                throw new IllegalArgumentException("metadata nested deeper than the limit of " + MAX_DEPTH
                        + " levels at '" + ValueLimits.preview(path) + "'");
            }
        }
    }
}
