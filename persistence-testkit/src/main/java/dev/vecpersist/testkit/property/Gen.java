package dev.vecpersist.testkit.property;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A generator of random values for property tests: everything it makes comes from the random source
 * it is given, so one seed reproduces one case.
 *
 * @param <T> the type of the values
 */
@FunctionalInterface
public interface Gen<T> {

    /** Attempts a {@link #filter(Predicate)} or a unique list makes before it gives up. */
    int MAX_ATTEMPTS = 10_000;

    /**
     * Makes one value.
     *
     * @param random the only source of randomness
     * @return the value
     */
    T next(SplittableRandom random);

    /**
     * Values of this generator, transformed.
     *
     * @param f   the transformation
     * @param <R> the type of the results
     * @return the new generator
     */
    default <R> Gen<R> map(Function<? super T, ? extends R> f) {
        return random -> f.apply(next(random));
    }

    /**
     * A generator chosen by a value of this one (e.g. vectors of a generated dimension).
     *
     * @param f   the generator for each value
     * @param <R> the type of the results
     * @return the new generator
     */
    default <R> Gen<R> flatMap(Function<? super T, Gen<R>> f) {
        return random -> f.apply(next(random)).next(random);
    }

    /**
     * Only the values that satisfy a predicate.
     *
     * @param accept the predicate
     * @return the new generator, which throws IllegalStateException after {@link #MAX_ATTEMPTS} rejections
     */
    default Gen<T> filter(Predicate<? super T> accept) {
        return random -> {
            for (int i = 0; i < MAX_ATTEMPTS; i++) {
                T value = next(random);
                if (accept.test(value)) {
                    return value;
                }
            }
            throw new IllegalStateException("filter rejected " + MAX_ATTEMPTS + " values in a row");
        };
    }

    /**
     * This generator's values, or null with a probability.
     *
     * @param probability of null, between 0 and 1
     * @return the new generator
     */
    default Gen<T> orNull(double probability) {
        return random -> random.nextDouble() < probability ? null : next(random);
    }

    /**
     * Lists of this generator's values; sizes favour both bounds (empty lists come often).
     *
     * @param minSize the smallest size
     * @param maxSize the largest size
     * @return the new generator
     */
    default Gen<List<T>> list(int minSize, int maxSize) {
        return random -> {
            int size = Generators.size(random, minSize, maxSize);
            List<T> out = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                out.add(next(random));
            }
            return out;
        };
    }

    /**
     * Lists whose values have distinct keys; a value whose key is taken is drawn again.
     *
     * @param minSize the smallest size
     * @param maxSize the largest size
     * @param key     what must be unique (the value itself, an entry's id)
     * @return the new generator, which throws IllegalStateException when it cannot reach the size drawn
     */
    default Gen<List<T>> uniqueList(int minSize, int maxSize, Function<? super T, ?> key) {
        return random -> {
            int size = Generators.size(random, minSize, maxSize);
            List<T> out = new ArrayList<>(size);
            Set<Object> keys = new HashSet<>();
            for (int attempts = 0; out.size() < size; attempts++) {
                if (attempts == MAX_ATTEMPTS) {
                    throw new IllegalStateException("cannot make " + size + " values with distinct keys");
                }
                T value = next(random);
                if (keys.add(key.apply(value))) {
                    out.add(value);
                }
            }
            return out;
        };
    }
}
