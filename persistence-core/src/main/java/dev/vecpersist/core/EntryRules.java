package dev.vecpersist.core;

import dev.vecpersist.api.VectorEntry;

/** The rules every stored entry obeys, checked on insert and on load. */
public final class EntryRules {

    private EntryRules() {
    }

    /**
     * Checks an entry against a database's dimension: a non-empty id, exactly {@code dimension}
     * components, all finite.
     *
     * @param entry     the entry, possibly null
     * @param dimension the database's dimension
     * @return null when the entry is valid, otherwise what is wrong with it
     */
    public static String problem(VectorEntry entry, int dimension) {
        if (entry == null) {
            return "entry is null";
        }
        if (entry.id() == null || entry.id().isEmpty()) {
            return "id is empty";
        }
        float[] v = entry.vector();
        if (v == null) {
            return "entry '" + entry.id() + "' has no vector";
        }
        if (v.length != dimension) {
            return "entry '" + entry.id() + "' has " + v.length + " components, the database has dimension " + dimension;
        }
        // branch-free first: only an all-ones exponent (NaN, infinity) carries into bit 31
        int acc = 0;
        for (float f : v) {
            acc |= (Float.floatToRawIntBits(f) & 0x7f800000) + 0x00800000;
        }
        if (acc < 0) {
            for (int i = 0; i < v.length; i++) {
                if (!Float.isFinite(v[i])) {
                    return "entry '" + entry.id() + "' has a non-finite component " + v[i] + " at index " + i;
                }
            }
        }
        return null;
    }

    /**
     * Like {@link #problem} but throws.
     *
     * @param entry     the entry
     * @param dimension the database's dimension
     * @throws IllegalArgumentException saying what is wrong with the entry
     */
    public static void check(VectorEntry entry, int dimension) {
        String problem = problem(entry, dimension);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
    }
}
