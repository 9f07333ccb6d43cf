package dev.vecpersist.benchmarks;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BenchmarksReportTest {

    private static String result(String method, String params, double score, String unit) {
        return "{\"benchmark\":\"dev.vecpersist.benchmarks.X." + method + "\",\"params\":{" + params + "},"
                + "\"primaryMetric\":{\"score\":" + score + ",\"scoreUnit\":\"" + unit + "\"}}";
    }

    @Test
    void rendersRowsWithReferenceEstimatesAndRatiosToBaselines() throws Exception {
        String json = "[" + String.join(",",
                result("save", "\"n\":\"1000\",\"format\":\"msgpack\"", 6.0, "ms/op"),
                result("rawWriteFsync", "\"n\":\"1000\"", 4.0, "ms/op"),
                result("rawWrite", "\"n\":\"1000\"", 2.0, "ms/op"),
                result("msgpackHandWrittenWrite", "\"n\":\"1000\"", 3.0, "ms/op"),
                result("save", "\"n\":\"1000\",\"format\":\"json\"", 0.12, "s/op"),
                result("jacksonStreamingWrite", "\"n\":\"1000\"", 100.0, "ms/op"),
                result("saveIncremental", "\"n\":\"1000\",\"format\":\"json\"", 6000.0, "us/op")) + "]";
        String md = BenchmarksReport.render(json, "Machine: test");
        assertThat(md).contains("Machine: test")
                .contains("| save msgpack | 1,000 | ~30 ms | 6.0 ms | 2.00 x hand-written msgpack; 1.50 x raw FileChannel+fsync; 3.00 x raw FileChannel, no fsync |")
                .contains("| save json | 1,000 | ~50 ms | 120 ms | 1.20 x hand-written Jackson streaming; 30.00 x raw FileChannel+fsync |")
                .contains("| saveIncremental json | 1,000 | ~10 ms | 6.0 ms | 0.05 x full save json |")
                .contains("| rawWrite | 2.0 ms |");
    }

    @Test
    void rendersLangChain4jRowsAgainstInMemoryEmbeddingStore() throws Exception {
        String json = "[" + String.join(",",
                result("save", "\"n\":\"10000\",\"store\":\"durable-msgpack\"", 50.0, "ms/op"),
                result("save", "\"n\":\"10000\",\"store\":\"InMemoryEmbeddingStore\"", 500.0, "ms/op"),
                result("load", "\"n\":\"10000\",\"store\":\"durable-json\"", 0.4, "s/op"),
                result("load", "\"n\":\"10000\",\"store\":\"InMemoryEmbeddingStore\"", 800.0, "ms/op")) + "]";
        String md = BenchmarksReport.render(json, "Machine: test");
        assertThat(md).contains("| langchain4j save InMemoryEmbeddingStore | 10,000 | - | 500 ms |  |")
                .contains("| langchain4j save durable-msgpack | 10,000 | - | 50.0 ms | 0.10 x InMemoryEmbeddingStore.serializeToFile |")
                .contains("| langchain4j load durable-json | 10,000 | - | 400 ms | 0.50 x InMemoryEmbeddingStore.fromFile |")
                .doesNotContain("durable-json | 10,000 | - | 50.0");
    }
}
