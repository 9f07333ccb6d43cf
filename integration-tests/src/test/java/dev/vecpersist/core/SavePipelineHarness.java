package dev.vecpersist.core;

import dev.vecpersist.api.CompressionCodec;
import dev.vecpersist.api.Metric;
import dev.vecpersist.api.StateFormat;
import dev.vecpersist.api.StateHeader;
import dev.vecpersist.core.io.FileOps;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Not a test: an A/B of the save paths in one JVM (profile-notes.md, "msgpack save"). Each round
 * saves the same database (the benchmarks' data: N x 384, seed 42) once on one thread (main's path),
 * once with entries checked on a second thread ({@link SaveEntries}), and writes the raw floats with
 * a FileChannel plus fsync (BaselineBenchmarks.rawWriteFsync), in a rotating order, after a GC
 * each. Prints medians of wall time and of the calling thread's CPU, and whether the two saves
 * wrote the same bytes. Arguments: N, rounds (the first two are warm-up), format[+codec], directory.
 */
public final class SavePipelineHarness {

    private static final int DIMENSION = 384;

    private SavePipelineHarness() {
    }

    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[0]);
        int rounds = Integer.parseInt(args[1]);
        String[] parts = args[2].split("\\+");
        Path dir = Files.createTempDirectory(Path.of(args[3]), "save-ab");
        VectorDB db = HarnessData.database(n);
        StateFormat format = Plugins.discover().format(parts[0]);
        CompressionCodec codec = parts.length > 1 ? Plugins.discover().codec(parts[1]) : null;
        StateHeader header = new StateHeader(format.formatVersion(), StateHeader.Kind.FULL, DIMENSION, Metric.COSINE, n, 0,
                Instant.ofEpochMilli(1_700_000_000_000L), Map.of(), null);
        StateFileWriter[] writers = {new StateFileWriter(FileOps.SYSTEM, null, Long.MAX_VALUE),
                new StateFileWriter(FileOps.SYSTEM, null, SaveEntries.pipelineFrom())};
        String[] names = {"one thread (main)", "check thread", "raw write+fsync"};
        double[][] wall = new double[3][rounds - 2];
        double[][] cpu = new double[3][rounds - 2];
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (int r = 0; r < rounds; r++) {
            for (int k = 0; k < 3; k++) {
                int v = (k + r) % 3;
                System.gc();
                Thread.sleep(50);
                Path target = dir.resolve("out-" + v);
                long c0 = threads.getCurrentThreadCpuTime();
                long t0 = System.nanoTime();
                if (v == 2) {
                    HarnessData.rawWriteFsync(db.snapshot(), target);
                } else {
                    writers[v].writeFile(target, format, codec, codec == null ? 0 : codec.defaultLevel(), header,
                            new StateFileWriter.Body(db.snapshot(), List.of()), new ProgressReporter("save", n, null, 10_000));
                }
                if (r >= 2) {
                    wall[v][r - 2] = (System.nanoTime() - t0) / 1e6;
                    cpu[v][r - 2] = (threads.getCurrentThreadCpuTime() - c0) / 1e6;
                }
            }
        }
        System.out.printf("%s, N=%d, %d rounds after 2 warm-up%n", args[2], n, rounds - 2);
        for (int v = 0; v < 3; v++) {
            System.out.printf("  %-18s wall median %8.1f ms (%.2fx raw), caller CPU median %7.1f ms%n", names[v],
                    HarnessData.median(wall[v]), HarnessData.median(wall[v]) / HarnessData.median(wall[2]), HarnessData.median(cpu[v]));
        }
        System.out.println("  same bytes: " + (Files.mismatch(dir.resolve("out-0"), dir.resolve("out-1")) == -1));
        for (int v = 0; v < 3; v++) {
            Files.delete(dir.resolve("out-" + v));
        }
        Files.delete(dir);
    }
}
