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
import java.lang.ref.Reference;
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
 * of another build ({@code format-sqlite/target/classes} and {@code persistence-json/target/classes},
 * whose metadata reader it uses, separated by the path separator; a directory holding both
 * packages will do), loaded beside this one, for an A/B in the same JVM. Besides the measuring
 * thread's CPU time and what it allocated, each operation's process CPU time is split into the
 * collector's threads and the rest ({@link ProcessCpu}): at 100K entries collection is a large part
 * of both the load and the loop, and the load's second thread shows as the rest.
 *
 * <p>{@code java -cp benchmarks/target/benchmarks.jar dev.vecpersist.benchmarks.SqliteLoadCpu N ROUNDS [OTHER_CLASSES]};
 * the first three rounds are warm-up; prints the medians (and the minimum of the thread CPU time)
 * of each operation and their ratios to {@code jdbc}.
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
            // held to the end, as the JMH states hold theirs: the old generation then has what it has there
            VectorDB saved = Data.database(n);
            Path file;
            try (DatabasePersistence saver = new DatabasePersistence(saved,
                    PersistenceOptions.builder().baseDir(dir.resolve("save")).format("sqlite").build())) {
                file = saver.save(dir.resolve("saved.sqlite"));
            }
            ObjectMapper mapper = new ObjectMapper();
            Map<String, Operation> operations = new LinkedHashMap<>();
            operations.put("jdbc", () -> BaselineBenchmarks.jdbcLoop(file, n, mapper).size());
            operations.put("reader", () -> readAll(new SqliteStateFormat(), file, n));
            if (args.length > 2) {
                StateFormat other = OtherBuild.sqliteFormat(args[2]);
                operations.put("readerOther", () -> readAll(other, file, n));
            }
            operations.put("load", () -> load(file, dir));
            measure(operations, n, rounds);
            Reference.reachabilityFence(saved);
        } finally {
            Data.delete(dir);
        }
    }

    private static void measure(Map<String, Operation> operations, int n, int rounds) throws Exception {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Map<String, Map<String, List<Double>>> samples = new LinkedHashMap<>();
        for (int round = 0; round < rounds; round++) {
            for (Map.Entry<String, Operation> op : operations.entrySet()) {
                System.gc(); // each starts with an empty young generation
                ProcessCpu.Reading before = ProcessCpu.now();
                long cpu0 = threads.getCurrentThreadCpuTime();
                long allocated0 = threads.getCurrentThreadAllocatedBytes();
                long wall0 = System.nanoTime();
                long read = op.getValue().run();
                long cpu1 = threads.getCurrentThreadCpuTime();
                long allocated1 = threads.getCurrentThreadAllocatedBytes();
                long wall1 = System.nanoTime();
                ProcessCpu.Reading spent = ProcessCpu.now().minus(before);
                if (read != n) {
                    throw new IllegalStateException(op.getKey() + " read " + read + " entries, not " + n);
                }
                if (round >= WARM_UP_ROUNDS) {
                    Map<String, List<Double>> of = samples.computeIfAbsent(op.getKey(), k -> new LinkedHashMap<>());
                    double caller = (cpu1 - cpu0) / 1e6;
                    add(of, "cpu", caller);
                    add(of, "wall", (wall1 - wall0) / 1e6);
                    add(of, "allocated", (allocated1 - allocated0) / 1e6);
                    add(of, "process", spent.process() / 1e6);
                    add(of, "gc", spent.gcWorkers() / 1e6);
                    add(of, "concurrent", spent.gcConcurrent() / 1e6);
                    add(of, "others", (spent.process() - spent.gcThreads() - spent.jitThreads()) / 1e6 - caller);
                    add(of, "collections", spent.collections());
                    add(of, "pauses", spent.pauseMillis());
                }
            }
        }
        List<Double> jdbc = samples.get("jdbc").get("cpu");
        System.out.printf("N = %,d, %d measured rounds; medians in ms: the measuring thread's CPU (ratio to jdbc), "
                + "the process's, the GC workers' (pauses) and concurrent GC threads', other threads' (process - caller - GC - JIT; 10 ms ticks), "
                + "collections and their pauses, wall time; MB the measuring thread allocated%n", n, rounds - WARM_UP_ROUNDS);
        for (String name : operations.keySet()) {
            Map<String, List<Double>> of = samples.get(name);
            List<Double> c = of.get("cpu");
            System.out.printf("%-12s cpu %7.1f (%.2fx) min %7.1f (%.2fx)  process %7.1f  gc %6.1f + %5.1f  others %6.1f  "
                    + "collections %3.0f  pauses %5.0f  wall %7.1f  allocated %6.1f MB%n", name,
                    median(c), median(c) / median(jdbc), Collections.min(c), Collections.min(c) / Collections.min(jdbc),
                    median(of.get("process")), median(of.get("gc")), median(of.get("concurrent")), median(of.get("others")),
                    median(of.get("collections")), median(of.get("pauses")), median(of.get("wall")),
                    median(of.get("allocated")));
        }
    }

    private static void add(Map<String, List<Double>> samples, String what, double value) {
        samples.computeIfAbsent(what, k -> new ArrayList<>()).add(value);
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

    /**
     * Loads the SQLite format's classes, and the metadata JSON reader's package it parses with, from
     * another build's classes directories; everything else from this JVM's.
     */
    private static final class OtherBuild extends ClassLoader {

        private static final String FORMAT = "dev.vecpersist.format.sqlite.";
        private static final List<String> PACKAGES = List.of(FORMAT, "dev.vecpersist.json.");
        private final List<Path> classes;

        private OtherBuild(List<Path> classes) {
            super(SqliteLoadCpu.class.getClassLoader());
            this.classes = classes;
        }

        /** @param classes directories separated by the platform's path separator */
        static StateFormat sqliteFormat(String classes) throws ReflectiveOperationException {
            List<Path> dirs = new ArrayList<>();
            for (String dir : classes.split(java.io.File.pathSeparator)) {
                dirs.add(Path.of(dir));
            }
            return (StateFormat) new OtherBuild(dirs).loadClass(FORMAT + "SqliteStateFormat")
                    .getConstructor().newInstance();
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (PACKAGES.stream().noneMatch(name::startsWith)) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> loaded = findLoadedClass(name);
                if (loaded != null) {
                    return loaded;
                }
                for (Path dir : classes) {
                    Path file = dir.resolve(name.replace('.', '/') + ".class");
                    if (Files.exists(file)) {
                        try {
                            byte[] bytes = Files.readAllBytes(file);
                            return defineClass(name, bytes, 0, bytes.length);
                        } catch (IOException e) {
                            throw new ClassNotFoundException(name + " in " + file, e);
                        }
                    }
                }
                throw new ClassNotFoundException(name + " in none of " + classes);
            }
        }
    }
}
