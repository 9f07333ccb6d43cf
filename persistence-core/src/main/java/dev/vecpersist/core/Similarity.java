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
        return (float) Math.sqrt(sumOfSquares(v));
    }

    /**
     * The sum of the squares of the components, in double: a double holds the square of any finite
     * float (at most about 1.2e77) and the sum of 2^31 of them, so the sum is finite exactly when
     * every component is (a load checks its vectors with the sum its norms need).
     *
     * @param v the components
     * @return the sum; NaN or infinite only when a component is
     */
    static double sumOfSquares(float[] v) {
        // four independent sums: one chain of dependent adds was the largest self time of a load under JFR
        double a0 = 0;
        double a1 = 0;
        double a2 = 0;
        double a3 = 0;
        int i = 0;
        for (int end = v.length & ~3; i < end; i += 4) {
            a0 += (double) v[i] * v[i];
            a1 += (double) v[i + 1] * v[i + 1];
            a2 += (double) v[i + 2] * v[i + 2];
            a3 += (double) v[i + 3] * v[i + 3];
        }
        for (; i < v.length; i++) {
            a0 += (double) v[i] * v[i];
        }
        return (a0 + a1) + (a2 + a3);
    }
}
