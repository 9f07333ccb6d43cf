package dev.vecpersist.core;

/**
 * One neighbour found by {@link VectorDB#search(float[], int)}.
 *
 * @param id    the entry's id
 * @param score cosine similarity or dot product (higher is closer), or Euclidean distance (lower is closer)
 */
public record SearchResult(String id, double score) {
}
