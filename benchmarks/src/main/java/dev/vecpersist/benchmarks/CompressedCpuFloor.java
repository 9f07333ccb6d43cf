package dev.vecpersist.benchmarks;

import dev.vecpersist.api.Metric;
import dev.vecpersist.core.DatabasePersistence;
import dev.vecpersist.core.PersistenceOptions;
import dev.vecpersist.core.VectorDB;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a compressed save or load can cost at best on this machine: the process CPU time of the
 * uncompressed and the compressed operation (all threads: the caller, the check or stage thread,
 * the codec's thread, a format's own threads, GC), alternating in one JVM, and the wall time the
 * compressed one would take if every core were busy with it the whole time ({@code CPU / cores}).
 * Where that floor is already above 1.3x the uncompressed operation's wall time, the goal "within
 * 1.3x of the slower stage alone" cannot be met by overlapping alone: the codec's CPU lands on cores
 * the uncompressed operation already keeps busy.
 *
 * <p>{@code java -Xmx3g -cp benchmarks/target/benchmarks.jar dev.vecpersist.benchmarks.CompressedCpuFloor FORMAT+CODEC N ROUNDS};
 * the first three rounds are warm-up; prints medians.
 */
public final class CompressedCpuFloor {

    private static final int WARM_UP_ROUNDS = 3;

    /** One measured operation. */
    private interface Operation {
        void run() throws Exception;
    }

    private CompressedCpuFloor() {
    }

    /**
     * Runs the comparison.
     *
     * @param args format+codec (e.g. {@code msgpack+lz4}), N (entries of 384 dimensions), rounds (more than three)
     * @throws Exception when an operation fails
     */
    public static void main(String[] args) throws Exception {
        String[] parts = args[0].split("\\+");
        int n = Integer.parseInt(args[1]);
        int rounds = Integer.parseInt(args[2]);
        Path dir = Data.tempDir("compressed-cpu-floor");
        VectorDB db = Data.database(n);
        try (DatabasePersistence plain = manager(db, dir.resolve("plain"), parts[0], null);
             DatabasePersistence compressed = manager(db, dir.resolve("compressed"), parts[0], parts[1])) {
            Path plainFile = plain.save(dir.resolve("plain-file"));
            Path compressedFile = compressed.save(dir.resolve("compressed-file"));
            Map<String, Operation> operations = new LinkedHashMap<>();
            operations.put("save " + parts[0], () -> plain.save(dir.resolve("plain-file")));
            operations.put("save " + args[0], () -> compressed.save(dir.resolve("compressed-file")));
            operations.put("load " + parts[0], () -> load(plainFile, dir.resolve("load")));
            operations.put("load " + args[0], () -> load(compressedFile, dir.resolve("load")));
            measure(operations, n, rounds);
        } finally {
            Data.delete(dir);
        }
    }

    private static DatabasePersistence manager(VectorDB db, Path baseDir, String format, String codec) {
        PersistenceOptions.Builder options = PersistenceOptions.builder().baseDir(baseDir).format(format);
        if (codec != null) {
            options.compression(codec);
        }
        return new DatabasePersistence(db, options.build());
    }

    private static void load(Path file, Path baseDir) {
        VectorDB fresh = new VectorDB(Data.DIMENSION, Metric.COSINE);
        try (DatabasePersistence p = new DatabasePersistence(fresh, PersistenceOptions.builder().baseDir(baseDir).build())) {
            p.load(file);
        }
    }

    private static void measure(Map<String, Operation> operations, int n, int rounds) throws Exception {
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        int cores = Runtime.getRuntime().availableProcessors();
        Map<String, List<Double>> cpu = new LinkedHashMap<>();
        Map<String, List<Double>> wall = new LinkedHashMap<>();
        for (int round = 0; round < rounds; round++) {
            for (Map.Entry<String, Operation> op : operations.entrySet()) {
                System.gc(); // each starts with an empty young generation
                long cpu0 = os.getProcessCpuTime();
                long wall0 = System.nanoTime();
                op.getValue().run();
                long wall1 = System.nanoTime();
                long cpu1 = os.getProcessCpuTime();
                if (round >= WARM_UP_ROUNDS) {
                    cpu.computeIfAbsent(op.getKey(), k -> new ArrayList<>()).add((cpu1 - cpu0) / 1e6);
                    wall.computeIfAbsent(op.getKey(), k -> new ArrayList<>()).add((wall1 - wall0) / 1e6);
                }
            }
        }
        System.out.printf("N = %,d, %d measured rounds, %d cores; medians: process CPU ms, wall ms, CPU/cores ms%n",
                n, rounds - WARM_UP_ROUNDS, cores);
        List<String> names = new ArrayList<>(operations.keySet());
        for (String name : names) {
            double c = median(cpu.get(name));
            System.out.printf("%-20s cpu %8.1f  wall %8.1f  cpu/cores %8.1f%n", name, c, median(wall.get(name)), c / cores);
        }
        for (int i = 0; i < names.size(); i += 2) {
            double plainWall = median(wall.get(names.get(i)));
            double floor = median(cpu.get(names.get(i + 1))) / cores;
            System.out.printf("%-20s floor %.2fx the uncompressed wall time, measured %.2fx%n", names.get(i + 1),
                    floor / plainWall, median(wall.get(names.get(i + 1))) / plainWall);
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int m = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(m) : (sorted.get(m - 1) + sorted.get(m)) / 2;
    }
}
