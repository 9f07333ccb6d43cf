package dev.vecpersist.codec.lz4;

import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4FrameInputStream;
import net.jpountz.lz4.LZ4FrameOutputStream;
import net.jpountz.lz4.LZ4FrameOutputStream.BLOCKSIZE;
import net.jpountz.lz4.LZ4FrameOutputStream.FLG;
import net.jpountz.xxhash.XXHashFactory;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link Lz4FrameReader} against lz4-java's own frames, and against its reader on damaged ones. */
class Lz4FrameReaderTest {

    /** Random bytes (incompressible) with runs of zeros (compressible). */
    private static byte[] mixed(int size, long seed) {
        byte[] data = new byte[size];
        Random random = new Random(seed);
        random.nextBytes(data);
        for (int at = 0; at + 30_000 < size; at += 100_000) {
            Arrays.fill(data, at, at + 30_000, (byte) 0);
        }
        return data;
    }

    private static byte[] libraryFrame(byte[] data, BLOCKSIZE blockSize, boolean knownSize, FLG.Bits... bits)
            throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (LZ4FrameOutputStream lz4 = new LZ4FrameOutputStream(out, blockSize, knownSize ? data.length : -1L,
                LZ4Factory.fastestInstance().fastCompressor(), XXHashFactory.fastestInstance().hash32(), bits)) {
            lz4.write(data);
        }
        return out.toByteArray();
    }

    private static Lz4FrameReader reader(byte[] frames) {
        return new Lz4FrameReader(new ByteArrayInputStream(frames), LZ4Factory.fastestInstance().safeDecompressor());
    }

    /** Reads everything in pieces of the given size (1 reads byte by byte). */
    private static byte[] readInPieces(InputStream in, int piece) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[Math.max(piece, 1)];
        while (true) {
            if (piece == 1) {
                int b = in.read();
                if (b < 0) {
                    break;
                }
                out.write(b);
            } else {
                int n = in.read(buffer, 0, piece);
                if (n < 0) {
                    break;
                }
                assertThat(n).isPositive();
                out.write(buffer, 0, n);
            }
        }
        return out.toByteArray();
    }

    private static List<FLG.Bits[]> flagCombinations() {
        List<FLG.Bits[]> combinations = new ArrayList<>();
        for (boolean blockChecksum : new boolean[] {false, true}) {
            for (boolean contentChecksum : new boolean[] {false, true}) {
                List<FLG.Bits> bits = new ArrayList<>(List.of(FLG.Bits.BLOCK_INDEPENDENCE));
                if (blockChecksum) {
                    bits.add(FLG.Bits.BLOCK_CHECKSUM);
                }
                if (contentChecksum) {
                    bits.add(FLG.Bits.CONTENT_CHECKSUM);
                }
                combinations.add(bits.toArray(new FLG.Bits[0]));
            }
        }
        return combinations;
    }

    @Test
    void readsEveryFrameVariantTheLibraryWritesInAnyPieces() throws IOException {
        for (BLOCKSIZE blockSize : BLOCKSIZE.values()) {
            int size = 3 * maxBlock(blockSize) + 12_345;
            byte[] data = mixed(size, size);
            for (FLG.Bits[] bits : flagCombinations()) {
                for (boolean knownSize : new boolean[] {false, true}) {
                    FLG.Bits[] withSize = knownSize ? append(bits, FLG.Bits.CONTENT_SIZE) : bits;
                    byte[] frame = libraryFrame(data, blockSize, knownSize, withSize);
                    for (int piece : new int[] {1 << 20, maxBlock(blockSize), 5 << 20, 8191}) {
                        assertThat(readInPieces(reader(frame), piece))
                                .as("%s, %s, pieces of %d", blockSize, Arrays.toString(withSize), piece).isEqualTo(data);
                    }
                }
            }
        }
        byte[] small = mixed(70_000, 1);
        assertThat(readInPieces(reader(libraryFrame(small, BLOCKSIZE.SIZE_64KB, false, flagCombinations().get(3))), 1))
                .isEqualTo(small);
    }

    private static int maxBlock(BLOCKSIZE blockSize) {
        return 1 << (8 + 2 * blockSize.getIndicator());
    }

    private static FLG.Bits[] append(FLG.Bits[] bits, FLG.Bits more) {
        FLG.Bits[] all = Arrays.copyOf(bits, bits.length + 1);
        all[bits.length] = more;
        return all;
    }

    @Test
    void readsFramesInARowAndPassesSkippableFrames() throws IOException {
        byte[] first = mixed(300_000, 2);
        byte[] second = mixed(5_000, 3);
        byte[] skippable = {0x5A, 0x2A, 0x4D, 0x18, 3, 0, 0, 0, 9, 9, 9};
        ByteArrayOutputStream frames = new ByteArrayOutputStream();
        frames.write(skippable);
        frames.write(libraryFrame(first, BLOCKSIZE.SIZE_64KB, false, flagCombinations().get(3)));
        frames.write(skippable);
        frames.write(libraryFrame(new byte[0], BLOCKSIZE.SIZE_4MB, true, FLG.Bits.BLOCK_INDEPENDENCE, FLG.Bits.CONTENT_SIZE));
        frames.write(libraryFrame(second, BLOCKSIZE.SIZE_1MB, false, FLG.Bits.BLOCK_INDEPENDENCE));
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.write(first);
        expected.write(second);
        assertThat(readInPieces(reader(frames.toByteArray()), 1 << 20)).isEqualTo(expected.toByteArray());
    }

    @Test
    void refusesWhatTheLibraryRefuses() throws IOException {
        byte[] frame = libraryFrame(mixed(1000, 4), BLOCKSIZE.SIZE_64KB, false, flagCombinations().get(3));
        byte[] dependent = frame.clone();
        dependent[4] &= ~0x20;
        dependent[6] = (byte) (XXHashFactory.fastestInstance().hash32().hash(dependent, 4, 2, 0) >> 8);
        assertThatThrownBy(() -> readInPieces(reader(dependent), 4096)).isInstanceOf(IOException.class)
                .hasMessageContaining("dependent blocks");
        byte[] badDescriptor = frame.clone();
        badDescriptor[6]++;
        assertThatThrownBy(() -> readInPieces(reader(badDescriptor), 4096)).isInstanceOf(IOException.class)
                .hasMessage("Stream frame descriptor corrupted");
        assertThatThrownBy(() -> readInPieces(reader(new byte[0]), 4096)).isInstanceOf(IOException.class)
                .hasMessage("Stream ended prematurely");
        assertThatThrownBy(() -> readInPieces(reader(new byte[] {1, 2, 3, 4, 5}), 4096)).isInstanceOf(IOException.class)
                .hasMessage("Stream unsupported");
        byte[] damagedBlock = frame.clone();
        damagedBlock[20] ^= 1;
        assertThatThrownBy(() -> readInPieces(reader(damagedBlock), 1 << 20)).isInstanceOf(IOException.class)
                .hasMessage("Block checksum mismatch");
        byte[] damagedContent = frame.clone();
        damagedContent[frame.length - 1] ^= 1;
        assertThatThrownBy(() -> readInPieces(reader(damagedContent), 1 << 20)).isInstanceOf(IOException.class)
                .hasMessage("Content checksum mismatch");
    }

    /**
     * Every truncation and many single-byte changes of frames with and without checksums: where the
     * library's reader fails with an {@link IOException}, so does ours; where it reads, ours reads
     * the same bytes; ours never fails any other way.
     */
    @Test
    void damagedFramesFailAsWithTheLibraryReader() throws IOException {
        byte[] data = mixed(200_000, 5);
        Random random = new Random(6);
        for (FLG.Bits[] bits : flagCombinations()) {
            byte[] frame = libraryFrame(data, BLOCKSIZE.SIZE_64KB, true, append(bits, FLG.Bits.CONTENT_SIZE));
            for (int cut = 0; cut < frame.length; cut += cut < 64 ? 1 : 997) {
                sameOutcome(Arrays.copyOf(frame, cut));
            }
            sameOutcome(Arrays.copyOf(frame, frame.length - 1));
            for (int i = 0; i < 300; i++) {
                byte[] damaged = frame.clone();
                int at = i < 40 ? i % frame.length : random.nextInt(frame.length);
                damaged[at] ^= (byte) (1 + random.nextInt(255));
                sameOutcome(damaged);
            }
        }
    }

    private static void sameOutcome(byte[] frames) throws IOException {
        byte[] theirs;
        try (LZ4FrameInputStream in = new LZ4FrameInputStream(new ByteArrayInputStream(frames))) {
            theirs = in.readAllBytes();
        } catch (IOException e) {
            theirs = null;
        }
        byte[] ours;
        try (Lz4FrameReader in = reader(frames)) {
            ours = readInPieces(in, 1 << 20);
        } catch (IOException e) {
            ours = null;
        }
        if (theirs == null) {
            assertThat(ours).as("the library refused this frame").isNull();
        } else {
            assertThat(ours).as("the library read this frame").isEqualTo(theirs);
        }
    }

    @Test
    void anEndMarkWithTheStoredBitEndsTheFrameAsForTheLibrary() throws IOException {
        byte[] data = mixed(100_000, 8);
        byte[] frame = libraryFrame(data, BLOCKSIZE.SIZE_64KB, false, flagCombinations().get(3));
        byte[] storedBitEnd = frame.clone();
        storedBitEnd[frame.length - 5] = (byte) 0x80; // the end mark's last byte, before the content checksum
        sameOutcome(storedBitEnd);
        assertThat(readInPieces(reader(storedBitEnd), 1 << 20)).isEqualTo(data);
    }

    @Test
    void refusesReadsAfterClose() throws IOException {
        Lz4FrameReader in = reader(libraryFrame(mixed(10, 7), BLOCKSIZE.SIZE_64KB, false, flagCombinations().get(3)));
        assertThat(in.read()).isEqualTo(mixed(10, 7)[0] & 0xff);
        in.close();
        assertThatThrownBy(() -> in.read(new byte[4], 0, 4)).isInstanceOf(IOException.class).hasMessage("Stream closed");
        assertThatThrownBy(in::read).isInstanceOf(IOException.class).hasMessage("Stream closed");
    }
}
