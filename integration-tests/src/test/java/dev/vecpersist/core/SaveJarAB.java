package dev.vecpersist.core;

import dev.vecpersist.api.Metric;
import dev.vecpersist.api.VectorEntry;

import java.lang.management.ManagementFactory;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Not a test: an A/B of two builds' saves in one JVM. Each build (a {@code benchmarks.jar}, which holds
 * every module) is loaded by its own class loader and saves the benchmarks' data (N x 384, seed 42)
 * with {@code DatabasePersistence.save(Path)}, as {@code LibraryBenchmarks.save} does; between them the
 * raw FileChannel write+fsync of the same floats ({@code BaselineBenchmarks.rawWriteFsync}). The
 * order rotates every round, a GC before each. Prints medians of wall time and of the calling
 * thread's CPU, the mean process CPU (10 ms ticks), each build's ratio to the raw write, the paired
 * per-round difference and the load average.
 * Arguments: N, rounds (the first two are warm-up), format, directory, jar A, jar B. Run it with the
 * test classes on the class path: {@code java -Xmx3g -cp integration-tests/target/test-classes:...
 * dev.vecpersist.core.SaveJarAB 10000 40 msgpack /tmp main.jar branch.jar}.
 */
public final class SaveJarAB {

    private SaveJarAB() {
    }

    /** Runs inside one build's class loader: its database and its manager. */
    public static final class Runner {
        private final DatabasePersistence saver;
        private final Path target;

        /**
         * @param n      entries
         * @param dir    where to save
         * @param format the format's name
         */
        public Runner(int n, Path dir, String format) {
            VectorDB db = new VectorDB(384, Metric.COSINE);
            List<VectorEntry> batch = new ArrayList<>(1000);
            Random random = new Random(42);
            for (int i = 0; i < n; i++) {
                batch.add(entry(random, i));
                if (batch.size() == 1000) {
                    db.insertBatch(batch);
                    batch.clear();
                }
            }
            db.insertBatch(batch);
            saver = new DatabasePersistence(db, PersistenceOptions.builder().baseDir(dir.resolve("save"))
                    .format(format).build());
            target = dir.resolve("bench." + format);
        }

        /** Saves once. */
        public void save() {
            saver.save(target);
        }

        /** Ends the manager. */
        public void close() {
            saver.close();
        }
    }

    /** The benchmarks' entry (Data.entry). */
    static VectorEntry entry(Random random, long index) {
        String[] categories = {"A", "B", "C"};
        float[] v = new float[384];
        for (int d = 0; d < v.length; d++) {
            v[d] = random.nextFloat() * 2 - 1;
        }
        return new VectorEntry("vec-" + index, v, Map.of("index", index, "category", categories[(int) (index % 3)],
                "timestamp", 1_700_000_000_000L + index));
    }

    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[0]);
        int rounds = Integer.parseInt(args[1]);
        String format = args[2];
        Path base = Files.createTempDirectory(Path.of(args[3]), "save-jar-ab");
        String[] names = {"A " + Path.of(args[4]).getFileName(), "B " + Path.of(args[5]).getFileName(), "raw"};
        URL here = SaveJarAB.class.getProtectionDomain().getCodeSource().getLocation();
        Object[] runners = new Object[2];
        Method[] saves = new Method[2];
        for (int b = 0; b < 2; b++) {
            // the jar first: the build's own classes; the test classes only add the runner
            URLClassLoader loader = new URLClassLoader(new URL[]{Path.of(args[4 + b]).toUri().toURL(), here},
                    ClassLoader.getPlatformClassLoader());
            Class<?> runner = loader.loadClass(Runner.class.getName());
            Constructor<?> c = runner.getConstructor(int.class, Path.class, String.class);
            Path dir = Files.createDirectories(base.resolve("build-" + b));
            runners[b] = c.newInstance(n, dir, format);
            saves[b] = runner.getMethod("save");
        }
        List<VectorEntry> entries = new ArrayList<>(n);
        Random random = new Random(42);
        for (int i = 0; i < n; i++) {
            entries.add(entry(random, i));
        }
        Path raw = base.resolve("raw-out.bin");
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        var threads = ManagementFactory.getThreadMXBean();
        int measured = rounds - 2;
        double[][] wall = new double[3][measured];
        double[][] caller = new double[3][measured];
        double[][] process = new double[3][measured];
        double[] load = new double[measured];
        for (int r = 0; r < rounds; r++) {
            for (int k = 0; k < 3; k++) {
                int v = (k + r) % 3;
                System.gc();
                Thread.sleep(50);
                long p0 = os.getProcessCpuTime();
                long c0 = threads.getCurrentThreadCpuTime();
                long t0 = System.nanoTime();
                if (v == 2) {
                    HarnessData.rawWriteFsync(entries, raw);
                } else {
                    saves[v].invoke(runners[v]);
                }
                long t1 = System.nanoTime();
                long c1 = threads.getCurrentThreadCpuTime();
                long p1 = os.getProcessCpuTime();
                if (r >= 2) {
                    wall[v][r - 2] = (t1 - t0) / 1e6;
                    caller[v][r - 2] = (c1 - c0) / 1e6;
                    process[v][r - 2] = (p1 - p0) / 1e6;
                }
            }
            if (r >= 2) {
                load[r - 2] = os.getSystemLoadAverage();
            }
        }
        for (Object runner : runners) {
            runner.getClass().getMethod("close").invoke(runner);
        }
        System.out.printf("%s save, N=%d, %d rounds after 2 warm-up, load average median %.1f (%.1f-%.1f)%n", format, n,
                measured, HarnessData.median(load), Arrays.stream(load).min().orElse(0), Arrays.stream(load).max().orElse(0));
        for (int v = 0; v < 3; v++) {
            double[] ratio = new double[measured];
            for (int i = 0; i < measured; i++) {
                ratio[i] = wall[v][i] / wall[2][i];
            }
            System.out.printf("  %-28s wall %8.2f ms (%.2fx raw; per round %.2fx), caller CPU %7.2f ms, process CPU (mean) %7.2f ms%n",
                    names[v], HarnessData.median(wall[v]), HarnessData.median(wall[v]) / HarnessData.median(wall[2]), HarnessData.median(ratio), HarnessData.median(caller[v]),
                    Arrays.stream(process[v]).average().orElse(0));
        }
        double[] diff = new double[measured];
        int less = 0;
        for (int i = 0; i < measured; i++) {
            diff[i] = wall[1][i] - wall[0][i];
            less += diff[i] < 0 ? 1 : 0;
        }
        System.out.printf("  B - A wall, median of per-round differences: %+.2f ms (B less in %d of %d rounds)%n",
                HarnessData.median(diff), less, measured);
        HarnessData.deleteTree(base);
    }
}
