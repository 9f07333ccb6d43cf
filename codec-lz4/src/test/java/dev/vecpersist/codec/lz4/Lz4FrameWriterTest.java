package dev.vecpersist.codec.lz4;

import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4FrameInputStream;
import net.jpountz.lz4.LZ4FrameOutputStream;
import net.jpountz.xxhash.XXHashFactory;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class Lz4FrameWriterTest {

    /**
     * Random bytes (incompressible) with runs of zeros (compressible) in the first half: at every
     * block size, blocks that compress and blocks stored as they are.
     */
    private static byte[] mixed(int size, long seed) {
        byte[] data = new byte[size];
        Random random = new Random(seed);
        random.nextBytes(data);
        for (int at = 0; at + 20_000 < size / 2; at += 50_000) {
            java.util.Arrays.fill(data, at, at + 20_000, (byte) 0);
        }
        return data;
    }

    /** Writes the data in pieces of the given sizes (cycling), flushing after every {@code flushEvery} pieces. */
    private static void feed(OutputStream out, byte[] data, int[] pieces, int flushEvery) throws IOException {
        int at = 0;
        int i = 0;
        while (at < data.length) {
            int n = Math.min(pieces[i % pieces.length], data.length - at);
            if (n == 1) {
                out.write(data[at]);
            } else {
                out.write(data, at, n);
            }
            at += n;
            i++;
            if (flushEvery > 0 && i % flushEvery == 0) {
                out.flush();
            }
        }
        out.close();
    }

    private static byte[] ours(LZ4Compressor compressor, int sizeCode, byte[] data, int[] pieces, int flushEvery)
            throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        feed(new Lz4FrameWriter(out, compressor, sizeCode, false), data, pieces, flushEvery);
        return out.toByteArray();
    }

    private static byte[] library(LZ4Compressor compressor, int sizeCode, byte[] data, int[] pieces, int flushEvery)
            throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        feed(new LZ4FrameOutputStream(out, LZ4FrameOutputStream.BLOCKSIZE.valueOf(sizeCode), -1L, compressor,
                XXHashFactory.fastestInstance().hash32(), LZ4FrameOutputStream.FLG.Bits.BLOCK_INDEPENDENCE,
                LZ4FrameOutputStream.FLG.Bits.CONTENT_CHECKSUM),
                data, pieces, flushEvery);
        return out.toByteArray();
    }

    @Test
    void writesByteForByteWhatLz4FrameOutputStreamWritesAtEveryBlockSize() throws IOException {
        LZ4Factory factory = LZ4Factory.fastestInstance();
        for (int sizeCode = 4; sizeCode <= 7; sizeCode++) {
            int block = 1 << (8 + 2 * sizeCode);
            int[][] patterns = {{1 << 20}, {block}, {block + 1}, {3 * block}, {1, 7, 65_536, 999_999}, {17 << 20}};
            for (int size : new int[] {0, 1, 1000, block, block + 5, 3 * block + 17}) {
                byte[] data = mixed(size, size);
                for (int[] pieces : patterns) {
                    for (int flushEvery : new int[] {0, 3}) {
                        for (LZ4Compressor compressor : new LZ4Compressor[] {factory.fastCompressor(), factory.highCompressor(9)}) {
                            if (compressor != factory.fastCompressor() && size > block + 5) {
                                continue; // the high compressor is slow; its smaller sizes cover it
                            }
                            byte[] ours = ours(compressor, sizeCode, data, pieces, flushEvery);
                            assertThat(ours).as("block size code %d, size %d, pieces %s, flush every %d", sizeCode, size,
                                    java.util.Arrays.toString(pieces), flushEvery)
                                    .isEqualTo(library(compressor, sizeCode, data, pieces, flushEvery));
                            try (LZ4FrameInputStream in = new LZ4FrameInputStream(new ByteArrayInputStream(ours))) {
                                assertThat(in.readAllBytes()).isEqualTo(data);
                            }
                        }
                    }
                }
            }
        }
    }

    /** Whether each block of a frame (no block checksums) is stored uncompressed, in order. */
    private static java.util.List<Boolean> storedUncompressed(byte[] frame) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(frame).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.position(7);
        java.util.List<Boolean> blocks = new java.util.ArrayList<>();
        for (int word = b.getInt(); word != 0; word = b.getInt()) {
            blocks.add(word < 0);
            b.position(b.position() + (word & 0x7fffffff));
        }
        return blocks;
    }

    private static byte[] earlyAbort(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        feed(new Lz4FrameWriter(out, LZ4Factory.fastestInstance().fastCompressor(), 5, true), data, new int[] {100_000}, 0);
        byte[] frame = out.toByteArray();
        try (LZ4FrameInputStream in = new LZ4FrameInputStream(new ByteArrayInputStream(frame))) {
            assertThat(in.readAllBytes()).as("lz4-java's reader").isEqualTo(data);
        }
        try (java.io.InputStream in = new Lz4Codec().decompress(new ByteArrayInputStream(frame))) {
            assertThat(in.readAllBytes()).as("ours").isEqualTo(data);
        }
        return frame;
    }

    @Test
    void earlyAbortStoresABlockWhoseProbeDoesNotShrinkByAnEighthWithoutCompressingIt() throws IOException {
        int block = 256 * 1024;
        int probe = Lz4FrameWriter.PROBE_BYTES;
        byte[] data = new byte[5 * block + 1000];
        new Random(7).nextBytes(data);
        // block 0: random, probed (the first block is) and stored; block 1: probed (after a stored block),
        // compressible throughout; block 2: random probe, compressible after it, but not probed (block 1
        // shrank by an eighth) so compressed whole; block 3: half of its probe zeros, the rest random:
        // compressed whole, it shrinks, but by less than an eighth; block 4: probed again, a probe that
        // shrinks by a sixteenth at most, stored; the last block (1000 bytes) is shorter than two probes:
        // compressed if it can be (random: it cannot)
        java.util.Arrays.fill(data, block, 2 * block, (byte) 'x');
        java.util.Arrays.fill(data, 2 * block + probe, 3 * block, (byte) 'y');
        java.util.Arrays.fill(data, 3 * block, 3 * block + probe / 2, (byte) 0);
        java.util.Arrays.fill(data, 4 * block, 4 * block + probe / 16, (byte) 0);
        byte[] frame = earlyAbort(data);
        assertThat(storedUncompressed(frame)).containsExactly(true, false, false, false, true, true);
        assertThat(frame.length).as("the compressible blocks shrank").isLessThan(4 * block);
    }

    @Test
    void aBlockAfterOneThatShrankByAnEighthIsNotProbed() throws IOException {
        int block = 256 * 1024;
        int probe = Lz4FrameWriter.PROBE_BYTES;
        // every block: a random probe, then zeros; probed, each would be stored as it is
        byte[] data = new byte[4 * block];
        new Random(11).nextBytes(data);
        for (int at = 0; at < data.length; at += block) {
            java.util.Arrays.fill(data, at + probe, at + block, (byte) 0);
        }
        // the first block is probed: stored, so the second is probed too, and stored
        assertThat(storedUncompressed(earlyAbort(data))).containsExactly(true, true, true, true);
        // a first block that compresses: no block after it is probed, and each shrinks
        java.util.Arrays.fill(data, 0, probe, (byte) 0);
        assertThat(storedUncompressed(earlyAbort(data))).containsExactly(false, false, false, false);
    }

    @Test
    void earlyAbortWritesWhatLz4FrameOutputStreamWritesForDataThatCompresses() throws IOException {
        byte[] text = new byte[3 * 256 * 1024 + 77];
        Random random = new Random(3);
        for (int i = 0; i < text.length; i++) {
            text[i] = (byte) ('0' + random.nextInt(10)); // digits: LZ4 shrinks them by more than an eighth
        }
        assertThat(earlyAbort(text)).isEqualTo(library(LZ4Factory.fastestInstance().fastCompressor(), 5, text,
                new int[] {100_000}, 0));
    }

    @Test
    void refusesWritesAfterClose() throws IOException {
        Lz4FrameWriter writer = new Lz4FrameWriter(new ByteArrayOutputStream(), LZ4Factory.fastestInstance().fastCompressor(), 6, true);
        writer.close();
        writer.close(); // a second close does nothing more
        assertThatThrownBy(() -> writer.write(1)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> writer.write(new byte[3], 0, 3)).isInstanceOf(IllegalStateException.class);
    }
}
