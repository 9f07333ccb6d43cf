package dev.vecpersist.codec.lz4;

import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.xxhash.StreamingXXHash32;
import net.jpountz.xxhash.XXHash32;
import net.jpountz.xxhash.XXHashFactory;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes one LZ4 frame (the format of the {@code lz4} command): independent blocks of the size the
 * caller picks (64 KiB to 4 MiB, recorded in the frame's descriptor) and the content checksum at the
 * end, no block checksums. Byte for byte what lz4-java's {@code LZ4FrameOutputStream} writes with
 * those options, without its costs per block: it zero-fills the whole output buffer before
 * compressing into it, and copies a block that does not compress (vectors of random-looking floats
 * rarely do) before writing it; JFR showed the fill alone costing as much as the compression. A write
 * of whole blocks is compressed from the caller's array, and the block buffer is only allocated when
 * a write leaves part of a block; a compressed block goes down in one write with its length.
 *
 * <p>Why no block checksums (frames written before had them, and still read): they are a second
 * xxHash32 pass over the compressed bytes, on the thread that bounds a compressed save. Corruption
 * is still caught: by the content checksum at the end of the frame (over every decompressed byte),
 * and by the state's own content checksum; only later, after the block it is in was decompressed
 * (by the bounds-checked decompressor, so a damaged block cannot write outside its buffer).
 *
 * <p>Early abort (for the fast compressor): a block's first {@value #PROBE_BYTES} bytes are
 * compressed first, and when they do not shrink by at least an eighth, the block is stored as it is
 * (the frame format's uncompressed block) without compressing the rest. The eighth is ZFS's rule for
 * keeping a compressed block; the probe is btrfs's and ZFS's early abort: data that does not
 * compress (float32 vectors: 2% smaller with LZ4) costs a sixteenth of the compression instead of
 * all of it, and reads back with a copy instead of a decompression. Any LZ4 reader reads such a
 * frame. Only a block after one that did not shrink by an eighth is probed: after one that did,
 * the next is compressed whole, so that data which compresses (JSON's digits) pays for no probe
 * and its frame is byte for byte {@code LZ4FrameOutputStream}'s. Not thread-safe.
 */
final class Lz4FrameWriter extends OutputStream {

    private static final int MAGIC = 0x184D2204;
    /** Version 01, block independence, content checksum; no block checksums, no content size, no dictionary. */
    private static final byte FLG = 0x40 | 0x20 | 0x04;
    private static final int UNCOMPRESSED = 0x80000000;
    /** How much of a block the early abort compresses to decide. */
    static final int PROBE_BYTES = 16 * 1024;

    private final OutputStream out;
    private final LZ4Compressor compressor;
    private final StreamingXXHash32 contentHash;
    private final int blockSize;
    private final boolean earlyAbort;
    /** Allocated at the first write of less than a block: writes of whole blocks compress from the caller's array. */
    private byte[] block;
    /** A block's length (4 bytes) and then its compressed bytes, written together. */
    private final byte[] compressed;
    private final byte[] word = new byte[4];
    private int used;
    private boolean finished;
    /** Whether the next block is probed: the first is, and each after one that did not shrink by an eighth. */
    private boolean probeNext = true;

    /**
     * Writes the frame's header.
     *
     * @param out        receives the frame; closed by {@link #close()}
     * @param compressor compresses each block
     * @param sizeCode   the frame's block maximum size as its descriptor records it: 4 (64 KiB), 5 (256 KiB),
     *                   6 (1 MiB) or 7 (4 MiB)
     * @param earlyAbort whether a block whose first {@value #PROBE_BYTES} bytes do not shrink by an
     *                   eighth is stored without compressing the rest
     */
    Lz4FrameWriter(OutputStream out, LZ4Compressor compressor, int sizeCode, boolean earlyAbort) throws IOException {
        if (sizeCode < 4 || sizeCode > 7) {
            throw new IllegalArgumentException("no LZ4 block size code " + sizeCode);
        }
        this.out = out;
        this.compressor = compressor;
        this.blockSize = 1 << (8 + 2 * sizeCode);
        this.earlyAbort = earlyAbort;
        XXHashFactory hashes = XXHashFactory.fastestInstance();
        this.contentHash = hashes.newStreamingHash32(0);
        this.compressed = new byte[4 + compressor.maxCompressedLength(blockSize)];
        byte[] header = {0, 0, 0, 0, FLG, (byte) (sizeCode << 4), 0};
        putIntLE(header, 0, MAGIC);
        XXHash32 descriptorHash = hashes.hash32();
        header[6] = (byte) ((descriptorHash.hash(header, 4, 2, 0) >> 8) & 0xff);
        out.write(header);
    }

    @Override
    public void write(int b) throws IOException {
        ensureOpen();
        if (block == null) {
            block = new byte[blockSize];
        }
        if (used == blockSize) {
            writeBlock(block, 0, used);
            used = 0;
        }
        block[used++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        ensureOpen();
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        while (len > 0) {
            if (used == blockSize) {
                writeBlock(block, 0, used);
                used = 0;
            }
            if (used == 0 && len >= blockSize) {
                // a whole block: the same block as through the buffer, without the copy
                writeBlock(b, off, blockSize);
                off += blockSize;
                len -= blockSize;
                continue;
            }
            if (block == null) {
                block = new byte[blockSize];
            }
            int n = Math.min(len, blockSize - used);
            System.arraycopy(b, off, block, used, n);
            used += n;
            off += n;
            len -= n;
        }
    }

    /** Writes what is buffered as a block (as {@code LZ4FrameOutputStream} does), then flushes. */
    @Override
    public void flush() throws IOException {
        if (!finished && used > 0) {
            writeBlock(block, 0, used);
            used = 0;
        }
        out.flush();
    }

    /** Writes the last block, the end mark and the content checksum, and closes the stream below. */
    @Override
    public void close() throws IOException {
        if (finished) {
            return;
        }
        try {
            flush();
            finished = true;
            writeInt(0);
            writeInt(contentHash.getValue());
        } finally {
            finished = true;
            contentHash.close(); // the JNI hash's native state
            out.close();
        }
    }

    private void writeBlock(byte[] src, int off, int len) throws IOException {
        contentHash.update(src, off, len);
        int size = compresses(src, off, len)
                ? compressor.compress(src, off, len, compressed, 4, compressed.length - 4)
                : len;
        probeNext = !shrankByAnEighth(size, len);
        if (size >= len) {
            // stored as it is: no smaller compressed
            writeInt(len | UNCOMPRESSED);
            out.write(src, off, len);
        } else {
            putIntLE(compressed, 0, size);
            out.write(compressed, 0, 4 + size);
        }
    }

    /**
     * Whether the block is worth compressing: its probe shrinks by an eighth, or it is not probed
     * (no early abort, too short a block, or the block before shrank by an eighth).
     */
    private boolean compresses(byte[] src, int off, int len) {
        if (!earlyAbort || !probeNext || len < 2 * PROBE_BYTES) {
            return true;
        }
        int probe = compressor.compress(src, off, PROBE_BYTES, compressed, 4, compressed.length - 4);
        return shrankByAnEighth(probe, PROBE_BYTES);
    }

    private static boolean shrankByAnEighth(int size, int original) {
        return size <= original - original / 8;
    }

    private void writeInt(int value) throws IOException {
        putIntLE(word, 0, value);
        out.write(word);
    }

    private static void putIntLE(byte[] b, int at, int value) {
        b[at] = (byte) value;
        b[at + 1] = (byte) (value >>> 8);
        b[at + 2] = (byte) (value >>> 16);
        b[at + 3] = (byte) (value >>> 24);
    }

    private void ensureOpen() {
        if (finished) {
            throw new IllegalStateException("The stream is already closed");
        }
    }
}
