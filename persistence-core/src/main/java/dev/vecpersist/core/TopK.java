package dev.vecpersist.core;

import dev.vecpersist.api.Metric;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/** The {@code k} best scores offered so far, by a metric's order (lower is better for Euclidean distance). Not thread-safe. */
final class TopK {

    private final int k;
    private final boolean lowerIsBetter;
    /** The head is the worst of the best {@code k} so far. */
    private final PriorityQueue<SearchResult> best;

    TopK(int k, Metric metric) {
        this.k = k;
        this.lowerIsBetter = metric == Metric.EUCLIDEAN;
        this.best = new PriorityQueue<>(k + 1, lowerIsBetter
                ? (a, b) -> Double.compare(b.score(), a.score())
                : (a, b) -> Double.compare(a.score(), b.score()));
    }

    void offer(String id, double score) {
        if (best.size() < k) {
            best.add(new SearchResult(id, score));
        } else if (lowerIsBetter ? score < best.peek().score() : score > best.peek().score()) {
            best.poll();
            best.add(new SearchResult(id, score));
        }
    }

    /** {@return the results, best first} */
    List<SearchResult> results() {
        List<SearchResult> out = new ArrayList<>(best);
        out.sort(best.comparator().reversed());
        return out;
    }
}
