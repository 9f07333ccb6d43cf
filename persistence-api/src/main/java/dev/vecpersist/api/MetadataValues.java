package dev.vecpersist.api;

import java.util.ArrayList;
import java.util.Arrays;
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

    /**
     * One copying and one checking walk per thread, reused: a load normalises every entry's metadata,
     * and a fresh walk's walker and stacks were a sixth of what a MessagePack load allocated.
     */
    private static final ThreadLocal<Walk> COPYING = ThreadLocal.withInitial(() -> new Walk(true));
    private static final ThreadLocal<Walk> CHECKING = ThreadLocal.withInitial(() -> new Walk(false));

    private MetadataValues() {
    }

    /** This thread's walk, or a fresh one when it is in use (a map's own methods normalising metadata). */
    private static Walk walk(ThreadLocal<Walk> walks, boolean copy) {
        Walk walk = walks.get();
        return walk.inUse ? new Walk(copy) : walk;
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
        if (metadata instanceof NormalizedMap normalized) {
            // already a checked, deeply immutable copy: a load normalises once, not per layer
            return normalized;
        }
        return walk(COPYING, true).map(metadata);
    }

    /**
     * Checks metadata against the value model and {@link ValueLimits} without copying it.
     *
     * @param metadata the metadata, or null
     * @return null when it is valid, otherwise what is wrong, naming the key path and the limit
     */
    public static String problem(Map<String, ?> metadata) {
        if (metadata == null || metadata.isEmpty() || metadata instanceof NormalizedMap) {
            return null;
        }
        try {
            walk(CHECKING, false).map(metadata);
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    /**
     * Copies (or only checks) a tree as the {@link MetadataWalker} reports it, counting its size
     * against {@link ValueLimits#MAX_METADATA_SIZE}: {@value ValueLimits#VALUE_OVERHEAD} bytes per
     * container, key and value, plus the UTF-8 bytes of every key and string.
     */
    private static final class Walk implements MetadataVisitor<RuntimeException> {
        private final boolean copy;
        private final MetadataWalker<RuntimeException> walker = MetadataWalker.checking(this);
        private long size;
        /** The copies being filled, per open container: a map or a list, the other null. */
        @SuppressWarnings("unchecked")
        private Map<String, Object>[] maps = new Map[8];
        @SuppressWarnings("unchecked")
        private List<Object>[] lists = new List[8];
        private String[] pendingKeys = new String[8];
        private int depth;
        /** The root map's copy, filled straight into the arrays of its {@link NormalizedMap}. */
        private String[] rootKeys;
        private Object[] rootValues;
        private int rootSize;
        private Map<String, Object> result;
        private boolean inUse;
        /**
         * The keys of the last root map copied, shared by the next copy with the same keys in the
         * same order (a load's entries mostly repeat theirs); the array filled for that copy is kept
         * to fill the one after it.
         */
        private String[] lastRootKeys;
        private String[] spareRootKeys;

        Walk(boolean copy) {
            this.copy = copy;
        }

        /** Walks one map; the walk is then ready for the next, holding nothing of this one. */
        Map<String, Object> map(Map<?, ?> metadata) {
            inUse = true;
            try {
                walker.walkMap(metadata);
                return result;
            } finally {
                Arrays.fill(maps, null); // a failed walk leaves containers open
                Arrays.fill(lists, null);
                Arrays.fill(pendingKeys, null);
                depth = 0;
                size = 0;
                rootKeys = null;
                rootValues = null;
                rootSize = 0;
                result = null;
                inUse = false;
            }
        }

        @Override
        public void nullValue() {
            count(0);
            add(null);
        }

        @Override
        public void booleanValue(boolean value) {
            count(0);
            add(value);
        }

        @Override
        public void longValue(long value, Number source) {
            count(0);
            add(source instanceof Long ? source : Long.valueOf(value));
        }

        @Override
        public void doubleValue(double value, Number source) {
            count(0);
            add(source instanceof Double ? source : Double.valueOf(value));
        }

        @Override
        public void stringValue(String value, int utf8Bytes) {
            count(utf8Bytes);
            add(value);
        }

        @Override
        public void startList(int size) {
            count(0);
            if (copy) {
                grow();
                lists[depth] = new ArrayList<>(size);
            }
            depth++;
        }

        @Override
        public void endList() {
            depth--;
            if (copy) {
                List<Object> done = lists[depth];
                lists[depth] = null;
                add(Collections.unmodifiableList(done));
            }
        }

        @Override
        public void startMap(int size) {
            count(0);
            if (copy && depth == 0) {
                rootKeys = spareRootKeys != null && spareRootKeys.length == size ? spareRootKeys : new String[size];
                spareRootKeys = null;
                rootValues = new Object[size];
                rootSize = 0;
            } else if (copy) {
                grow();
                maps[depth] = new LinkedHashMap<>(Math.max(4, size * 4 / 3 + 1));
            }
            depth++;
        }

        @Override
        public void key(String key, int utf8Bytes) {
            count(utf8Bytes);
            if (copy) {
                pendingKeys[depth - 1] = key;
            }
        }

        @Override
        public void endMap() {
            depth--;
            if (copy && depth == 0) {
                String[] keys = rootKeys;
                if (lastRootKeys != null && rootSize == rootKeys.length && Arrays.equals(rootKeys, lastRootKeys)) {
                    spareRootKeys = rootKeys;
                    keys = lastRootKeys;
                }
                NormalizedMap copied = NormalizedMap.of(keys, rootValues, rootSize);
                lastRootKeys = copied.keys;
                result = copied;
            } else if (copy) {
                Map<String, Object> done = maps[depth];
                maps[depth] = null;
                add(Collections.unmodifiableMap(done));
            }
        }

        /** Puts a copied value into the container being filled. */
        private void add(Object value) {
            if (!copy) {
                return;
            }
            int at = depth - 1;
            if (at == 0) {
                addToRoot(value);
            } else if (maps[at] != null) {
                maps[at].put(pendingKeys[at], value);
            } else {
                lists[at].add(value);
            }
        }

        private void addToRoot(Object value) {
            if (rootSize == rootKeys.length) {
                // the map held more entries than its size() said
                rootKeys = Arrays.copyOf(rootKeys, Math.max(8, rootSize * 2));
                rootValues = Arrays.copyOf(rootValues, rootKeys.length);
            }
            rootKeys[rootSize] = pendingKeys[0];
            rootValues[rootSize++] = value;
        }

        private void grow() {
            if (depth == maps.length) {
                maps = Arrays.copyOf(maps, depth * 2);
                lists = Arrays.copyOf(lists, depth * 2);
                pendingKeys = Arrays.copyOf(pendingKeys, depth * 2);
            }
        }

        private void count(int bytes) {
            size += ValueLimits.VALUE_OVERHEAD + bytes;
            if (size > ValueLimits.MAX_METADATA_SIZE) {
                throw new IllegalArgumentException("metadata is larger than the limit of " + ValueLimits.MAX_METADATA_SIZE
                        + " bytes (" + ValueLimits.VALUE_OVERHEAD + " per key and value plus their UTF-8 bytes) at '"
                        + ValueLimits.preview(walker.path()) + "'");
            }
        }
    }
}
