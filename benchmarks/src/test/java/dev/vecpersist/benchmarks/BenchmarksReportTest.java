package dev.vecpersist.benchmarks;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BenchmarksReportTest {

    private static String result(String method, String params, double score, double error, String unit) {
        return "{\"benchmark\":\"dev.vecpersist.benchmarks.X." + method + "\",\"params\":{" + params + "},"
                + "\"primaryMetric\":{\"score\":" + score + ",\"scoreError\":" + error + ",\"scoreUnit\":\"" + unit + "\","
                + "\"rawData\":[[1,2,3]]}}";
    }

    /** A result without a score error (a single-iteration run). */
    private static String result(String method, String params, double score, String unit) {
        return "{\"benchmark\":\"dev.vecpersist.benchmarks.X." + method + "\",\"params\":{" + params + "},"
                + "\"primaryMetric\":{\"score\":" + score + ",\"scoreUnit\":\"" + unit + "\","
                + "\"rawData\":[[1,2,3]]}}";
    }

    @Test
    void rendersGoalsRowsWithErrorsReferenceTimesAndRatiosToBaselines() throws Exception {
        String json = "[" + String.join(",",
                result("save", "\"n\":\"1000\",\"format\":\"msgpack\"", 6.0, 0.5, "ms/op"),
                result("rawWriteFsync", "\"n\":\"1000\"", 5.0, 0.1, "ms/op"),
                result("load", "\"n\":\"1000\",\"format\":\"msgpack\"", 40.0, 20.0, "ms/op"),
                result("rawRead", "\"n\":\"1000\"", 10.0, 0.5, "ms/op"),
                result("rawWrite", "\"n\":\"1000\"", 2.0, 0.1, "ms/op"),
                result("msgpackHandWrittenWrite", "\"n\":\"1000\"", 3.0, 0.1, "ms/op"),
                result("save", "\"n\":\"1000\",\"format\":\"json\"", 0.12, 0.01, "s/op"),
                result("jacksonStreamingWrite", "\"n\":\"1000\"", 300.0, 10.0, "ms/op"),
                result("langchain4jSerializeToFile", "\"n\":\"1000\"", 240.0, 10.0, "ms/op"),
                result("saveCompressed", "\"n\":\"1000\",\"combination\":\"json+gzip\"", 200.0, 10.0, "ms/op"),
                result("compressOnly", "\"n\":\"1000\",\"combination\":\"json+gzip\"", 160.0, 10.0, "ms/op"),
                result("saveIncremental", "\"n\":\"1000\",\"format\":\"json\"", 6000.0, 100.0, "us/op")) + "]";
        String md = BenchmarksReport.render(json, "Machine: test");
        assertThat(md).contains("Machine: test")
                .contains("| msgpack save | 1,000 | <= 1.5x raw FileChannel write + fsync | 1.20 x rawWriteFsync | met |")
                .contains("| json save | 1,000 | <= 0.5x hand-written Jackson streaming writer | 0.40 x jacksonStreamingWrite | met |")
                .contains("| json save | 1,000 | >= 3x faster than LangChain4j serializeToFile | 2.00x faster (0.50 x langchain4jSerializeToFile) | not met |")
                // an error above 10% of the mean makes a verdict inconclusive
                .contains("| msgpack load | 1,000 | <= 3x raw FileChannel read into float[] | 4.00 x rawRead | not met (inconclusive: error > 10% of the mean) |")
                // the slower of serialising (120 ms) and compressing (160 ms) alone
                .contains("| compressed saves | 1,000 | json+gzip <= 1.3x the slower of serialising, compressing | 1.25 x max(save json,compressOnly json+gzip) | met |")
                .contains("| save msgpack | 1,000 | 93.0 ms | 6.0 ms +- 0.5 ms (3 it.) | 2.00 x hand-written msgpack; 1.20 x raw FileChannel+fsync; 3.00 x raw FileChannel, no fsync |")
                .contains("| save json | 1,000 | 111 ms | 120 ms +- 10.0 ms (3 it.) | 0.40 x hand-written Jackson streaming; 0.50 x LangChain4j serializeToFile; 24.00 x raw FileChannel+fsync |")
                .contains("| saveIncremental json | 1,000 | 95.0 ms | 6.0 ms +- 0.1 ms (3 it.) | 0.05 x full save json |")
                .contains("| rawWrite | 2.0 ms +- 0.1 ms (3 it.) |")
                .doesNotContain("springAiSave |");
    }

    @Test
    void namesTheForksJvmOptionsWithoutTheDataDirectory() throws Exception {
        String withArgs = "{\"benchmark\":\"dev.vecpersist.benchmarks.X.rawRead\",\"jvmArgs\":[\"-Xms3g\",\"-Xmx3g\","
                + "\"-Dvecpersist.bench.dir=target/goals-run/data\"],\"params\":{\"n\":\"1000\"},"
                + "\"primaryMetric\":{\"score\":5.0,\"scoreError\":0.1,\"scoreUnit\":\"ms/op\",\"rawData\":[[1,2,3]]}}";
        String md = BenchmarksReport.render("[" + withArgs + "]", "Machine: test.");
        assertThat(md).contains("Machine: test. JMH forks ran with `-Xms3g -Xmx3g`.").doesNotContain("bench.dir");
        assertThat(BenchmarksReport.render("[" + result("rawRead", "\"n\":\"1000\"", 5.0, 0.1, "ms/op") + "]", "Machine: test."))
                .contains("Machine: test.\n\n## Goals");
    }

    @Test
    void rendersLangChain4jRowsAgainstInMemoryEmbeddingStore() throws Exception {
        String json = "[" + String.join(",",
                result("save", "\"n\":\"10000\",\"store\":\"durable-msgpack\"", 50.0, 1.0, "ms/op"),
                result("save", "\"n\":\"10000\",\"store\":\"InMemoryEmbeddingStore\"", 500.0, 10.0, "ms/op"),
                result("load", "\"n\":\"10000\",\"store\":\"durable-json\"", 0.4, 0.01, "s/op"),
                result("load", "\"n\":\"10000\",\"store\":\"InMemoryEmbeddingStore\"", 800.0, 10.0, "ms/op")) + "]";
        String md = BenchmarksReport.render(json, "Machine: test");
        assertThat(md).contains("| langchain4j save InMemoryEmbeddingStore | 10,000 | - | 500 ms")
                .containsPattern("\\| langchain4j save durable-msgpack \\| 10,000 \\| - \\| 50\\.0 ms .*\\| 0\\.10 x InMemoryEmbeddingStore\\.serializeToFile \\|")
                .containsPattern("\\| langchain4j load durable-json \\| 10,000 \\| - \\| 400 ms .*\\| 0\\.50 x InMemoryEmbeddingStore\\.fromFile \\|");
    }
}
