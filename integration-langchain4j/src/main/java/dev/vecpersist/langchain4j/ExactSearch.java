package dev.vecpersist.langchain4j;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.store.embedding.CosineSimilarity;
import dev.langchain4j.store.embedding.EmbeddingMatch;
import dev.langchain4j.store.embedding.EmbeddingSearchRequest;
import dev.langchain4j.store.embedding.EmbeddingSearchResult;
import dev.langchain4j.store.embedding.RelevanceScore;
import dev.langchain4j.store.embedding.filter.Filter;
import dev.vecpersist.api.VectorEntry;
import dev.vecpersist.core.VectorDB;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Exact search over a database's entries, scored and filtered as LangChain4j's
 * {@code InMemoryEmbeddingStore} does: relevance score {@code (cosine + 1) / 2} from LangChain4j's
 * own {@link CosineSimilarity}, and an entry without a segment matches no filter.
 */
final class ExactSearch {

    private record Candidate(VectorEntry entry, TextSegment segment, double score) {
    }

    private ExactSearch() {
    }

    /**
     * Scores every entry the filter accepts against the query, on one point-in-time view of the database.
     *
     * @param db      the database
     * @param request the query embedding, {@code maxResults}, {@code minScore} and optional filter
     * @return up to {@code maxResults} matches scoring at least {@code minScore}, best first
     * @throws IllegalArgumentException when the query has another dimension
     */
    static EmbeddingSearchResult<TextSegment> search(VectorDB db, EmbeddingSearchRequest request) {
        Embedding query = request.queryEmbedding();
        if (query.dimension() != db.dimension()) {
            throw new IllegalArgumentException("query embedding has " + query.dimension()
                    + " dimensions, the store holds " + db.dimension());
        }
        Filter filter = request.filter();
        Comparator<Candidate> byScore = Comparator.comparingDouble(Candidate::score);
        PriorityQueue<Candidate> best = new PriorityQueue<>(byScore);
        for (VectorEntry e : db.snapshot()) {
            TextSegment segment = null;
            if (filter != null) {
                segment = SegmentCodec.decode(e.id(), e.metadata());
                if (!matches(filter, segment)) {
                    continue;
                }
            }
            double score = RelevanceScore.fromCosineSimilarity(CosineSimilarity.between(query, new Embedding(e.vector())));
            if (score >= request.minScore()) {
                best.add(new Candidate(e, segment, score));
                if (best.size() > request.maxResults()) {
                    best.poll();
                }
            }
        }
        List<Candidate> ranked = new ArrayList<>(best);
        ranked.sort(byScore.reversed());
        List<EmbeddingMatch<TextSegment>> matches = new ArrayList<>(ranked.size());
        for (Candidate c : ranked) {
            VectorEntry e = c.entry();
            TextSegment segment = filter != null ? c.segment() : SegmentCodec.decode(e.id(), e.metadata());
            matches.add(new EmbeddingMatch<>(c.score(), e.id(), Embedding.from(e.vector().clone()), segment));
        }
        return new EmbeddingSearchResult<>(matches);
    }

    /**
     * Whether a filter accepts an entry's segment.
     *
     * @param filter  the filter
     * @param segment the entry's segment, or null when it has none (then it matches no filter)
     * @return whether it matches
     */
    static boolean matches(Filter filter, TextSegment segment) {
        return segment != null && filter.test(segment.metadata());
    }
}
