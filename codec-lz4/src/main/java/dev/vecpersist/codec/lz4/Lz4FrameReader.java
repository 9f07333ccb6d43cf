package dev.vecpersist.codec.lz4;

import net.jpountz.lz4.LZ4Exception;
import net.jpountz.lz4.LZ4SafeDecompressor;
import net.jpountz.xxhash.StreamingXXHash32;
import net.jpountz.xxhash.XXHash32;
import net.jpountz.xxhash.XXHashFactory;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * Reads LZ4 frames (the format of the {@code lz4} command): the frames lz4-java's
 * {@code LZ4FrameInputStream} reads (independent blocks of 64 KiB to 4 MiB, block checksums,
 * content size and content checksum each optional, skippable frames, several frames in a row),
 * with the same checks and messages, and without its costs per block: a read that asks for at
 * least a whole block gets the block decompressed (or, stored, read) straight into its array
 * instead of through a buffer of the reader's, and the buffers are only as big as the frame's
 * blocks. Every block checksum is verified before the block is decompressed, by the bounds-checked
 * decompressor, and the content checksum and size at the end of each frame. Not thread-safe.
 */
final class Lz4FrameReader extends InputStream {

    static final int MAGIC = 0x184D2204;
    /** Skippable frames use the magic numbers 0x184D2A50 to 0x184D2A5F. */
    private static final int SKIPPABLE_MAGIC = 0x184D2A50;
    private static final int UNCOMPRESSED = 0x80000000;
    private static final int VERSION_MASK = 0xC0;
    private static final int VERSION_01 = 0x40;
    private static final int INDEPENDENT_BLOCKS = 0x20;
    private static final int BLOCK_CHECKSUM = 0x10;
    private static final int CONTENT_SIZE = 0x08;
    private static final int CONTENT_CHECKSUM = 0x04;
    /** The reserved bit and the dictionary id, which {@code LZ4FrameInputStream} refuses too. */
    private static final int UNSUPPORTED_FLAGS = 0x02 | 0x01;
    private static final String PREMATURE_END = "Stream ended prematurely";
    private static final byte[] NONE = new byte[0];

    private final InputStream in;
    private final LZ4SafeDecompressor decompressor;
    private final XXHash32 blockHash;
    private final byte[] descriptor = new byte[10];
    private StreamingXXHash32 contentHash;
    private byte[] compressed = NONE;
    private byte[] block = NONE;
    private int position;
    private int limit;
    private boolean anyFrame;
    private boolean inFrame;
    private int flags;
    private int maxBlock;
    private long expectedSize;
    private long size;
    private boolean closed;

    /**
     * Reads frames from {@code in}, starting at a frame's magic number.
     *
     * @param in           the frames; closed by {@link #close()}
     * @param decompressor the bounds-checked decompressor
     */
    Lz4FrameReader(InputStream in, LZ4SafeDecompressor decompressor) {
        this.in = in;
        this.decompressor = decompressor;
        this.blockHash = XXHashFactory.fastestInstance().hash32();
    }

    @Override
    public int read() throws IOException {
        if (position < limit && !closed) {
            return block[position++] & 0xff;
        }
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (closed) {
            throw new IOException("Stream closed");
        }
        if (len == 0) {
            return 0;
        }
        while (position == limit) {
            if (!inFrame) {
                if (!nextFrame()) {
                    return -1;
                }
                continue;
            }
            int header = readInt();
            if ((header & ~UNCOMPRESSED) == 0) {
                // the end mark; with the "stored" bit too for lz4's own decoder and lz4-java's reader
                endFrame();
                continue;
            }
            int direct = readBlock(header, b, off, len);
            if (direct > 0) {
                return direct;
            }
        }
        int n = Math.min(len, limit - position);
        System.arraycopy(block, position, b, off, n);
        position += n;
        return n;
    }

    @Override
    public int available() {
        return limit - position;
    }

    /**
     * Reads the block announced by {@code header}: into {@code b} when the caller asked for at least
     * a whole block (returning how much it holds), otherwise into this reader's buffer (returning 0).
     */
    private int readBlock(int header, byte[] b, int off, int len) throws IOException {
        boolean stored = (header & UNCOMPRESSED) != 0;
        int length = header & ~UNCOMPRESSED;
        if (length > maxBlock) {
            throw new IOException("Block size " + length + " exceeded max: " + maxBlock);
        }
        boolean direct = len >= maxBlock;
        if (!direct && block.length < maxBlock) {
            block = new byte[maxBlock];
        }
        byte[] target = direct ? b : block;
        int at = direct ? off : 0;
        int decoded;
        if (stored) {
            readFully(target, at, length);
            checkBlock(target, at, length);
            decoded = length;
        } else {
            if (compressed.length < maxBlock) {
                compressed = new byte[maxBlock];
            }
            readFully(compressed, 0, length);
            checkBlock(compressed, 0, length);
            try {
                decoded = decompressor.decompress(compressed, 0, length, target, at, maxBlock);
            } catch (LZ4Exception e) {
                throw new IOException(e);
            }
        }
        if ((flags & CONTENT_CHECKSUM) != 0) {
            contentHash.update(target, at, decoded);
        }
        size += decoded;
        if (direct) {
            return decoded;
        }
        position = 0;
        limit = decoded;
        return 0;
    }

