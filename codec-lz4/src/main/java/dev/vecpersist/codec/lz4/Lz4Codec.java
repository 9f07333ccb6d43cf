package dev.vecpersist.codec.lz4;

import dev.vecpersist.api.CompressionCodec;
import dev.vecpersist.api.LevelRange;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * LZ4 in the standard frame format (readable by the {@code lz4} command), with the frame's content
 * checksum on and no per-block checksums (frames with them, as written before, read and are
 * verified as before), with the block compressors, decompressors and xxHash of lz4-java (the
 * maintained {@code at.yawk.lz4} fork); the frames are written by {@link Lz4FrameWriter} and read by
 * {@link Lz4FrameReader}. Reads the legacy frame format too ({@code lz4 -l}), see
 * {@link Lz4LegacyInputStream}.
 *
 * <p>Level 0 (the default) is LZ4's fast compressor, with an early abort: a block whose first
 * 16 KiB do not shrink by an eighth is stored uncompressed (see {@link Lz4FrameWriter}). Levels 1 to
 * 17 use its high-compression compressor at that level on every block (slower to write, as fast to
 * read). Decompression always uses the
 * bounds-checked "safe" decompressor, never the unsafe one, since files are untrusted input.
 * Stateless and thread-safe.
 */
public final class Lz4Codec implements CompressionCodec {

    private static final int FRAME_MAGIC = 0x184D2204;
    private static final int MAX_LEVEL = 17;
    /**
     * Blocks of 256 KiB (the frame descriptor's code 5; files with 4 MiB blocks, as written before,
     * read as well). The save and load pipelines hand over 512 KiB and 1 MiB at a time, so the
     * codec's thread starts and finishes within a few blocks of the other thread, and whole blocks
     * compress from and decompress into the hand-over buffers; the blocks stay below G1's humongous
     * size, and
     * random-looking vectors compress as well as in 4 MiB blocks (within 0.1%).
     */
    private static final int BLOCK_SIZE_CODE = 5;
    /** 0 is the fast compressor, 1..17 LZ4 HC. */
    private static final LevelRange LEVELS = new LevelRange(0, MAX_LEVEL);

    @Override
    public String name() {
        return "lz4";
    }

    @Override
    public String fileExtension() {
        return "lz4";
    }

    @Override
    public int defaultLevel() {
        return 0;
    }

    @Override
    public LevelRange levelRange() {
        return LEVELS;
    }

    @Override
    public OutputStream compress(OutputStream out, int level) throws IOException {
        LEVELS.check("lz4", level);
        LZ4Factory factory = LZ4Factory.fastestInstance();
        LZ4Compressor compressor = level == 0 ? factory.fastCompressor() : factory.highCompressor(level);
        // the frame LZ4FrameOutputStream writes (independent blocks, content checksum), cheaper
        return new Lz4FrameWriter(out, compressor, BLOCK_SIZE_CODE, level == 0);
    }

    @Override
    public InputStream decompress(InputStream in) throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(in, 1 << 16);
        buffered.mark(4);
        byte[] magic = buffered.readNBytes(4);
        if (magic.length == 4 && littleEndian(magic) == Lz4LegacyInputStream.MAGIC) {
            return new Lz4LegacyInputStream(buffered, LZ4Factory.fastestInstance().safeDecompressor());
        }
        buffered.reset();
        return new Lz4FrameReader(buffered, LZ4Factory.fastestInstance().safeDecompressor());
    }

    /**
     * {@return false: decompressing LZ4 on the parser's thread costs less than a second thread}
     * A read of a whole block or more (the msgpack reader's) gets the block decompressed straight
     * into the reader's buffer, with no hand-over buffer and no copy between threads.
     */
    @Override
    public boolean decompressAhead() {
        return false;
    }

    @Override
    public Detection detect(byte[] head, int length) {
        if (length < 4) {
            return Detection.NO_MATCH;
        }
        int magic = littleEndian(head);
        return magic == FRAME_MAGIC || magic == Lz4LegacyInputStream.MAGIC ? Detection.MATCH : Detection.NO_MATCH;
    }

    private static int littleEndian(byte[] b) {
        return (b[0] & 0xff) | (b[1] & 0xff) << 8 | (b[2] & 0xff) << 16 | (b[3] & 0xff) << 24;
    }
}
