package dev.vecpersist.format.msgpack;

import org.msgpack.core.buffer.MessageBuffer;
import org.msgpack.core.buffer.MessageBufferInput;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * The unpacker's input: the stream read into one reused array, handed to the unpacker a piece at a
 * time as {@code InputStreamBufferInput} would, but whose bytes stay reachable by their offset in
 * the stream, so that the reader can look ahead at an entry's metadata ({@link MetadataExtent}),
 * copy it out and let the unpacker go on after it, or before it ({@link #restartAt}). Offsets are
 * absolute: counted from the start of the stream. Not thread-safe.
 */
final class ByteWindow implements MessageBufferInput {

    private final InputStream in;
    private byte[] buf;
    /** Offset of {@code buf[0]} in the stream. */
    private long bufStart;
    /** Bytes of {@code buf} read from the stream. */
    private int limit;
    /** Bytes of {@code buf} already handed to the unpacker. */
    private int handed;
    /** Whether {@link #ensure} moved bytes within the array since {@link #steady()}. */
    private boolean moved;

    /**
     * @param in   the content; read, never closed
     * @param size bytes read from the stream at a time
     */
    ByteWindow(InputStream in, int size) {
        this.in = in;
        this.buf = new byte[size];
    }

    /** The next piece for the unpacker: what is read and not yet handed over, or the next read; null at the end. */
    @Override
    public MessageBuffer next() throws IOException {
        if (handed == limit) {
            // the unpacker asks for more only once it is done with what it was given
            bufStart += limit;
            limit = 0;
            handed = 0;
            int n = in.read(buf, 0, buf.length);
            if (n <= 0) {
                return null;
            }
            limit = n;
        }
        MessageBuffer piece = MessageBuffer.wrap(buf, handed, limit - handed);
        handed = limit;
        return piece;
    }

    /**
     * Makes the bytes from {@code keep} up to {@code end} readable through {@link #array()},
     * reading more from the stream as needed; bytes before {@code keep} may be dropped.
     *
     * @return false when the stream ends before {@code end}
     */
    boolean ensure(long keep, long end) throws IOException {
        if (end <= bufStart + limit) {
            return true;
        }
        int drop = (int) (keep - bufStart);
        if (drop > 0) {
            moved = true;
            System.arraycopy(buf, drop, buf, 0, limit - drop);
            bufStart = keep;
            limit -= drop;
            handed = Math.max(0, handed - drop);
        }
        int needed = (int) (end - bufStart);
        if (needed > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(needed, buf.length * 2));
        }
        while (limit < needed) {
            int n = in.read(buf, limit, buf.length - limit);
            if (n <= 0) {
                return false;
            }
            limit += n;
        }
        return true;
    }

    /**
     * Starts watching for moves: a piece the unpacker holds stays valid unless {@link #ensure}
     * moves bytes within the array (a larger array leaves the old one, and the piece, as they were).
     */
    void steady() {
        moved = false;
    }

    /** {@return whether bytes moved since {@link #steady()}, so that the unpacker needs {@link #restartAt}} */
    boolean moved() {
        return moved;
    }

    /** {@return the array holding the window; valid until the next call that reads} */
    byte[] array() {
        return buf;
    }

    /** {@return how many bytes from this offset on are in the window} */
    int available(long offset) {
        return (int) (bufStart + limit - offset);
    }

    /** {@return the index in {@link #array()} of the byte at this offset of the stream} */
    int index(long offset) {
        return (int) (offset - bufStart);
    }

    /** {@return a copy of the bytes from {@code from} to {@code to}, both within the window} */
    byte[] copy(long from, long to) {
        return Arrays.copyOfRange(buf, index(from), index(to));
    }

    /**
     * Hands the unpacker, after its {@code reset} with this input, the bytes from this offset on.
     *
     * @param offset within the window
     */
    void restartAt(long offset) {
        handed = index(offset);
    }

    /** Nothing to release: the stream is the caller's. */
    @Override
    public void close() {
        // the stream is closed by whoever opened it
    }
}
