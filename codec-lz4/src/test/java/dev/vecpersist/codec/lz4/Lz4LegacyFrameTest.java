package dev.vecpersist.codec.lz4;

import dev.vecpersist.api.CompressionCodec;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The legacy frame format ({@code lz4 -l}) is detected and read (issue 23, item 5). */
class Lz4LegacyFrameTest {

    private static final int BLOCK = 8 << 20;
    private final Lz4Codec codec = new Lz4Codec();

    @TempDir
    Path dir;

    @Test
    void readsAFileTheLz4CommandWroteWithMinusL() throws IOException {
        // legacy-fixture.txt.lz4 was made with: lz4 -l legacy-fixture.txt legacy-fixture.txt.lz4
        byte[] file;
        try (InputStream in = getClass().getResourceAsStream("/legacy-fixture.txt.lz4")) {
            file = in.readAllBytes();
        }
        assertThat(codec.detect(file, file.length)).isEqualTo(CompressionCodec.Detection.MATCH);
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            expected.append("line ").append(i).append(" of the legacy fixture\n");
        }
        assertThat(new String(decompress(file), StandardCharsets.US_ASCII)).isEqualTo(expected.toString());
    }

    @Test
    void readsSeveralBlocksAndConcatenatedFrames() throws IOException {
        byte[] first = sample(2 * BLOCK + 12_345);
        byte[] second = sample(1000);
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        legacyFrame(file, first);
        legacyFrame(file, second);
        byte[] both = new byte[first.length + second.length];
        System.arraycopy(first, 0, both, 0, first.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        assertThat(decompress(file.toByteArray())).isEqualTo(both);
    }

    @Test
    void damageIsAnIOExceptionNeverAnUncheckedOne() throws IOException {
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        legacyFrame(file, sample(100_000));
        byte[] good = file.toByteArray();
        byte[] truncated = Arrays.copyOf(good, good.length - 10);
        assertThatThrownBy(() -> decompress(truncated)).isInstanceOf(IOException.class).hasMessageContaining("truncated");
        byte[] hugeSize = good.clone();
        hugeSize[7] = 0x7f; // a compressed size of about 2 GB
        assertThatThrownBy(() -> decompress(hugeSize)).isInstanceOf(IOException.class).hasMessageContaining("compressed size");
        byte[] garbled = good.clone();
        for (int i = 8; i < 64; i++) {
            garbled[i] = (byte) 0xff;
        }
        assertThatThrownBy(() -> decompress(garbled)).isInstanceOf(IOException.class);
    }

    @Test
    void readsWhatTheLz4CommandWritesAcrossBlocks() throws Exception {
        boolean installed;
        try {
            installed = new ProcessBuilder("lz4", "--version").start().waitFor(10, TimeUnit.SECONDS);
        } catch (IOException e) {
            installed = false;
        }
        if (!installed && "true".equals(System.getenv("CI"))) {
            throw new AssertionError("CI=true but the lz4 command is not installed (apt install lz4)");
        }
        assumeTrue(installed, "the lz4 command is not installed (apt install lz4)");
        byte[] data = sample(BLOCK + 4321);
        Path plain = dir.resolve("plain");
        Files.write(plain, data);
        Path legacy = dir.resolve("legacy.lz4");
        Process c = new ProcessBuilder("lz4", "-l", "-f", "-q", plain.toString(), legacy.toString()).redirectErrorStream(true).start();
        assertThat(c.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(c.exitValue()).isZero();
        assertThat(decompress(Files.readAllBytes(legacy))).isEqualTo(data);
    }

    private byte[] decompress(byte[] file) throws IOException {
        try (InputStream in = codec.decompress(new ByteArrayInputStream(file))) {
            return in.readAllBytes();
        }
    }

    /** Writes data the way {@code lz4 -l} does: the magic number, then 8 MiB blocks, each preceded by its size. */
    private static void legacyFrame(ByteArrayOutputStream out, byte[] data) {
        LZ4Compressor compressor = LZ4Factory.fastestInstance().fastCompressor();
        out.writeBytes(le(Lz4LegacyInputStream.MAGIC));
        for (int at = 0; at < data.length; at += BLOCK) {
            int n = Math.min(BLOCK, data.length - at);
            byte[] block = compressor.compress(Arrays.copyOfRange(data, at, at + n));
            out.writeBytes(le(block.length));
            out.writeBytes(block);
        }
    }

    private static byte[] le(int value) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(value).array();
    }

    /** Compressible but not trivial bytes. */
    private static byte[] sample(int size) {
        byte[] data = new byte[size];
        Random random = new Random(size);
        for (int i = 0; i < size; i++) {
            data[i] = (byte) ('a' + random.nextInt(8));
        }
        return data;
    }
}
