package dev.vecpersist.benchmarks;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Where a process's CPU time went, for harnesses that measure one operation at a time: the whole
 * process ({@code getProcessCpuTime}), the JVM's garbage-collector threads (the workers of its
 * pauses and the VM thread apart from G1's concurrent marking, refinement and service threads, which
 * run beside the application and compete with it for cores) and its JIT compiler threads (each thread's {@code /proc/self/task/<tid>/schedstat}, nanoseconds, summed by the
 * thread's name), and the collections (count and pause time from the collectors' MXBeans). What
 * the process spent beyond the measuring thread, the collector and the compilers is the other
 * Java threads', e.g. a load's second thread, which ends before it could be asked. Linux only; on
 * another system the per-thread sums read 0.
 */
final class ProcessCpu {

    /** A reading, in nanoseconds except {@code collections} and {@code pauseMillis}. */
    record Reading(long process, long gcWorkers, long gcConcurrent, long jitThreads, long collections, long pauseMillis) {

        /** {@return this reading minus an earlier one} */
        Reading minus(Reading earlier) {
            return new Reading(process - earlier.process, gcWorkers - earlier.gcWorkers,
                    gcConcurrent - earlier.gcConcurrent, jitThreads - earlier.jitThreads,
                    collections - earlier.collections, pauseMillis - earlier.pauseMillis);
        }

        /** {@return the collector's threads, in pauses and concurrent} */
        long gcThreads() {
            return gcWorkers + gcConcurrent;
        }
    }

    private ProcessCpu() {
    }

    /** {@return the process's counters now} */
    static Reading now() {
        long gc = 0;
        long concurrent = 0;
        long jit = 0;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path task : tasks) {
                try {
                    String name = Files.readString(task.resolve("comm")).strip();
                    boolean isGc = name.startsWith("GC Thread") || name.startsWith("VM Thread");
                    boolean isConcurrent = name.startsWith("G1 ");
                    boolean isJit = name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler");
                    if (isGc || isConcurrent || isJit) {
                        String schedstat = Files.readString(task.resolve("schedstat"));
                        long ns = Long.parseLong(schedstat.substring(0, schedstat.indexOf(' ')));
                        if (isGc) {
                            gc += ns;
                        } else if (isConcurrent) {
                            concurrent += ns;
                        } else {
                            jit += ns;
                        }
                    }
                } catch (NoSuchFileException ended) {
                    // the thread ended between listing and reading
                }
            }
        } catch (IOException | RuntimeException notLinux) {
            gc = 0;
            concurrent = 0;
            jit = 0;
        }
        long collections = 0;
        long pause = 0;
        for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            collections += Math.max(0, collector.getCollectionCount());
            pause += Math.max(0, collector.getCollectionTime());
        }
        long process = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
        return new Reading(process, gc, concurrent, jit, collections, pause);
    }
}
