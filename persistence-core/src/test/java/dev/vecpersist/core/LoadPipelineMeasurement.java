package dev.vecpersist.core;

import dev.vecpersist.api.Metric;
import dev.vecpersist.api.VectorEntry;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

/**
 * A/B of the load in one JVM: the one-thread load ({@code LoadPipeline.enabled = false}), the
 * two-thread load, and a raw FileChannel read of the same float32s into {@code float[]}s (the
 * benchmarks' {@code rawRead}), alternating, the order rotated every round, {@code System.gc()}
 * before each; prints medians of wall time, the caller's CPU and the process's CPU. Not a test (no
 * surefire pattern matches it); the formats and codecs come from the benchmarks jar, after this
 * module's classes on the class path:
 * <pre>
 * mvn -B -q -o -pl benchmarks -am package -DskipTests
 * mvn -B -q -o -pl persistence-core -am test-compile
 * java -cp persistence-core/target/test-classes:persistence-core/target/classes:persistence-api/target/classes:format-json/target/classes:benchmarks/target/benchmarks.jar \
 *     dev.vecpersist.core.LoadPipelineMeasurement msgpack none 10000 30
 * </pre>
 * Arguments: format, codec ({@code none} for none), entries of 384 float32, measured rounds.
 */
final class LoadPipelineMeasurement {

    private static final int DIMENSION = 384;
    private static final String[] KINDS = {"one-thread", "pipelined", "raw"};

    private LoadPipelineMeasurement() {
    }

    public static void main(String[] args) throws IOException {
        String format = args[0];
        String codec = args[1];
        int n = Integer.parseInt(args[2]);
        int rounds = Integer.parseInt(args[3]);
        Path dir = Files.createTempDirectory("load-pipeline-measurement");
        try {
            Path raw = dir.resolve("raw.bin");
            Path saved = save(dir, raw, format, codec, n);
            measure(dir, saved, raw, format + "+" + codec, n, rounds);
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** The benchmarks' data ({index, category, timestamp}, seed 42), saved by the library and raw. */
    private static Path save(Path dir, Path raw, String format, String codec, int n) throws IOException {
        VectorDB db = new VectorDB(DIMENSION, Metric.COSINE);
        Random random = new Random(42);
        String[] categories = {"A", "B", "C"};
        List<VectorEntry> batch = new ArrayList<>();
        try (FileChannel ch = FileChannel.open(raw, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            ByteBuffer buf = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < n; i++) {
                float[] v = new float[DIMENSION];
                for (int d = 0; d < DIMENSION; d++) {
                    v[d] = random.nextFloat() * 2 - 1;
                }
                VectorEntry e = new VectorEntry("vec-" + i, v, Map.of("index", (long) i, "category", categories[i % 3],
                        "timestamp", 1_700_000_000_000L + i));
                byte[] id = e.id().getBytes(StandardCharsets.UTF_8);
                if (buf.remaining() < 8 + id.length + DIMENSION * 4) {
                    buf.flip();
                    ch.write(buf);
                    buf.clear();
                }
                buf.putInt(id.length).put(id).putInt(DIMENSION);
                buf.asFloatBuffer().put(v);
                buf.position(buf.position() + DIMENSION * 4);
                batch.add(e);
                if (batch.size() == 1000) {
                    db.insertBatch(batch);
                    batch.clear();
                }
            }
            db.insertBatch(batch);
            buf.flip();
            ch.write(buf);
        }
        PersistenceOptions.Builder options = PersistenceOptions.builder().baseDir(dir.resolve("save")).format(format);
        if (!codec.equals("none")) {
            options.compression(codec);
        }
        try (DatabasePersistence p = new DatabasePersistence(db, options.build())) {
            return p.save(dir.resolve("saved." + format + (codec.equals("none") ? "" : "." + codec)));
        }
    }

    private static void measure(Path dir, Path saved, Path raw, String what, int n, int rounds) throws IOException {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        Map<String, List<double[]>> samples = new LinkedHashMap<>();
        for (String kind : KINDS) {
            samples.put(kind, new ArrayList<>());
        }
        int warmUp = n >= 100_000 ? 2 : 5;
        try {
            for (int round = 0; round < warmUp + rounds; round++) {
                for (int k = 0; k < KINDS.length; k++) {
                    String kind = KINDS[(k + round) % KINDS.length];
                    System.gc();
                    long cpu = threads.getCurrentThreadCpuTime();
                    long process = os.getProcessCpuTime();
                    long start = System.nanoTime();
                    long size = kind.equals("raw") ? rawRead(raw, n) : load(dir, saved, kind.equals("pipelined"));
                    double[] sample = {(System.nanoTime() - start) / 1e6, (threads.getCurrentThreadCpuTime() - cpu) / 1e6,
                            (os.getProcessCpuTime() - process) / 1e6};
                    if (size != n) {
                        throw new IllegalStateException(kind + " read " + size + " entries, expected " + n);
                    }
                    if (round >= warmUp) {
                        samples.get(kind).add(sample);
                    }
                }
            }
        } finally {
            LoadPipeline.enabled = true;
        }
        double rawWall = median(samples.get("raw"), 0);
        System.out.printf("%s n=%d rounds=%d%n", what, n, rounds);
        for (String kind : KINDS) {
            List<double[]> s = samples.get(kind);
            System.out.printf("  %-10s wall %8.1f ms = %5.2fx raw | caller CPU %7.1f ms | process CPU %7.1f ms%n",
                    kind, median(s, 0), median(s, 0) / rawWall, median(s, 1), median(s, 2));
        }
        System.out.printf("  pipelined / one-thread wall %.3f%n",
                median(samples.get("pipelined"), 0) / median(samples.get("one-thread"), 0));
    }

    private static long load(Path dir, Path saved, boolean pipelined) {
        LoadPipeline.enabled = pipelined;
        VectorDB fresh = new VectorDB(DIMENSION, Metric.COSINE);
        try (DatabasePersistence p = new DatabasePersistence(fresh,
                PersistenceOptions.builder().baseDir(dir.resolve("load")).build())) {
            p.load(saved);
        }
        return fresh.size();
    }

    private static double median(List<double[]> samples, int column) {
        List<Double> values = new ArrayList<>();
        samples.forEach(s -> values.add(s[column]));
        Collections.sort(values);
        int m = values.size() / 2;
        return values.size() % 2 == 1 ? values.get(m) : (values.get(m - 1) + values.get(m)) / 2;
    }

    /** The benchmarks' {@code rawRead}: length-prefixed ids and float32s into fresh arrays. */
    private static long rawRead(Path raw, int n) throws IOException {
        List<float[]> out = new ArrayList<>(n);
        try (FileChannel ch = FileChannel.open(raw, StandardOpenOption.READ)) {
            ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
            buf.flip();
            while (buf.remaining() >= 8 || fill(ch, buf, 8)) {
                int idLength = buf.getInt();
                fill(ch, buf, idLength + 4);
                byte[] id = new byte[idLength];
                buf.get(id);
                int dims = buf.getInt();
                fill(ch, buf, dims * 4);
                float[] v = new float[dims];
                buf.asFloatBuffer().get(v);
                buf.position(buf.position() + dims * 4);
                new String(id, StandardCharsets.UTF_8);
                out.add(v);
            }
        }
        return out.size();
    }

    private static boolean fill(FileChannel ch, ByteBuffer buf, int needed) throws IOException {
        if (buf.remaining() >= needed) {
            return true;
        }
        buf.compact();
        while (buf.position() < needed) {
            if (ch.read(buf) < 0) {
                buf.flip();
                return false;
            }
        }
        buf.flip();
        return true;
    }
}
