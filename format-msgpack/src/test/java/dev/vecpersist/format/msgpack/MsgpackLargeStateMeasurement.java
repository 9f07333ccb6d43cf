package dev.vecpersist.format.msgpack;

import dev.vecpersist.api.ContentChecksum;
import dev.vecpersist.api.Metric;
import dev.vecpersist.api.StateFormat;
import dev.vecpersist.api.StateHeader;
import dev.vecpersist.api.StateReader;
import dev.vecpersist.api.StateSink;
import dev.vecpersist.api.StateSource;
import dev.vecpersist.api.StateWriter;
import dev.vecpersist.api.VectorEntry;
import dev.vecpersist.testkit.TestStates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Times writing and reading a 100K x 384 state (metadata {index, category, timestamp}) to a local
 * file, against the floor of writing the same raw float32 bytes with one FileChannel and reading
 * them back. Each format time is given without and with the {@link ContentChecksum} the manager
 * computes alongside. Not part of the default run (slow; the class name matches no surefire
 * pattern, and it needs {@code -Dvecpersist.measure=true}):
 * {@code mvn -pl format-msgpack surefire:test -Dtest=MsgpackLargeStateMeasurement -Dvecpersist.measure=true}.
 */
@EnabledIfSystemProperty(named = "vecpersist.measure", matches = "true")
class MsgpackLargeStateMeasurement {

    private static final int DIMENSION = 384;
    private static final int RUNS = 5;

    @TempDir
    Path dir;

    @Test
    void writeAndReadA100kBy384State() throws IOException {
        int count = Integer.getInteger("vecpersist.measure.count", 100_000);
        List<VectorEntry> entries = TestStates.entries(count, DIMENSION, 1);
        StateFormat format = new MsgpackStateFormat();
        StateHeader header = StateHeader.full(format.formatVersion(), DIMENSION, Metric.COSINE, count, Instant.now());
        for (int run = 1; run <= RUNS; run++) {
            Path f = dir.resolve("large-" + run + ".msgpack");
            long t0 = System.nanoTime();
            write(format, f, header, entries, false);
            long t1 = System.nanoTime();
            long read = read(format, f, false);
            long t2 = System.nanoTime();
            Files.delete(f);
            long t3 = System.nanoTime();
            write(format, f, header, entries, true);
            long t4 = System.nanoTime();
            read(format, f, true);
            long t5 = System.nanoTime();
            assertThat(read).isEqualTo(count);
            long size = Files.size(f);
            Files.delete(f);

            Path raw = dir.resolve("raw-" + run + ".f32");
            long r0 = System.nanoTime();
            writeRaw(raw, entries);
            long r1 = System.nanoTime();
            float[][] back = readRaw(raw, count);
            long r2 = System.nanoTime();
            assertThat(back[count - 1]).isEqualTo(entries.get(count - 1).vector());
            long rawSize = Files.size(raw);
            Files.delete(raw);

            System.out.printf("run %d: %,d x %d: msgpack write %,d ms (%,d with checksum), read %,d ms (%,d with checksum),"
                            + " %,d bytes | raw FileChannel write %,d ms, read %,d ms, %,d bytes%n",
                    run, count, DIMENSION, ms(t1 - t0), ms(t4 - t3), ms(t2 - t1), ms(t5 - t4), size,
                    ms(r1 - r0), ms(r2 - r1), rawSize);
        }
    }

    private static long ms(long nanos) {
        return nanos / 1_000_000;
    }

    private static void write(StateFormat format, Path f, StateHeader header, List<VectorEntry> entries,
                              boolean withChecksum) throws IOException {
        ContentChecksum checksum = withChecksum ? new ContentChecksum(header) : null;
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(f), 1 << 16);
             StateWriter writer = format.newWriter(StateSink.ofStream(out, f.toString()), header)) {
            for (VectorEntry e : entries) {
                if (checksum != null) {
                    checksum.addEntry(e);
                }
                writer.writeEntry(e);
            }
            writer.finish(checksum == null ? "none" : checksum.value());
        }
    }

    /** Reads every entry once, keeping none; checks the checksum when asked. */
    private static long read(StateFormat format, Path f, boolean withChecksum) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(f), 1 << 16);
             StateReader reader = format.newReader(StateSource.ofStream(in, f.toString()))) {
            ContentChecksum checksum = withChecksum ? new ContentChecksum(reader.header()) : null;
            long n = 0;
            for (VectorEntry e = reader.nextEntry(); e != null; e = reader.nextEntry()) {
                if (checksum != null) {
                    checksum.addEntry(e);
                }
                n++;
            }
            String stored = reader.storedChecksum();
            if (checksum != null) {
                assertThat(stored).isEqualTo(checksum.value());
            }
            return n;
        }
    }

    /** The floor: every vector's float32 bytes through one FileChannel, 1 MiB at a time. */
    private static void writeRaw(Path f, List<VectorEntry> entries) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            for (VectorEntry e : entries) {
                if (buffer.remaining() < e.vector().length * Float.BYTES) {
                    buffer.flip();
                    while (buffer.hasRemaining()) {
                        ch.write(buffer);
                    }
                    buffer.clear();
                }
                buffer.asFloatBuffer().put(e.vector());
                buffer.position(buffer.position() + e.vector().length * Float.BYTES);
            }
            buffer.flip();
            while (buffer.hasRemaining()) {
                ch.write(buffer);
            }
        }
    }

    /** Reads the raw file back 1 MiB at a time into one float[] per vector. */
    private static float[][] readRaw(Path f, int count) throws IOException {
        float[][] vectors = new float[count][];
        int vectorBytes = DIMENSION * Float.BYTES;
        ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
            int i = 0;
            while (i < count) {
                if (ch.read(buffer) < 0) {
                    throw new IOException("raw file ends early");
                }
                buffer.flip();
                while (i < count && buffer.remaining() >= vectorBytes) {
                    vectors[i] = new float[DIMENSION];
                    buffer.asFloatBuffer().get(vectors[i]);
                    buffer.position(buffer.position() + vectorBytes);
                    i++;
                }
                buffer.compact();
            }
        }
        return vectors;
    }
}
