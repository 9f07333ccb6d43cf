package dev.vecpersist.core;

import dev.vecpersist.api.MetadataValues;
import dev.vecpersist.api.ValueLimits;
import dev.vecpersist.api.VectorEntry;

import java.util.Map;

/** The rules every stored entry obeys, checked on insert, before each entry a writer writes, and on load. */
public final class EntryRules {

    private EntryRules() {
    }

    /**
     * Checks an entry against a database's dimension and {@link ValueLimits}: a non-empty, valid
     * Unicode id within the id limit, exactly {@code dimension} components, all finite, and metadata
     * in the value model within the limits.
     *
     * @param entry     the entry, possibly null
     * @param dimension the database's dimension
     * @return null when the entry is valid, otherwise what is wrong with it
     */
    public static String problem(VectorEntry entry, int dimension) {
        String problem = idOrVectorProblem(entry, dimension, false);
        if (problem != null) {
            return problem;
        }
        String metadata = MetadataValues.problem(entry.metadata());
        return metadata == null ? null : metadataProblem(entry, metadata);
    }

    /**
     * Checks an entry as {@link #problem} does and normalises its metadata in the same walk (a load
     * then checks and copies each entry's metadata once; the database adopts the copy as it is).
     * The caller has summed the squares of the vector's components ({@link Similarity#sumOfSquares},
     * which a load needs for the norms anyway): that sum is finite exactly when every component is,
     * so only a sum that is not finite needs the pass over the components, which then names the
     * first component that is not finite, as {@link #problem} does.
     *
     * @param entry        the entry
     * @param dimension    the database's dimension
     * @param sumOfSquares {@link Similarity#sumOfSquares} of the entry's vector
     * @return the entry with its metadata normalised ({@code entry} itself when it already was)
     * @throws IllegalArgumentException with {@link #problem}'s message when the entry is not valid
     */
    static VectorEntry normalized(VectorEntry entry, int dimension, double sumOfSquares) {
        String problem = idOrVectorProblem(entry, dimension, Double.isFinite(sumOfSquares));
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        Map<String, Object> metadata;
        try {
            metadata = MetadataValues.normalize(entry.metadata());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(metadataProblem(entry, e.getMessage()), e);
        }
        return metadata == entry.metadata() ? entry : new VectorEntry(entry.id(), entry.vector(), metadata);
    }

    private static String metadataProblem(VectorEntry entry, String problem) {
        return "entry '" + ValueLimits.preview(entry.id()) + "': " + problem;
    }

    /** @param knownFinite whether every component is known to be finite, so that the pass over them is not needed */
    private static String idOrVectorProblem(VectorEntry entry, int dimension, boolean knownFinite) {
        if (entry == null) {
            return "entry is null";
        }
        String id = idProblem(entry.id());
        if (id != null) {
            return id;
        }
        float[] v = entry.vector();
        if (v == null) {
            return "entry '" + ValueLimits.preview(entry.id()) + "' has no vector";
        }
        if (v.length != dimension) {
            return "entry '" + ValueLimits.preview(entry.id()) + "' has " + v.length + " components, the database has dimension " + dimension;
        }
        if (knownFinite) {
            return null;
        }
        // branch-free first: only an all-ones exponent (NaN, infinity) carries into bit 31
        int acc = 0;
        for (float f : v) {
            acc |= (Float.floatToRawIntBits(f) & 0x7f800000) + 0x00800000;
        }
        if (acc < 0) {
            for (int i = 0; i < v.length; i++) {
                if (!Float.isFinite(v[i])) {
                    return "entry '" + ValueLimits.preview(entry.id()) + "' has a non-finite component " + v[i] + " at index " + i;
                }
            }
        }
        return null;
    }

    /**
     * Checks a deleted id against {@link ValueLimits} (length and valid Unicode).
     *
     * @param id the id, possibly null
     * @return null when it is valid, otherwise what is wrong with it
     */
    public static String deletedIdProblem(String id) {
        if (id == null) {
            return "deleted id is null";
        }
        try {
            ValueLimits.checkString(id, ValueLimits.MAX_ID_BYTES, "deleted id '" + ValueLimits.preview(id) + "'");
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    private static String idProblem(String id) {
        try {
            ValueLimits.checkId(id);
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
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
