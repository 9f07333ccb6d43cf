package dev.vecpersist.api;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The one walk over a metadata tree: dispatches each value on its type once, checks it against the
 * value model and {@link ValueLimits}, and reports it to a {@link MetadataVisitor}. Every encoder of
 * metadata (the formats, the content checksum, {@link MetadataValues}) is a visitor of this walk, so
 * all of them accept, refuse and order exactly the same trees.
 *
 * <p>Every walk refuses a value of another type, a key that is not a {@code String}, a NaN or
 * infinite number, a list or map of more than {@link ValueLimits#MAX_CONTAINER} elements and
 * nesting deeper than {@link ValueLimits#MAX_DEPTH} (the top-level container is level 1), with an
 * {@link IllegalArgumentException} naming the key path, e.g. {@code tags[2].name}. A
 * {@linkplain #checking checking} walk also checks every key and string against its UTF-8 limit
 * and for unpaired surrogates, and gives map entries in the map's iteration order; a
 * {@linkplain #canonical canonical} walk gives them sorted by key and leaves strings unchecked,
 * for content that was checked when it came in.
 *
 * <p>The key path is kept as it goes without building strings: a walk allocates nothing per value
 * (a canonical walk sorts the keys of each map of two or more into one list). A walker is reusable,
 * one walk at a time; not thread-safe.
 *
 * @param <X> what the visitor may throw
 */
public final class MetadataWalker<X extends Exception> {

    private final MetadataVisitor<X> visitor;
    private final boolean canonical;
    /** Per open container, from the top: the key being visited, or null in a list. */
    private String[] keys = new String[8];
    /** Per open list: the index being visited. */
    private int[] indexes = new int[8];
    /** How many containers are open. */
    private int depth;
    /** How many open containers are inside one of their elements: the length of the key path. */
    private int segments;
    /** Per level, the keys of the canonical walk's map being sorted. */
    private String[][] sortScratch = new String[4][];
    /** The level of the map whose {@code forEach} runs {@link #forEachEntry}. */
    private int forEachLevel;
    private final BiConsumer<Object, Object> forEachEntry = this::forEachEntry;

    private MetadataWalker(MetadataVisitor<X> visitor, boolean canonical) {
        this.visitor = visitor;
        this.canonical = canonical;
    }

    /**
     * A walker that checks every limit and keeps each map's iteration order: for encoders whose
     * output must load back exactly as it was given.
     *
     * @param visitor receives the values
     * @param <X>     what the visitor may throw
     * @return the walker
     */
    public static <X extends Exception> MetadataWalker<X> checking(MetadataVisitor<X> visitor) {
        return new MetadataWalker<>(visitor, false);
    }

    /**
     * A walker that gives map entries sorted by key and does not scan strings: for a canonical
     * encoding (a checksum) of content already checked.
     *
     * @param visitor receives the values
     * @param <X>     what the visitor may throw
     * @return the walker
     */
    public static <X extends Exception> MetadataWalker<X> canonical(MetadataVisitor<X> visitor) {
        return new MetadataWalker<>(visitor, true);
    }

    /**
     * Walks a metadata map: the top level, at depth 1.
     *
     * @param map the map
     * @throws IllegalArgumentException naming the key path when the tree is outside the value model or its limits
     * @throws X                        what the visitor throws
     */
    public void walkMap(Map<?, ?> map) throws X {
        depth = 0;
        segments = 0;
        map(map);
    }

    /**
     * Walks any value of the model; a list or map is at depth 1.
     *
     * @param value the value, possibly null
     * @throws IllegalArgumentException naming the key path when the value is outside the value model or its limits
     * @throws X                        what the visitor throws
     */
    public void walkValue(Object value) throws X {
        depth = 0;
        segments = 0;
        value(value);
    }

    /**
     * The key path of the value being visited, for messages: keys joined by {@code .}, list indexes
     * in brackets, e.g. {@code tags[2].name}; empty at the top level.
     *
     * @return the path
     */
    public String path() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < segments; i++) {
            if (keys[i] != null) {
                if (sb.length() > 0) {
                    sb.append('.');
                }
                sb.append(keys[i]);
            } else {
                sb.append('[').append(indexes[i]).append(']');
            }
        }
        return sb.toString();
    }

    private void value(Object v) throws X {
        if (v instanceof String s) {
            visitor.stringValue(s, canonical ? -1 : checkedLength(s, ValueLimits.MAX_STRING_BYTES, "metadata string at '"));
        } else if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            Number n = (Number) v;
            visitor.longValue(n.longValue(), n);
        } else if (v instanceof Double || v instanceof Float) {
            Number n = (Number) v;
            double d = n.doubleValue();
            if (!Double.isFinite(d)) {
                throw new IllegalArgumentException("metadata value at '" + ValueLimits.preview(path()) + "' is " + d
                        + "; only finite numbers can be stored");
            }
            visitor.doubleValue(d, n);
        } else if (v instanceof Boolean b) {
            visitor.booleanValue(b);
        } else if (v == null) {
            visitor.nullValue();
        } else if (v instanceof Map<?, ?> m) {
            map(m);
        } else if (v instanceof List<?> l) {
            list(l);
        } else {
            throw new IllegalArgumentException("metadata value at '" + ValueLimits.preview(path()) + "' has unsupported type "
                    + v.getClass().getName() + " (use String, Boolean, Long, Double, null, List or Map)");
        }
    }

    private void map(Map<?, ?> map) throws X {
        int level = open(map.size(), "map");
        visitor.startMap(map.size());
        if (canonical && map.size() > 1) {
            // one reused array per level: a checksum sorts the keys of every entry's metadata
            String[] sorted = sortedKeys(level, map.size());
            int n = 0;
            if (map instanceof NormalizedMap normalized) {
                // its key array, without an iterator and an entry per key
                n = normalized.keys.length;
                System.arraycopy(normalized.keys, 0, sorted, 0, n);
            } else {
                for (Object k : map.keySet()) {
                    sorted[n++] = requireStringKey(k);
                }
            }
            Arrays.sort(sorted, 0, n);
            for (int i = 0; i < n; i++) {
                String key = sorted[i];
                sorted[i] = null;
                entry(level, key, map.get(key));
            }
        } else if (map instanceof NormalizedMap normalized) {
            // its arrays, without an iterator and an entry per key
            String[] keysOfMap = normalized.keys;
            Object[] valuesOfMap = normalized.values;
            for (int i = 0; i < keysOfMap.length; i++) {
                entry(level, keysOfMap[i], valuesOfMap[i]);
            }
        } else {
            // forEach, not entrySet: a map that holds arrays (a reader's decoded map) then hands its
            // keys and values over without an iterator and an entry object per key; one action for
            // every map, told its level by a field that nested maps save and restore
            int outer = forEachLevel;
            forEachLevel = level;
            try {
                map.forEach(forEachEntry);
            } finally {
                forEachLevel = outer;
            }
        }
        depth--;
        visitor.endMap();
    }

    private void forEachEntry(Object key, Object value) {
        try {
            entry(forEachLevel, requireStringKey(key), value);
        } catch (Exception e) {
            throw MetadataWalker.<RuntimeException>rethrow(e);
        }
    }

    /** Rethrows the visitor's {@code X} out of a {@code forEach} action, which cannot declare it. */
    @SuppressWarnings("unchecked")
    private static <T extends Exception> T rethrow(Exception e) throws T {
        throw (T) e;
    }

    private String[] sortedKeys(int level, int size) {
        if (level >= sortScratch.length) {
            sortScratch = Arrays.copyOf(sortScratch, Math.max(sortScratch.length * 2, level + 1));
        }
        String[] keysOfLevel = sortScratch[level];
        if (keysOfLevel == null || keysOfLevel.length < size) {
            keysOfLevel = new String[Math.max(size, 8)];
            sortScratch[level] = keysOfLevel;
        }
        return keysOfLevel;
    }

    private void entry(int level, String key, Object value) throws X {
        keys[level] = key;
        segments = level + 1;
        visitor.key(key, canonical ? -1 : checkedLength(key, ValueLimits.MAX_KEY_BYTES, "metadata key '"));
        value(value);
        segments = level;
    }

    private String requireStringKey(Object k) {
        if (k instanceof String key) {
            return key;
        }
        throw new IllegalArgumentException("metadata key at '" + ValueLimits.preview(path()) + "' is not a String: " + k);
    }

    private void list(List<?> list) throws X {
        int level = open(list.size(), "list");
        visitor.startList(list.size());
        keys[level] = null;
        int i = 0;
        for (Object item : list) {
            indexes[level] = i++;
            segments = level + 1;
            value(item);
        }
        segments = level;
        depth--;
        visitor.endList();
    }

    /** Checks a container about to open, opens it and returns its level (0 for the top). */
    private int open(int size, String what) {
        if (depth >= ValueLimits.MAX_DEPTH) {
            throw new IllegalArgumentException("metadata at '" + ValueLimits.preview(path()) + "' is nested deeper than "
                    + ValueLimits.MAX_DEPTH + " levels (the limit of " + ValueLimits.MAX_DEPTH + " levels, ValueLimits.MAX_DEPTH)");
        }
        if (size > ValueLimits.MAX_CONTAINER) {
            throw new IllegalArgumentException("metadata " + what + " at '" + ValueLimits.preview(path()) + "' has "
                    + size + " elements, more than the limit of " + ValueLimits.MAX_CONTAINER);
        }
        if (depth == keys.length) {
            keys = Arrays.copyOf(keys, depth * 2);
            indexes = Arrays.copyOf(indexes, depth * 2);
        }
        return depth++;
    }

    /** The UTF-8 length of a key or string within its limit; the message names it by its path. */
    private int checkedLength(String s, int maxBytes, String what) {
        long bytes = ValueLimits.utf8Length(s);
        if (bytes < 0 || bytes > maxBytes) {
            throw ValueLimits.stringProblem(s, bytes, maxBytes, what + ValueLimits.preview(path()) + "'");
        }
        return (int) bytes;
    }
}
