package dev.vecpersist.core;

import dev.vecpersist.api.Metric;

/** How close a vector is to a query under a {@link Metric}, computed exactly. Stateless. */
final class Similarity {

    private Similarity() {
    }

    /**
     * The score of {@code v} for {@code query}: cosine similarity or dot product (higher is better),
     * or Euclidean distance (lower is better).
     *
     * @param queryNorm the query's {@link #norm(float[])}
     * @param norm      {@code v}'s norm, kept beside it so that it is computed once
     */
    static double score(Metric metric, float[] query, float queryNorm, float[] v, float norm) {
        double acc = 0;
        if (metric == Metric.EUCLIDEAN) {
            for (int i = 0; i < v.length; i++) {
                double d = query[i] - v[i];
                acc += d * d;
            }
            return Math.sqrt(acc);
        }
        for (int i = 0; i < v.length; i++) {
            acc += query[i] * v[i];
        }
        if (metric == Metric.DOT) {
            return acc;
        }
        double denominator = (double) queryNorm * norm;
        return denominator == 0 ? 0 : acc / denominator;
    }

    /** {@return the Euclidean length of {@code v}} */
    static float norm(float[] v) {
        double acc = 0;
        for (float x : v) {
            acc += (double) x * x;
        }
        return (float) Math.sqrt(acc);
    }
}
