package dev.vecpersist.format.msgpack;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * A small decoded metadata map, unmodifiable: its keys and values in two arrays, in file order.
 * Every entry of a load carries one (a few keys each), and building a {@code LinkedHashMap} for it
 * (a table and a node per key, every key hashed) was about a fifth of the decoding thread's samples
 * under JFR. Lookups scan the keys, so the decoder uses it only for maps of at most
 * {@link #MAX_SIZE} keys and refuses a repeated key before building one. Equality, hash code and
 * text are those of any map with the same entries.
 */
final class SmallMap extends AbstractMap<String, Object> {

    /** The most keys a small map holds: a scan of this many is as fast as hashing. */
    static final int MAX_SIZE = 8;

    private final String[] keys;
    private final Object[] values;

    /**
     * @param keys   distinct keys, at most {@link #MAX_SIZE}; the array is adopted
     * @param values their values, in the same order; adopted likewise
     */
    SmallMap(String[] keys, Object[] values) {
        this.keys = keys;
        this.values = values;
    }

    /** {@return the position of {@code key}, or -1} */
    private int position(Object key) {
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
    public boolean containsKey(Object key) {
        return position(key) >= 0;
    }

    @Override
    public Object get(Object key) {
        int at = position(key);
        return at < 0 ? null : values[at];
    }

    @Override
    public void forEach(BiConsumer<? super String, ? super Object> action) {
        for (int i = 0; i < keys.length; i++) {
            action.accept(keys[i], values[i]);
        }
    }

    @Override
    public Set<Map.Entry<String, Object>> entrySet() {
        return new AbstractSet<>() {
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
    }
}
