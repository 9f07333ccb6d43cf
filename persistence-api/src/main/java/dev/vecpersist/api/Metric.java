package dev.vecpersist.api;

import java.util.Locale;

/** The similarity measure a database ranks its neighbours by. */
public enum Metric {
    /** Cosine similarity: higher is closer. */
    COSINE,
    /** Euclidean (L2) distance: lower is closer. */
    EUCLIDEAN,
    /** Dot product: higher is closer. */
    DOT;

    /** {@return the lower-case name stored in files, e.g. {@code "cosine"}} */
    public String fileName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses a stored metric name, case-insensitively.
     *
     * @param name the stored name, e.g. {@code "cosine"}
     * @return the metric
     * @throws IllegalArgumentException when the name is not a known metric
     */
    public static Metric fromFileName(String name) {
        if (name != null) {
            for (Metric m : values()) {
                if (m.name().equalsIgnoreCase(name)) {
                    return m;
                }
            }
        }
        throw new IllegalArgumentException("unknown metric '" + name + "' (known: cosine, euclidean, dot)");
    }
}
