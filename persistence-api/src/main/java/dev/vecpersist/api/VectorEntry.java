package dev.vecpersist.api;

import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

/**
 * One stored vector: its id, its components and its metadata.
 *
 * <p>The record does not copy its arguments: whoever builds one hands over the array and map.
 * Databases copy what callers give them and never change a stored entry, so an entry read from a
 * database may be shared but must not be modified.
 *
 * <p>Equality compares the vectors bit for bit ({@link Arrays#equals(float[], float[])}) and the
 * metadata with {@link Map#equals(Object)}.
 *
 * @param id       non-empty identifier, unique within a database
 * @param vector   the components (float32)
 * @param metadata free-form metadata: values are {@code String}, {@code Boolean}, {@code Long},
 *                 {@code Double}, {@code null}, {@code List} or {@code Map<String, ?>} of those; never null
 */
public record VectorEntry(String id, float[] vector, Map<String, Object> metadata) {

    /**
     * Rejects a null id or vector; a null metadata map becomes empty.
     *
     * @param id       the identifier
     * @param vector   the components, not copied
     * @param metadata the metadata, not copied, or null for none
     * @throws NullPointerException when id or vector is null
     */
    public VectorEntry {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(vector, "vector");
        metadata = metadata == null ? Map.of() : metadata;
    }

    /**
     * An entry without metadata.
     *
     * @param id     the identifier
     * @param vector the components, not copied
     */
    public VectorEntry(String id, float[] vector) {
        this(id, vector, Map.of());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VectorEntry other
                && id.equals(other.id)
                && Arrays.equals(vector, other.vector)
                && metadata.equals(other.metadata);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * id.hashCode() + Arrays.hashCode(vector)) + metadata.hashCode();
    }

    @Override
    public String toString() {
        String head = vector.length <= 4
                ? Arrays.toString(vector)
                : "[" + vector[0] + ", " + vector[1] + ", " + vector[2] + ", ... (" + vector.length + " dims)]";
        return "VectorEntry[id=" + id + ", vector=" + head + ", metadata=" + metadata + "]";
    }
}
