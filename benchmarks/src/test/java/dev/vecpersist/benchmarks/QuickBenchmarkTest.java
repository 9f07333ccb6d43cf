package dev.vecpersist.benchmarks;

import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.util.Collection;

import static org.assertj.core.api.Assertions.assertThat;

/** The quick mode CI runs so that the benchmarks never rot: tiny N, in-process, one iteration. */
class QuickBenchmarkTest {

    @Test
    void aFewRowsRunAndProduceScores() throws Exception {
        Options options = new OptionsBuilder()
                .include("LibraryBenchmarks\\.(save|load|saveIncremental)$")
                .include("BaselineBenchmarks\\.(rawWriteFsync|msgpackHandWrittenWrite)$")
                .include("RestoreBenchmarks\\.restoreSnapshotAfterOnePercentChanged$")
                .param("n", "1000").param("format", "msgpack", "json")
                .forks(0).warmupIterations(1).measurementIterations(2)
                .warmupTime(TimeValue.milliseconds(100)).measurementTime(TimeValue.milliseconds(100))
                .shouldFailOnError(true)
                .build();
        Collection<RunResult> results = new Runner(options).run();
        assertThat(results).hasSizeGreaterThanOrEqualTo(8);
        for (RunResult r : results) {
            assertThat(r.getPrimaryResult().getScore()).as(r.getParams().getBenchmark()).isPositive();
        }
    }
}
