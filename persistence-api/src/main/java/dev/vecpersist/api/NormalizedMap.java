package dev.vecpersist.api;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The unmodifiable root map {@link MetadataValues#normalize} returns. Only that method creates one,
 * from a copy it has just checked, so its type alone proves that the tree below it is in the value
 * model and within the limits: normalising or checking it again returns at once (a load used to
 * walk every entry's metadata once to check it and again to copy it). Keys and values sit in two
 * arrays in insertion order, which {@link MetadataWalker} iterates directly (iterating an
 * unmodifiable map's entries was about a third of a MessagePack save under JFR); lookups scan the
 * keys of a small map and use a hash index for a large one. Equality, hash code and text are those
 * of any map with the same entries; every mutator throws {@link UnsupportedOperationException}.
 */
final class NormalizedMap extends AbstractMap<String, Object> {

    /** Up to this many keys a lookup scans the keys (as fast as hashing, and no index to hold). */
    private static final int SCAN_LIMIT = 8;

    final String[] keys;
    final Object[] values;
    /** Key to position, for maps larger than {@link #SCAN_LIMIT}; null otherwise. */
    private final Map<String, Integer> index;

    private NormalizedMap(String[] keys, Object[] values, Map<String, Integer> index) {
        this.keys = keys;
        this.values = values;
        this.index = index;
    }

    /**
     * The map of a fresh, checked copy's root, from its keys and values in insertion order. A key
     * that appears twice (only a map with another idea of key equality, such as an
     * {@code IdentityHashMap}, can give that) keeps its first position and its last value, as a
     * {@link LinkedHashMap} filled in that order would.
     *
     * @param keys   the keys, not null; the array is adopted (trimmed to {@code size})
     * @param values the values, in the keys' order; adopted likewise
     * @param size   how many of the arrays' elements are used
     */
    static NormalizedMap of(String[] keys, Object[] values, int size) {
        String[] k = size == keys.length ? keys : Arrays.copyOf(keys, size);
        Object[] v = size == values.length ? values : Arrays.copyOf(values, size);
        Map<String, Integer> index = null;
        boolean repeated = false;
        if (size > SCAN_LIMIT) {
            index = new HashMap<>(size * 4 / 3 + 1);
            for (int i = 0; i < size; i++) {
                repeated |= index.put(k[i], i) != null;
            }
        } else {
            for (int i = 1; i < size && !repeated; i++) {
                for (int j = 0; j < i; j++) {
                    if (k[i].equals(k[j])) {
                        repeated = true;
                        break;
                    }
                }
            }
        }
        if (!repeated) {
            return new NormalizedMap(k, v, index);
        }
        LinkedHashMap<String, Object> unique = new LinkedHashMap<>();
        for (int i = 0; i < size; i++) {
            unique.put(k[i], v[i]);
        }
        return of(unique.keySet().toArray(new String[0]), unique.values().toArray(), unique.size());
    }

    private int position(Object key) {
        if (index != null) {
            Integer at = index.get(key);
            return at == null ? -1 : at;
        }
        if (key == null) {
            return -1;
        }
        for (int i = 0; i < keys.length; i++) {
            if (keys[i].equals(key)) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public int size() {
        return keys.length;
    }

    @Override
    public boolean isEmpty() {
        return keys.length == 0;
    }

    @Override
    public boolean containsKey(Object key) {
        return position(key) >= 0;
    }

    @Override
    public Object get(Object key) {
        int at = position(key);
        return at < 0 ? null : values[at];
    }

    @Override
    public Object getOrDefault(Object key, Object defaultValue) {
        int at = position(key);
        return at < 0 ? defaultValue : values[at];
    }

    @Override
    public void forEach(BiConsumer<? super String, ? super Object> action) {
        for (int i = 0; i < keys.length; i++) {
            action.accept(keys[i], values[i]);
        }
    }

    @Override
    public Set<Map.Entry<String, Object>> entrySet() {
        Set<Map.Entry<String, Object>> entries = new AbstractSet<>() {
                @Override
                public Iterator<Map.Entry<String, Object>> iterator() {
                    return new Iterator<>() {
                        private int next;

                        @Override
                        public boolean hasNext() {
                            return next < keys.length;
                        }

                        @Override
                        public Map.Entry<String, Object> next() {
                            if (next >= keys.length) {
                                throw new NoSuchElementException();
                            }
                            Map.Entry<String, Object> e = new SimpleImmutableEntry<>(keys[next], values[next]);
                            next++;
                            return e;
                        }
                    };
                }

                @Override
                public int size() {
                    return keys.length;
                }
            };
        return Collections.unmodifiableSet(entries);
    }

    // every mutator throws, whether or not it would change anything, as Collections.unmodifiableMap's do

    @Override
    public Object put(String key, Object value) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Object remove(Object key) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void putAll(Map<? extends String, ?> m) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void clear() {
        throw new UnsupportedOperationException();
    }

    @Override
    public Object putIfAbsent(String key, Object value) {
        throw new UnsupportedOperationException();
    }

    @Override
    public boolean remove(Object key, Object value) {
        throw new UnsupportedOperationException();
    }

    @Override
    public boolean replace(String key, Object oldValue, Object newValue) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Object replace(String key, Object value) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void replaceAll(BiFunction<? super String, ? super Object, ?> function) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Object computeIfAbsent(String key, Function<? super String, ?> mappingFunction) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Object computeIfPresent(String key, BiFunction<? super String, ? super Object, ?> remappingFunction) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Object compute(String key, BiFunction<? super String, ? super Object, ?> remappingFunction) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Object merge(String key, Object value, BiFunction<? super Object, ? super Object, ?> remappingFunction) {
        throw new UnsupportedOperationException();
    }
}
