package dev.vecpersist.testkit.property;

import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Runs a property over generated cases, on plain JUnit 5 {@code @Test} methods.
 *
 * <p>Every run draws its cases from one seed, printed at the start; {@code -Dvecpersist.seed=N}
 * replays that run case for case. The first failing case fails the test with an AssertionError
 * that prints the case in full, its try number and the seed to replay it.
 */
public final class PropertyRunner {

    /** The system property that fixes the seed. */
    public static final String SEED_PROPERTY = "vecpersist.seed";

    private PropertyRunner() {
    }

    /**
     * A property of generated values.
     *
     * @param <T> the type of the values
     */
    @FunctionalInterface
    public interface Property<T> {
        /**
         * Checks one case.
         *
         * @param value the generated case
         * @throws Exception when the property does not hold (or cannot be checked)
         */
        void check(T value) throws Exception;
    }

    /**
     * Checks a property on {@code tries} generated cases, stopping at the first that fails.
     *
     * @param name     the property's name, for the log and the failure message
     * @param tries    how many cases to check
     * @param cases    the generator of the cases
     * @param property the property
     * @param <T>      the type of the cases
     * @throws AssertionError naming the failing case, its try and the seed
     */
    public static <T> void check(String name, int tries, Gen<T> cases, Property<T> property) {
        long seed = seed();
        System.out.printf(Locale.ROOT, "property '%s': %d tries, seed %d (replay with -D%s=%d)%n",
                name, tries, seed, SEED_PROPERTY, seed);
        SplittableRandom seeds = new SplittableRandom(seed);
        for (int i = 1; i <= tries; i++) {
            T value = cases.next(new SplittableRandom(seeds.nextLong()));
            try {
                property.check(value);
            } catch (Exception | AssertionError e) {
                throw new AssertionError(String.format(Locale.ROOT,
                        "property '%s' failed on try %d of %d (replay with -D%s=%d): %s%ncase: %s",
                        name, i, tries, SEED_PROPERTY, seed, e, CaseDescription.of(value)), e);
            }
        }
    }

    private static long seed() {
        String fixed = System.getProperty(SEED_PROPERTY);
        if (fixed == null || fixed.isBlank()) {
            return new SplittableRandom().nextLong();
        }
        try {
            return Long.parseLong(fixed.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("-D" + SEED_PROPERTY + " must be a long, not '" + fixed + "'", e);
        }
    }
}
