package dev.vecpersist.core.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Reads an upstream stream (e.g. a codec's decompressing stream) ahead on a second thread, so that
 * decompressing (that thread) and parsing (the reader's thread) overlap: the input-side
 * counterpart of {@link PipelinedOutputStream}. Chunks of {@value #CHUNK} bytes travel through a
 * queue of {@value #DEPTH}, which bounds memory to a few megabytes and makes a fast decompressor
 * wait for a slow parser. Whatever the upstream throws (an {@link IOException} for corrupt
 * compressed data, an unchecked exception for a failing storage) is rethrown to the reader as is,
 * at the position it happened. Not thread-safe for several readers; {@link #close()} stops the
 * second thread and closes the upstream.
 */
public final class PipelinedInputStream extends InputStream {

    private static final int CHUNK = 1 << 20;
    private static final int DEPTH = 4;
    private static final Chunk END = new Chunk(new byte[0], 0, null);

    /** A filled buffer and how much of it is used, or the upstream's failure. */
    private record Chunk(byte[] bytes, int length, Throwable failure) {
    }

    private final InputStream upstream;
    private final BlockingQueue<Chunk> full = new ArrayBlockingQueue<>(DEPTH);
    private final BlockingQueue<byte[]> empty = new ArrayBlockingQueue<>(DEPTH + 2);
    private final Thread worker;
    private Chunk current;
    private int position;
    private boolean ended;
    private volatile boolean closed;

    /**
     * Starts the second thread, named after {@code name}.
     *
     * @param upstream the stream the second thread reads, closed by {@link #close()}
     * @param name     names the thread, e.g. the codec's name
     */
    public PipelinedInputStream(InputStream upstream, String name) {
        this.upstream = upstream;
        this.worker = new Thread(this::fill, "vecpersist-read-ahead-" + name);
        worker.setDaemon(true);
        worker.start();
    }

    private void fill() {
        try {
            while (!closed) {
                byte[] buffer = empty.poll();
                buffer = buffer != null ? buffer : new byte[CHUNK];
                int used = 0;
                int n = 0;
                Throwable failure = null;
                try {
                    while (used < buffer.length && (n = upstream.read(buffer, used, buffer.length - used)) >= 0) {
                        used += n;
                    }
                } catch (Throwable t) {
                    failure = t; // delivered after the bytes read before it
                }
                if (used > 0) {
                    full.put(new Chunk(buffer, used, null));
                }
                if (failure != null || n < 0) {
                    full.put(failure != null ? new Chunk(null, 0, failure) : END);
                    return;
                }
            }
        } catch (InterruptedException e) {
            // closed while waiting for room: the reader is gone
        }
    }

    /** {@return the current chunk with bytes left, or null at the end} */
    private Chunk chunk() throws IOException {
        if (ended) {
            return null;
        }
        if (current != null && position < current.length()) {
            return current;
        }
        if (current != null) {
            empty.offer(current.bytes());
        }
        Chunk next;
        try {
            next = full.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the decompressor");
        }
        if (next.failure() != null) {
            ended = true;
            throw rethrow(next.failure());
        }
        if (next == END) {
            ended = true;
            current = null;
            return null;
        }
        current = next;
        position = 0;
        return current;
    }

    private static IOException rethrow(Throwable t) {
        if (t instanceof IOException io) {
            return io;
        }
        if (t instanceof RuntimeException re) {
            throw re;
        }
        if (t instanceof Error err) {
            throw err;
        }
        return new IOException(t);
    }

    @Override
    public int read() throws IOException {
        Chunk c = chunk();
        return c == null ? -1 : c.bytes()[position++] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        Chunk c = chunk();
        if (c == null) {
            return -1;
        }
        int n = Math.min(len, c.length() - position);
        System.arraycopy(c.bytes(), position, b, off, n);
        position += n;
        return n;
    }

    @Override
    public int available() {
        return current == null ? 0 : current.length() - position;
    }

    /** Stops the second thread (waiting briefly for a read in progress) and closes the upstream. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        worker.interrupt();
        full.clear(); // unblocks a thread waiting for room
        try {
            worker.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            upstream.close();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
