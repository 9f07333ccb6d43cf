package dev.vecpersist.api;

import java.util.AbstractMap;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The unmodifiable root map {@link MetadataValues#normalize} returns. Only that method creates one,
 * from a deep copy it has just checked, so its type alone proves that the tree below it is in the
 * value model and within the limits: normalising or checking it again returns at once (a load used
 * to walk every entry's metadata once to check it and again to copy it). Behaves as
 * {@link Collections#unmodifiableMap} over a {@link LinkedHashMap}.
 */
final class NormalizedMap extends AbstractMap<String, Object> {

    private final Map<String, Object> view;

    /** @param copy the fresh, checked copy; never modified again */
    NormalizedMap(Map<String, Object> copy) {
        this.view = Collections.unmodifiableMap(copy);
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
        return view.entrySet();
    }

    @Override
    public Set<String> keySet() {
        return view.keySet();
    }

    @Override
    public Collection<Object> values() {
        return view.values();
    }

    @Override
    public int size() {
        return view.size();
    }

    @Override
    public boolean isEmpty() {
        return view.isEmpty();
    }

    @Override
    public Object get(Object key) {
        return view.get(key);
    }

    @Override
    public boolean containsKey(Object key) {
        return view.containsKey(key);
    }

    @Override
    public void forEach(BiConsumer<? super String, ? super Object> action) {
        view.forEach(action);
    }

    @Override
    public Object getOrDefault(Object key, Object defaultValue) {
        return view.getOrDefault(key, defaultValue);
    }

    // the mutators go to the unmodifiable view, so that each throws as it does there, present key or not

    @Override
    public Object put(String key, Object value) {
        return view.put(key, value);
    }

    @Override
    public Object remove(Object key) {
        return view.remove(key);
    }

    @Override
    public void putAll(Map<? extends String, ?> m) {
        view.putAll(m);
    }

    @Override
    public void clear() {
        view.clear();
    }

    @Override
    public Object putIfAbsent(String key, Object value) {
        return view.putIfAbsent(key, value);
    }

    @Override
    public boolean remove(Object key, Object value) {
        return view.remove(key, value);
    }

    @Override
    public boolean replace(String key, Object oldValue, Object newValue) {
        return view.replace(key, oldValue, newValue);
    }

    @Override
    public Object replace(String key, Object value) {
        return view.replace(key, value);
    }

    @Override
    public void replaceAll(BiFunction<? super String, ? super Object, ?> function) {
        view.replaceAll(function);
    }

    @Override
    public Object computeIfAbsent(String key, Function<? super String, ?> mappingFunction) {
        return view.computeIfAbsent(key, mappingFunction);
    }

    @Override
    public Object computeIfPresent(String key, BiFunction<? super String, ? super Object, ?> remappingFunction) {
        return view.computeIfPresent(key, remappingFunction);
    }

    @Override
    public Object compute(String key, BiFunction<? super String, ? super Object, ?> remappingFunction) {
        return view.compute(key, remappingFunction);
    }

    @Override
    public Object merge(String key, Object value, BiFunction<? super Object, ? super Object, ?> remappingFunction) {
        return view.merge(key, value, remappingFunction);
    }

    @Override
    public boolean equals(Object o) {
        return o == this || view.equals(o);
    }

    @Override
    public int hashCode() {
        return view.hashCode();
    }

    @Override
    public String toString() {
        return view.toString();
    }
}
