package dev.vecpersist.codec.lz4;

import dev.vecpersist.api.CompressionCodec;
import dev.vecpersist.testkit.CompressionCodecContract;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class Lz4CodecTest extends CompressionCodecContract {

    @TempDir
    Path dir;

    @Override
    protected CompressionCodec codec() {
        return new Lz4Codec();
    }

    private static boolean hasCommand() {
        try {
            return new ProcessBuilder("lz4", "--version").start().waitFor(10, TimeUnit.SECONDS);
        } catch (java.io.IOException | InterruptedException e) {
            return false;
        }
    }

    @Test
    void theLz4CommandReadsOurFramesAndWeReadItsFrames() throws Exception {
        assumeTrue(hasCommand(), "the lz4 command is not installed (apt install lz4)");
        byte[] data = sample(3_000_000);
        Path ours = dir.resolve("ours.lz4");
        Files.write(ours, compress(data, 0));
        Process d = new ProcessBuilder("lz4", "-d", "-f", ours.toString(), dir.resolve("ours.out").toString())
                .redirectErrorStream(true).start();
        assertThat(d.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(d.exitValue()).isZero();
        assertThat(Files.readAllBytes(dir.resolve("ours.out"))).isEqualTo(data);

        Path plain = dir.resolve("plain");
        Files.write(plain, data);
        Process c = new ProcessBuilder("lz4", "-f", plain.toString(), dir.resolve("theirs.lz4").toString())
                .redirectErrorStream(true).start();
        assertThat(c.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(decompress(Files.readAllBytes(dir.resolve("theirs.lz4")))).isEqualTo(data);
    }

    @Test
    void framesCarryAContentChecksumAndNoBlockChecksums() throws Exception {
        byte[] frame = compress(sample(1000), 0);
        // FLG byte: version 01, block independence, content checksum; no block checksums, no content size
        assertThat(frame[4] & 0xff).isEqualTo(0x64);
        assertThat(frame[4] & 0x04).as("content checksum flag").isEqualTo(0x04);
        assertThat(frame[4] & 0x10).as("block checksum flag").isZero();
    }

    /** Random bytes: LZ4 stores every block as it is, so a changed byte reaches the output unless checked. */
    private static byte[] noise(int length, long seed) {
        byte[] data = new byte[length];
        new Random(seed).nextBytes(data);
        return data;
    }

    private byte[] decompressAll(byte[] frame, int readSize) throws java.io.IOException {
        ByteArrayOutputStream back = new ByteArrayOutputStream();
        try (InputStream in = codec().decompress(new ByteArrayInputStream(frame))) {
            byte[] buffer = new byte[readSize];
            for (int n; (n = in.read(buffer, 0, readSize)) >= 0; ) {
                back.write(buffer, 0, n);
            }
        }
        return back.toByteArray();
    }

    @Test
    void aChangedByteInABlockOfOurFramesFailsTheRead() throws Exception {
        byte[] data = noise(3 * (256 << 10) + 1000, 7);
        data[100_000] = 0; // plus a compressible stretch: blocks stored and compressed
        java.util.Arrays.fill(data, 300_000, 500_000, (byte) 'a');
        byte[] frame = compress(data, 0);
        for (int at : new int[] {11, 50_000, 262_200, 300_000, 400_000, frame.length - 1_000, frame.length - 1}) {
            byte[] damaged = frame.clone();
            damaged[at] ^= 0x10;
            for (int read : new int[] {1 << 20, 4_099}) {
                assertThatThrownBy(() -> decompressAll(damaged, read)).as("byte %d changed, read %d at a time", at, read)
                        .isInstanceOf(java.io.IOException.class);
            }
        }
    }

    /**
     * Frames as the codec wrote them before it dropped the block checksums (256 KiB blocks, block
     * and content checksums): read, and a damaged block is refused by its block checksum.
     */
    @Test
    void readsAndVerifiesFramesWithBlockChecksumsAsWrittenBefore() throws Exception {
        byte[] data = noise(3 * (256 << 10) + 1000, 8);
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        try (OutputStream out = new net.jpountz.lz4.LZ4FrameOutputStream(sink, net.jpountz.lz4.LZ4FrameOutputStream.BLOCKSIZE.SIZE_256KB,
                -1L, net.jpountz.lz4.LZ4Factory.fastestInstance().fastCompressor(),
                net.jpountz.xxhash.XXHashFactory.fastestInstance().hash32(), net.jpountz.lz4.LZ4FrameOutputStream.FLG.Bits.BLOCK_INDEPENDENCE,
                net.jpountz.lz4.LZ4FrameOutputStream.FLG.Bits.CONTENT_CHECKSUM, net.jpountz.lz4.LZ4FrameOutputStream.FLG.Bits.BLOCK_CHECKSUM)) {
            out.write(data);
        }
        byte[] frame = sink.toByteArray();
        assertThat(frame[4] & 0xff).isEqualTo(0x74);
        for (int read : new int[] {1 << 20, 256 << 10, 4_099}) {
            assertThat(decompressAll(frame, read)).isEqualTo(data);
        }
        byte[] damaged = frame.clone();
        damaged[20] ^= 1; // inside the first (stored) block
        assertThatThrownBy(() -> decompressAll(damaged, 1 << 20)).isInstanceOf(java.io.IOException.class)
                .hasMessage("Block checksum mismatch");
    }

    /**
     * Round trips at the edges of the 256 KiB blocks, for data LZ4 stores as it is (random bytes)
     * and data it compresses, written whole, in whole blocks, in odd pieces and (the last 300 bytes) one byte at a time,
     * and read back with the pipeline's 1 MiB reads, whole-block reads and odd reads: a whole-block
     * write or read takes another path (no copy) than a partial one.
     */
    @ParameterizedTest
    @ValueSource(ints = {0, 1, (256 << 10) - 1, 256 << 10, (256 << 10) + 1, 2 * (256 << 10), (1 << 20) + 3, 5 * (256 << 10) - 7})
    void roundTripsAtBlockEdges(int length) throws Exception {
        Random random = new Random(length);
        byte[] noise = new byte[length];
        random.nextBytes(noise);
        byte[] text = new byte[length];
        for (int i = 0; i < length; i++) {
            text[i] = (byte) ('0' + (i * 7 + i / 13) % 10);
        }
        for (byte[] data : new byte[][] {noise, text}) {
            for (int piece : new int[] {Integer.MAX_VALUE, 256 << 10, 65_537, 1}) {
                ByteArrayOutputStream sink = new ByteArrayOutputStream();
                try (OutputStream out = codec().compress(sink, 0)) {
                    for (int at = 0; at < data.length; ) {
                        int n = Math.min(piece == 1 && at < data.length - 300 ? 300_000 : piece, data.length - at);
                        if (n == 1) {
                            out.write(data[at]);
                        } else {
                            out.write(data, at, n);
                        }
                        at += n;
                    }
                }
                byte[] frame = sink.toByteArray();
                for (int read : new int[] {1 << 20, 256 << 10, 4_099}) {
                    ByteArrayOutputStream back = new ByteArrayOutputStream();
                    try (InputStream in = codec().decompress(new ByteArrayInputStream(frame))) {
                        byte[] buffer = new byte[read];
                        for (int n; (n = in.read(buffer, 0, read)) >= 0; ) {
                            back.write(buffer, 0, n);
                        }
                    }
                    assertThat(back.toByteArray()).as("length %d, written in pieces of %d, read %d at a time", length, piece, read)
                            .isEqualTo(data);
                }
            }
        }
    }
}