    private void checkBlock(byte[] data, int off, int length) throws IOException {
        if ((flags & BLOCK_CHECKSUM) != 0 && readInt() != blockHash.hash(data, off, length, 0)) {
            throw new IOException("Block checksum mismatch");
        }
    }

    /** After the end mark: the content checksum and size, when the frame has them. */
    private void endFrame() throws IOException {
        if ((flags & CONTENT_CHECKSUM) != 0 && readInt() != contentHash.getValue()) {
            throw new IOException("Content checksum mismatch");
        }
        if ((flags & CONTENT_SIZE) != 0 && expectedSize != size) {
            throw new IOException("Size check mismatch");
        }
        inFrame = false;
    }

    /** Reads up to the next frame's blocks, passing skippable frames; false at a clean end after a frame. */
    private boolean nextFrame() throws IOException {
        while (true) {
            int got = in.readNBytes(descriptor, 0, 4);
            if (got == 0 && anyFrame) {
                return false;
            }
            if (got < 4) {
                throw new IOException(PREMATURE_END);
            }
            int magic = intLE(descriptor, 0);
            anyFrame = true;
            if (magic == MAGIC) {
                readDescriptor();
                return true;
            }
            if ((magic >>> 4) != (SKIPPABLE_MAGIC >>> 4)) {
                throw new IOException("Stream unsupported");
            }
            long skip = readInt() & 0xFFFFFFFFL;
            try {
                in.skipNBytes(skip);
            } catch (EOFException e) {
                throw new IOException(PREMATURE_END, e);
            }
        }
    }

    private void readDescriptor() throws IOException {
        readFully(descriptor, 0, 2);
        int flg = descriptor[0] & 0xff;
        int bd = descriptor[1] & 0xff;
        int sizeCode = bd >>> 4 & 7;
        if ((flg & VERSION_MASK) != VERSION_01 || (flg & UNSUPPORTED_FLAGS) != 0 || (flg & INDEPENDENT_BLOCKS) == 0
                || (bd & 0x8F) != 0 || sizeCode < 4) {
            throw new IOException("Invalid or unsupported frame descriptor: FLG 0x" + Integer.toHexString(flg)
                    + ", BD 0x" + Integer.toHexString(bd)
                    + ((flg & INDEPENDENT_BLOCKS) == 0 ? " (dependent blocks are not supported)" : ""));
        }
        int length = 2;
        expectedSize = -1;
        if ((flg & CONTENT_SIZE) != 0) {
            readFully(descriptor, 2, 8);
            expectedSize = (intLE(descriptor, 2) & 0xFFFFFFFFL) | (long) intLE(descriptor, 6) << 32;
            length = 10;
        }
        int check = in.read();
        if (check < 0) {
            throw new IOException(PREMATURE_END);
        }
        if (check != (blockHash.hash(descriptor, 0, length, 0) >> 8 & 0xff)) {
            throw new IOException("Stream frame descriptor corrupted");
        }
        flags = flg;
        maxBlock = 1 << (8 + 2 * sizeCode);
        size = 0;
        if ((flg & CONTENT_CHECKSUM) != 0) {
            if (contentHash == null) {
                contentHash = XXHashFactory.fastestInstance().newStreamingHash32(0);
            } else {
                contentHash.reset();
            }
        }
        inFrame = true;
    }

    private int readInt() throws IOException {
        readFully(descriptor, 0, 4);
        return intLE(descriptor, 0);
    }

    private void readFully(byte[] b, int off, int len) throws IOException {
        if (in.readNBytes(b, off, len) != len) {
            throw new IOException(PREMATURE_END);
        }
    }

    private static int intLE(byte[] b, int at) {
        return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8 | (b[at + 2] & 0xff) << 16 | (b[at + 3] & 0xff) << 24;
    }

    @Override
    public void close() throws IOException {
        closed = true;
        try {
            in.close();
        } finally {
            if (contentHash != null) {
                contentHash.close();
                contentHash = null;
            }
        }
    }
}
