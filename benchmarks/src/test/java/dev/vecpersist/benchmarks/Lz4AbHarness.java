package dev.vecpersist.benchmarks;

import dev.vecpersist.api.CompressionCodec;
import dev.vecpersist.api.Metric;
import dev.vecpersist.core.DatabasePersistence;
import dev.vecpersist.core.PersistenceOptions;
import dev.vecpersist.core.Plugins;
import dev.vecpersist.core.VectorDB;

import java.io.BufferedInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Not a test: an A/B of the LZ4 saves and loads of two builds in one JVM (profile-notes.md,
 * "Compressed rows"). Each build's benchmarks jar gets its own class loader (with this class's
 * directory first); lz4-java comes from the class path, shared: its native library loads into one
 * class loader only, and the other would fall back to the pure-Java compressor. Each round runs every operation once per build, alternating which build goes
 * first, after a GC. Operations: save and load of msgpack+lz4 and msgpack (and json+lz4, json with
 * "json"), compressing and decompressing alone. Prints medians of wall time and of the process's
 * CPU time. Arguments: harness classes directory, jar A, jar B, N, rounds (the first two are
 * warm-up), scratch directory, optionally "json" to add the json rows (or "-" not to), then a regular
 * expression choosing operations.
 *
 * <pre>
 * javac -d /tmp/lz4-harness -cp benchmarks/target/benchmarks.jar benchmarks/src/test/java/dev/vecpersist/benchmarks/Lz4AbHarness.java
 * mkdir /tmp/lz4-launch; cp /tmp/lz4-harness/dev/vecpersist/benchmarks/Lz4AbHarness.class ... (only this class, not Worker)
 * java -Xmx3g -cp /tmp/lz4-launch:lz4-java-1.14.0.jar dev.vecpersist.benchmarks.Lz4AbHarness /tmp/lz4-harness main.jar branch.jar 10000 12 /tmp
 * </pre>
 */
public final class Lz4AbHarness {

    private Lz4AbHarness() {
    }

    public static void main(String[] args) throws Exception {
        URL harness = Path.of(args[0]).toUri().toURL();
        String[] jars = {args[1], args[2]};
        int n = Integer.parseInt(args[3]);
        int rounds = Integer.parseInt(args[4]);
        Path scratch = Path.of(args[5]);
        boolean json = args.length > 6 && args[6].contains("json");
        String only = args.length > 7 ? args[7] : "";
        List<String> operations = new ArrayList<>(List.of("save msgpack", "save msgpack+lz4", "compressOnly msgpack+lz4",
                "load msgpack", "load msgpack+lz4", "decompressOnly msgpack+lz4"));
        if (json) {
            operations.addAll(List.of("save json", "save json+lz4", "compressOnly json+lz4", "load json", "load json+lz4",
                    "decompressOnly json+lz4"));
        }
        operations.removeIf(op -> !op.matches(".*(" + only + ").*"));
        List<Function<String, long[]>> builds = new ArrayList<>();
        for (String jar : jars) {
            URLClassLoader loader = new URLClassLoader(new URL[] {harness, Path.of(jar).toUri().toURL()},
                    ClassLoader.getSystemClassLoader());
            @SuppressWarnings("unchecked")
            Function<String, long[]> worker = (Function<String, long[]>) loader.loadClass(Lz4AbHarness.class.getName() + "$Worker")
                    .getConstructor(int.class, Path.class, boolean.class).newInstance(n, Files.createTempDirectory(scratch, "lz4-ab"), json);
            builds.add(worker);
        }
        Map<String, double[][]> wall = new LinkedHashMap<>();
        Map<String, double[][]> cpu = new LinkedHashMap<>();
        for (String op : operations) {
            wall.put(op, new double[2][rounds - 2]);
            cpu.put(op, new double[2][rounds - 2]);
        }
        for (int r = 0; r < rounds; r++) {
            for (String op : operations) {
                for (int k = 0; k < 2; k++) {
                    int b = (k + r) % 2;
                    System.gc();
                    Thread.sleep(30);
                    long[] t = builds.get(b).apply(op);
                    if (r >= 2) {
                        wall.get(op)[b][r - 2] = t[0] / 1e6;
                        cpu.get(op)[b][r - 2] = t[1] / 1e6;
                    }
                }
            }
        }
        System.out.printf("N=%d, %d rounds after 2 warm-up; A=%s, B=%s%n", n, rounds - 2, jars[0], jars[1]);
        for (String op : operations) {
            System.out.printf("  %-28s wall median A %7.1f  B %7.1f ms (B/A %.2f)   process CPU mean A %7.1f  B %7.1f ms (B/A %.2f)%n",
                    op, median(wall.get(op)[0]), median(wall.get(op)[1]), median(wall.get(op)[1]) / median(wall.get(op)[0]),
                    mean(cpu.get(op)[0]), mean(cpu.get(op)[1]), mean(cpu.get(op)[1]) / mean(cpu.get(op)[0]));
        }
    }

