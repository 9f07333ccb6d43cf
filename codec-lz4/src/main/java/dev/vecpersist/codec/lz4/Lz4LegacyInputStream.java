package dev.vecpersist.codec.lz4;

import net.jpountz.lz4.LZ4Exception;
import net.jpountz.lz4.LZ4SafeDecompressor;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads LZ4's legacy frame format, as {@code lz4 -l} writes it (lz4-java reads only the standard
 * frame): the magic number {@code 0x184C2102}, then blocks of at most 8 MiB of output, each a
 * 4-byte little-endian compressed size and an LZ4 block, until the end of the stream; the magic
 * number in place of a size starts another legacy frame. The format has no checksum: the state
 * file's own content checksum catches damage. Not thread-safe.
 */
final class Lz4LegacyInputStream extends InputStream {

    static final int MAGIC = 0x184C2102;
    private static final int BLOCK = 8 << 20;
    /** LZ4_compressBound(8 MiB): no valid block is bigger. */
    private static final int MAX_COMPRESSED = BLOCK + BLOCK / 255 + 16;

    private final InputStream in;
    private final LZ4SafeDecompressor decompressor;
    private byte[] compressed = new byte[0];
    private byte[] block = new byte[0];
    private int position;
    private int limit;
    private boolean ended;

    /**
     * Starts reading after the frame's magic number, which the caller has consumed.
     *
     * @param in           the stream positioned at the first block's size
     * @param decompressor the bounds-checked decompressor
     */
    Lz4LegacyInputStream(InputStream in, LZ4SafeDecompressor decompressor) {
        this.in = in;
        this.decompressor = decompressor;
    }

    @Override
    public int read() throws IOException {
        if (!fill()) {
            return -1;
        }
        return block[position++] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (!fill()) {
            return -1;
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

    /** Decodes the next block when the current one is used up; false at the end of the stream. */
    private boolean fill() throws IOException {
        while (position == limit) {
            if (ended) {
                return false;
            }
            int size = readSize();
            if (size < 0) {
                ended = true;
                return false;
            }
            if (size == MAGIC) {
                continue; // a concatenated legacy frame
            }
            if (size <= 0 || size > MAX_COMPRESSED) {
                throw new IOException("corrupt LZ4 legacy block: compressed size " + Integer.toUnsignedString(size)
                        + " is outside 1.." + MAX_COMPRESSED);
            }
            if (compressed.length < size) {
                compressed = new byte[size];
            }
            if (in.readNBytes(compressed, 0, size) != size) {
                throw new EOFException("LZ4 legacy block truncated: " + size + " bytes announced");
            }
            if (block.length < BLOCK) {
                block = new byte[BLOCK];
            }
            try {
                limit = decompressor.decompress(compressed, 0, size, block, 0, BLOCK);
            } catch (LZ4Exception e) {
                throw new IOException("corrupt LZ4 legacy block: " + e.getMessage(), e);
            }
            position = 0;
        }
        return true;
    }

    /** The next little-endian size, or -1 at a clean end of the stream. */
    private int readSize() throws IOException {
        byte[] b = in.readNBytes(4);
        if (b.length == 0) {
            return -1;
        }
        if (b.length < 4) {
            throw new EOFException("LZ4 legacy stream ends inside a block size");
        }
        return (b[0] & 0xff) | (b[1] & 0xff) << 8 | (b[2] & 0xff) << 16 | (b[3] & 0xff) << 24;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
