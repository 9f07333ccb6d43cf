package dev.vecpersist.benchmarks;

import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

import java.util.Collection;

import static org.assertj.core.api.Assertions.assertThat;

/** The LangChain4j rows in quick mode (tiny N, in-process, one iteration), so that they never rot. */
class LangChain4jBenchmarksQuickTest {

    @Test
    void everyStoreSavesAndLoads() throws Exception {
        Options options = new OptionsBuilder()
                .include("LangChain4jBenchmarks\\.(save|load)$")
                .param("n", "500")
                .forks(0).warmupIterations(0).measurementIterations(1)
                .shouldFailOnError(true)
                .build();
        Collection<RunResult> results = new Runner(options).run();
        assertThat(results).hasSize(6);
        for (RunResult r : results) {
            assertThat(r.getPrimaryResult().getScore()).as(r.getParams().getBenchmark()).isPositive();
        }
    }
}
