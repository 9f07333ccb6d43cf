package dev.vecpersist.api;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The metadata value model every format stores exactly: {@code String}, {@code Boolean},
 * {@code Long}, {@code Double} (finite), {@code null}, {@code List} and {@code Map<String, ?>} of
 * those, nested at most {@link #MAX_DEPTH} levels.
 *
 * <p>Other integral types are widened to {@code Long} and {@code Float} to {@code Double}, so that
 * what a database holds is what every format gives back, type for type.
 */
public final class MetadataValues {

    /** Deepest nesting of maps and lists accepted, on insert and on load. */
    public static final int MAX_DEPTH = 64;

    private MetadataValues() {
    }

    /**
     * An immutable deep copy of the metadata in the value model.
     *
     * @param metadata the metadata to copy, or null
     * @return the copy, keys in the original's iteration order; empty for null or empty input
     * @throws IllegalArgumentException naming the offending key path when a value has another type,
     *                                  a double is NaN or infinite, or nesting is too deep
     */
    public static Map<String, Object> normalize(Map<String, ?> metadata) {
        if (metadata == null || metadata.isEmpty()) {
            return Map.of();
        }
        return normalizeMap(metadata, "", 1);
    }

    private static Map<String, Object> normalizeMap(Map<?, ?> map, String path, int depth) {
        checkDepth(path, depth);
        Map<String, Object> copy = new LinkedHashMap<>(Math.max(4, map.size() * 4 / 3 + 1));
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!(e.getKey() instanceof String key)) {
                throw new IllegalArgumentException("metadata key at '" + path + "' is not a String: " + e.getKey());
            }
            copy.put(key, normalizeValue(e.getValue(), path.isEmpty() ? key : path + "." + key, depth));
        }
        return Collections.unmodifiableMap(copy);
    }

    private static Object normalizeValue(Object v, String path, int depth) {
        if (v == null || v instanceof String || v instanceof Boolean || v instanceof Long) {
            return v;
        }
        if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        }
        if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            if (!Double.isFinite(d)) {
                throw new IllegalArgumentException("metadata value at '" + path + "' is " + d + "; only finite numbers can be stored");
            }
            return d;
        }
        if (v instanceof Map<?, ?> m) {
            return normalizeMap(m, path, depth + 1);
        }
        if (v instanceof List<?> list) {
            checkDepth(path, depth + 1);
            List<Object> copy = new ArrayList<>(list.size());
            for (int i = 0; i < list.size(); i++) {
                copy.add(normalizeValue(list.get(i), path + "[" + i + "]", depth + 1));
            }
            return Collections.unmodifiableList(copy);
        }
        throw new IllegalArgumentException("metadata value at '" + path + "' has unsupported type "
                + v.getClass().getName() + " (use String, Boolean, Long, Double, null, List or Map)");
    }

    private static void checkDepth(String path, int depth) {
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException("metadata nested deeper than " + MAX_DEPTH + " levels at '" + path + "'");
        }
    }
}
