package dev.vecpersist.api;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
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

    /** @param copy the fresh, checked copy, in insertion order, with no null key */
    NormalizedMap(Map<String, Object> copy) {
        int size = copy.size();
        keys = new String[size];
        values = new Object[size];
        int i = 0;
        for (Map.Entry<String, Object> e : copy.entrySet()) {
            keys[i] = e.getKey();
            values[i] = e.getValue();
            i++;
        }
        if (size > SCAN_LIMIT) {
            index = new HashMap<>(size * 4 / 3 + 1);
            for (int k = 0; k < size; k++) {
                index.put(keys[k], k);
            }
        } else {
            index = null;
        }
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
