package dev.vecpersist.core;

import dev.vecpersist.api.Metric;
import dev.vecpersist.api.VectorEntry;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * What the save harnesses ({@link SavePipelineHarness}, {@link SavePhaseHarness}, {@link SaveJarAB})
 * share: the benchmarks' data, the raw write+fsync baseline over it, medians and clean-up. Not a test.
 */
final class HarnessData {

    static final int DIMENSION = 384;

    private HarnessData() {
    }

    /** The benchmarks' data (Data.database): N x 384, seed 42. */
    static VectorDB database(int n) {
        VectorDB db = new VectorDB(DIMENSION, Metric.COSINE);
        Random random = new Random(42);
        String[] categories = {"A", "B", "C"};
        List<VectorEntry> batch = new ArrayList<>(1000);
        for (int i = 0; i < n; i++) {
            float[] v = new float[DIMENSION];
            for (int d = 0; d < DIMENSION; d++) {
                v[d] = random.nextFloat() * 2 - 1;
            }
            batch.add(new VectorEntry("vec-" + i, v, Map.of("index", (long) i, "category", categories[i % 3],
                    "timestamp", 1_700_000_000_000L + i)));
            if (batch.size() == 1000) {
                db.insertBatch(batch);
                batch.clear();
            }
        }
        db.insertBatch(batch);
        return db;
    }

    /**
     * BaselineBenchmarks.rawWrite with fsync, over the same entries.
     *
     * @return the milliseconds spent writing and in the fsync
     */
    static double[] rawWriteFsync(Iterable<VectorEntry> entries, Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            long t0 = System.nanoTime();
            ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
            for (VectorEntry e : entries) {
                byte[] id = e.id().getBytes(StandardCharsets.UTF_8);
                if (buf.remaining() < 8 + id.length + e.vector().length * 4) {
                    buf.flip();
                    ch.write(buf);
                    buf.clear();
                }
                buf.putInt(id.length).put(id).putInt(e.vector().length);
                buf.asFloatBuffer().put(e.vector());
                buf.position(buf.position() + e.vector().length * 4);
            }
            buf.flip();
            ch.write(buf);
            long t1 = System.nanoTime();
            ch.force(true);
            long t2 = System.nanoTime();
            return new double[]{(t1 - t0) / 1e6, (t2 - t1) / 1e6};
        }
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int m = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
    }

    static void deleteTree(Path dir) throws IOException {
        try (var files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
