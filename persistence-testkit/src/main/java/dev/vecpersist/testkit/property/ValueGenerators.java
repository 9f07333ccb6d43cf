package dev.vecpersist.testkit.property;

import dev.vecpersist.api.VectorEntry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Generators of the persistence value model: ids, vectors, metadata and entries. */
public final class ValueGenerators {

    private ValueGenerators() {
    }

    /**
     * Entry ids: 1 to 20 code points of any well-formed Unicode.
     *
     * @return the generator
     */
    public static Gen<String> ids() {
        return Generators.strings(1, 20);
    }

    /**
     * Vectors of finite floats (edge values, subnormals, any bits).
     *
     * @param dimension their length
     * @return the generator
     */
    public static Gen<float[]> vectors(int dimension) {
        return Generators.floatArrays(Generators.finiteFloats(), dimension);
    }

    /**
     * Metadata maps of up to 4 keys (up to 8 code points each, the empty key included), nested up to
     * {@code depth} levels of lists and maps.
     *
     * @param depth how many levels of containers a value may add
     * @return the generator
     */
    public static Gen<Map<String, Object>> metadata(int depth) {
        Gen<String> keys = Generators.strings(0, 8);
        return value(depth).list(0, 4).flatMap(values -> keys.uniqueList(values.size(), values.size(), k -> k).map(ks -> {
            Map<String, Object> m = new LinkedHashMap<>();
            for (int i = 0; i < ks.size(); i++) {
                m.put(ks.get(i), values.get(i));
            }
            return m;
        }));
    }

    /**
     * One metadata value: a string (or null, one time in 10), a long, a finite double, a boolean,
     * and when {@code depth > 0} a list of up to 3 values or a map, one level less deep.
     *
     * @param depth how many levels of containers the value may add
     * @return the generator
     */
    public static Gen<Object> value(int depth) {
        List<Gen<?>> all = new ArrayList<>(List.of(Generators.strings(0, 10).orNull(0.1), Generators.longs(),
                Generators.finiteDoubles(), Generators.booleans()));
        if (depth > 0) {
            all.add(random -> value(depth - 1).list(0, 3).next(random));
            all.add(random -> metadata(depth - 1).next(random));
        }
        List<Gen<? extends Object>> choices = List.copyOf(all);
        return Generators.oneOf(choices);
    }

    /**
     * Entries of the given dimension with nested metadata.
     *
     * @param dimension the vectors' length
     * @return the generator
     */
    public static Gen<VectorEntry> entries(int dimension) {
        Gen<String> ids = ids();
        Gen<float[]> vectors = vectors(dimension);
        Gen<Map<String, Object>> metadata = metadata(3);
        return random -> new VectorEntry(ids.next(random), vectors.next(random), metadata.next(random));
    }
}
