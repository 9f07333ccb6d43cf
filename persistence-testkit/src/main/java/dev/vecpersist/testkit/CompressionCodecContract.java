package dev.vecpersist.testkit;

import dev.vecpersist.api.LevelRange;
import dev.vecpersist.api.CompressionCodec;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

/** The behaviour every {@link CompressionCodec} must have. Extend it and return the codec under test. */
public abstract class CompressionCodecContract {

    /** The codec under test. */
    protected abstract CompressionCodec codec();

    protected byte[] compress(byte[] data, int level) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = codec().compress(bytes, level)) {
            out.write(data);
        }
        return bytes.toByteArray();
    }

    protected byte[] decompress(byte[] compressed) throws IOException {
        try (InputStream in = codec().decompress(new ByteArrayInputStream(compressed))) {
            return in.readAllBytes();
        }
    }

    protected static byte[] sample(int size) {
        StringBuilder sb = new StringBuilder();
        Random random = new Random(size);
        while (sb.length() < size) {
            sb.append("{\"id\":\"vec-").append(random.nextInt(100000)).append("\",\"vector\":[")
                    .append(random.nextFloat()).append(',').append(random.nextFloat()).append("]},");
        }
        return Arrays.copyOf(sb.toString().getBytes(StandardCharsets.US_ASCII), size);
    }

    @Test
    void isDiscoverableByServiceLoader() {
        assertThat(ServiceLoader.load(CompressionCodec.class).stream().map(p -> p.get().name()))
                .contains(codec().name());
        assertThat(codec().name()).matches("[a-z0-9][a-z0-9._-]*");
        LevelRange range = codec().levelRange();
        assertThat(codec().defaultLevel()).isBetween(range.min(), range.max());
    }

    @Test
    void roundTripsAtEveryLevel() throws IOException {
        byte[] data = sample(200_000);
        LevelRange range = codec().levelRange();
        for (int level = range.min(); level <= range.max(); level++) {
            assertThat(decompress(compress(data, level))).as("level %d", level).isEqualTo(data);
        }
    }

    @Test
    void roundTripsEmptyInput() throws IOException {
        assertThat(decompress(compress(new byte[0], codec().defaultLevel()))).isEmpty();
    }

    @Test
    void roundTripsSingleByteWritesAndIncompressibleData() throws IOException {
        byte[] random = new byte[300_000];
        new Random(3).nextBytes(random);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = codec().compress(bytes, codec().defaultLevel())) {
            for (int i = 0; i < 1000; i++) {
                out.write(random[i]);
            }
            out.write(random, 1000, random.length - 1000);
        }
        assertThat(decompress(bytes.toByteArray())).isEqualTo(random);
    }

    @Test
    void rejectsLevelsOutOfRange() {
        LevelRange range = codec().levelRange();
        assertThatThrownBy(() -> codec().compress(new ByteArrayOutputStream(), range.max() + 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> codec().compress(new ByteArrayOutputStream(), range.min() - 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void detectsItsOwnOutput() throws IOException {
        byte[] compressed = compress(sample(10_000), codec().defaultLevel());
        assertThat(codec().detect(compressed, compressed.length)).isNotEqualTo(CompressionCodec.Detection.NO_MATCH);
        byte[] text = "{\"version\":\"2.0.0\"}".getBytes(StandardCharsets.US_ASCII);
        assertThat(codec().detect(text, text.length)).isNotEqualTo(CompressionCodec.Detection.MATCH);
    }

    @Test
    void truncatedOrCorruptInputFailsWithIOExceptionAndNeverHangs() throws Exception {
        byte[] data = sample(100_000);
        byte[] compressed = compress(data, codec().defaultLevel());
        Random random = new Random(5);
        for (int trial = 0; trial < 30; trial++) {
            byte[] bad = trial % 2 == 0
                    ? Arrays.copyOf(compressed, random.nextInt(compressed.length))
                    : flip(compressed, random);
            Thread worker = new Thread(() -> { });
            byte[][] result = new byte[1][];
            Throwable[] error = new Throwable[1];
            worker = new Thread(() -> {
                try {
                    result[0] = decompress(bad);
                } catch (Throwable t) {
                    error[0] = t;
                }
            });
            worker.start();
            worker.join(TimeUnit.SECONDS.toMillis(10));
            assertThat(worker.isAlive()).as("trial %d finished within 10 s", trial).isFalse();
            if (error[0] == null) {
                // a flip the codec cannot notice: the caller's content checksum will
                if (trial % 2 == 0) {
                    fail("truncated input decompressed without error (trial " + trial + ")");
                }
            } else if (!(error[0] instanceof IOException)) {
                fail("expected IOException, got " + error[0], error[0]);
            }
        }
    }

    private static byte[] flip(byte[] bytes, Random random) {
        byte[] copy = bytes.clone();
        int at = random.nextInt(copy.length);
        copy[at] ^= (byte) (1 + random.nextInt(255));
        return copy;
    }
}
