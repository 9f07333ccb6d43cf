package dev.vecpersist.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vecpersist.api.Metric;
import dev.vecpersist.api.StateFormat;
import dev.vecpersist.api.StateReader;
import dev.vecpersist.api.StateSource;
import dev.vecpersist.api.VectorEntry;
import dev.vecpersist.core.DatabasePersistence;
import dev.vecpersist.core.PersistenceOptions;
import dev.vecpersist.core.VectorDB;
import dev.vecpersist.format.sqlite.SqliteStateFormat;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * SQLite load against the JDBC loop of {@link BaselineBenchmarks#jdbcRead} in thread CPU time, in
 * one JVM, the operations alternating round after round: on a shared, loaded machine a thread's
 * CPU time varies far less than its wall time, and alternation spreads the load's swings over
 * every operation. Operations: {@code jdbc} (the baseline loop), {@code reader} (the library's
 * SQLite reader alone, entries into a map as the loop does), {@code load} (a whole
 * {@code DatabasePersistence.load}) and, with a third argument, {@code readerOther}: the reader
 * of another build's {@code format-sqlite/target/classes}, loaded beside this one, for an A/B in
 * the same JVM.
 *
 * <p>{@code java -cp benchmarks/target/benchmarks.jar dev.vecpersist.benchmarks.SqliteLoadCpu N ROUNDS [OTHER_CLASSES_DIR]};
 * the first three rounds are warm-up; prints the median and the minimum of each operation and
 * their ratios to {@code jdbc}.
 */
public final class SqliteLoadCpu {

    private static final int WARM_UP_ROUNDS = 3;

    /** One measured operation; returns how many entries it read. */
    private interface Operation {
        long run() throws Exception;
    }

    private SqliteLoadCpu() {
    }

    /**
     * Runs the comparison.
     *
     * @param args N (entries of 384 dimensions), rounds (more than three), optionally the classes
     *             directory of another build's format-sqlite module
     * @throws Exception when an operation fails or reads a different number of entries
     */
    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[0]);
        int rounds = Integer.parseInt(args[1]);
        Path dir = Data.tempDir("sqlite-load-cpu");
        try {
            Path file;
            try (DatabasePersistence saver = new DatabasePersistence(Data.database(n),
                    PersistenceOptions.builder().baseDir(dir.resolve("save")).format("sqlite").build())) {
                file = saver.save(dir.resolve("saved.sqlite"));
            }
            ObjectMapper mapper = new ObjectMapper();
            Map<String, Operation> operations = new LinkedHashMap<>();
            operations.put("jdbc", () -> BaselineBenchmarks.jdbcLoop(file, n, mapper).size());
            operations.put("reader", () -> readAll(new SqliteStateFormat(), file, n));
            if (args.length > 2) {
                StateFormat other = OtherBuild.sqliteFormat(Path.of(args[2]));
                operations.put("readerOther", () -> readAll(other, file, n));
            }
            operations.put("load", () -> load(file, dir));
            measure(operations, n, rounds);
        } finally {
            Data.delete(dir);
        }
    }

    private static void measure(Map<String, Operation> operations, int n, int rounds) throws Exception {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Map<String, List<Double>> cpu = new LinkedHashMap<>();
        Map<String, List<Double>> wall = new LinkedHashMap<>();
        for (int round = 0; round < rounds; round++) {
            for (Map.Entry<String, Operation> op : operations.entrySet()) {
                System.gc(); // each starts with an empty young generation
                long cpu0 = threads.getCurrentThreadCpuTime();
                long wall0 = System.nanoTime();
                long read = op.getValue().run();
                long cpu1 = threads.getCurrentThreadCpuTime();
                long wall1 = System.nanoTime();
                if (read != n) {
                    throw new IllegalStateException(op.getKey() + " read " + read + " entries, not " + n);
                }
                if (round >= WARM_UP_ROUNDS) {
                    cpu.computeIfAbsent(op.getKey(), k -> new ArrayList<>()).add((cpu1 - cpu0) / 1e6);
                    wall.computeIfAbsent(op.getKey(), k -> new ArrayList<>()).add((wall1 - wall0) / 1e6);
                }
            }
        }
        List<Double> jdbc = cpu.get("jdbc");
        System.out.printf("N = %,d, %d measured rounds; thread CPU ms (ratio to jdbc), wall ms%n", n, rounds - WARM_UP_ROUNDS);
        for (String name : operations.keySet()) {
            List<Double> c = cpu.get(name);
            System.out.printf("%-12s cpu median %8.1f (%.2fx)  min %8.1f (%.2fx)   wall median %8.1f%n", name,
                    median(c), median(c) / median(jdbc), Collections.min(c), Collections.min(c) / Collections.min(jdbc),
                    median(wall.get(name)));
        }
    }

    private static long readAll(StateFormat format, Path file, int n) throws IOException {
        Map<String, VectorEntry> out = new LinkedHashMap<>(n * 4 / 3 + 1);
        try (StateReader reader = format.newReader(StateSource.ofFile(file, file.toString()))) {
            for (VectorEntry e = reader.nextEntry(); e != null; e = reader.nextEntry()) {
                out.put(e.id(), e);
            }
        }
        return out.size();
    }

    private static long load(Path file, Path dir) {
        VectorDB fresh = new VectorDB(Data.DIMENSION, Metric.COSINE);
        try (DatabasePersistence p = new DatabasePersistence(fresh, PersistenceOptions.builder().baseDir(dir.resolve("load")).build())) {
            p.load(file);
        }
        return fresh.size();
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }

    /** Loads the SQLite format's classes from another build's classes directory, everything else from this JVM's. */
    private static final class OtherBuild extends ClassLoader {

        private static final String PACKAGE = "dev.vecpersist.format.sqlite.";
        private final Path classes;

        private OtherBuild(Path classes) {
            super(SqliteLoadCpu.class.getClassLoader());
            this.classes = classes;
        }

        static StateFormat sqliteFormat(Path classes) throws ReflectiveOperationException {
            return (StateFormat) new OtherBuild(classes).loadClass(PACKAGE + "SqliteStateFormat")
                    .getConstructor().newInstance();
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.startsWith(PACKAGE)) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> loaded = findLoadedClass(name);
                if (loaded != null) {
                    return loaded;
                }
                try {
                    byte[] bytes = Files.readAllBytes(classes.resolve(name.replace('.', '/') + ".class"));
                    return defineClass(name, bytes, 0, bytes.length);
                } catch (IOException e) {
                    throw new ClassNotFoundException(name + " in " + classes, e);
                }
            }
        }
    }
}