    /** The process CPU clock ticks in 10 ms here: a mean over the rounds, not a median. */
    private static double mean(double[] values) {
        return Arrays.stream(values).average().orElse(Double.NaN);
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int m = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
    }

    /** One build's side: the database, a saved file per combination, and the operations. */
    public static final class Worker implements Function<String, long[]> {
        private final VectorDB db;
        private final Path dir;
        private final Map<String, Path> saved = new LinkedHashMap<>();
        private final Map<String, DatabasePersistence> savers = new LinkedHashMap<>();

        public Worker(int n, Path dir, boolean json) {
            System.out.println("  lz4: " + net.jpountz.lz4.LZ4Factory.fastestInstance() + " from "
                    + net.jpountz.lz4.LZ4Factory.class.getClassLoader());
            this.db = Data.database(n);
            this.dir = dir;
            List<String> combinations = new ArrayList<>(List.of("msgpack", "msgpack+lz4"));
            if (json) {
                combinations.addAll(List.of("json", "json+lz4"));
            }
            for (String combination : combinations) {
                String[] parts = combination.split("\\+");
                PersistenceOptions.Builder options = PersistenceOptions.builder().baseDir(dir.resolve("save-" + parts[0] + "-" + parts.length))
                        .format(parts[0]);
                if (parts.length > 1) {
                    options.compression(parts[1]);
                }
                DatabasePersistence saver = new DatabasePersistence(db, options.build());
                savers.put(combination, saver);
                saved.put(combination, saver.save(dir.resolve("saved." + combination)));
            }
        }

        @Override
        public long[] apply(String operation) {
            String[] parts = operation.split(" ");
            var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            long c0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            try {
                switch (parts[0]) {
                    case "save" -> savers.get(parts[1]).save(dir.resolve("bench." + parts[1]));
                    case "load" -> {
                        VectorDB fresh = new VectorDB(Data.DIMENSION, Metric.COSINE);
                        try (DatabasePersistence p = new DatabasePersistence(fresh,
                                PersistenceOptions.builder().baseDir(dir.resolve("load")).build())) {
                            p.load(saved.get(parts[1]));
                        }
                    }
                    case "compressOnly" -> {
                        CompressionCodec codec = Plugins.discover().codec("lz4");
                        try (InputStream in = Files.newInputStream(saved.get(parts[1].split("\\+")[0]));
                             OutputStream out = codec.compress(Files.newOutputStream(dir.resolve("compressed-only")), 0)) {
                            in.transferTo(out);
                        }
                    }
                    case "decompressOnly" -> {
                        CompressionCodec codec = Plugins.discover().codec("lz4");
                        try (InputStream in = codec.decompress(new BufferedInputStream(Files.newInputStream(saved.get(parts[1])), 1 << 16))) {
                            in.transferTo(OutputStream.nullOutputStream());
                        }
                    }
                    default -> throw new IllegalArgumentException(operation);
                }
            } catch (java.io.IOException e) {
                throw new UncheckedIOException(e);
            }
            return new long[] {System.nanoTime() - t0, os.getProcessCpuTime() - c0};
        }
    }
}
