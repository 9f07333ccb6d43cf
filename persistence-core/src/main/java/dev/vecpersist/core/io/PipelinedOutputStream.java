package dev.vecpersist.core.io;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Hands what is written to a second thread that writes it downstream, so that serialising (this
 * thread) and compressing (that thread) overlap. Chunks of {@value #CHUNK} bytes travel through a
 * queue of {@value #DEPTH}, which bounds memory to a few megabytes and makes a fast writer wait for a
 * slow compressor. A failure of the downstream stream is rethrown to the writer. Not thread-safe for
 * several writers; {@link #close()} waits for the second thread and closes the downstream stream.
 */
public final class PipelinedOutputStream extends OutputStream {

    /**
     * Two whole LZ4 blocks of 256 KiB, which compress from it without a copy, and below half of a
     * 2 MiB G1 region (G1's region size from a 2 GiB heap up, e.g. -Xmx3g): a 1 MiB array, 16 bytes
     * over that half, is "humongous", allocated in old regions of its own, each allocation a reason
     * to start a concurrent marking cycle. With 1 MiB regions (heaps below 2 GiB) this chunk is
     * humongous too, by its 16-byte header; not measured there.
     */
    private static final int CHUNK = 1 << 19;
    private static final int DEPTH = 4;
    private static final Chunk END = new Chunk(new byte[0], 0);

    /** A filled buffer and how much of it is used. */
    private record Chunk(byte[] bytes, int length) {
    }

    private final OutputStream downstream;
    private final BlockingQueue<Chunk> full = new ArrayBlockingQueue<>(DEPTH);
    private final BlockingQueue<byte[]> empty = new ArrayBlockingQueue<>(DEPTH + 2);
    private final Thread worker;
    private volatile Throwable failure;
    private byte[] current = new byte[CHUNK];
    private int used;
    private boolean closed;

    /**
     * Starts the second thread, named after {@code name}.
     *
     * @param downstream the stream the second thread writes to (e.g. a codec's), closed by {@link #close()}
     * @param name       names the thread, e.g. the codec's name
     */
    public PipelinedOutputStream(OutputStream downstream, String name) {
        this.downstream = downstream;
        this.worker = new Thread(this::drain, "vecpersist-pipeline-" + name);
        worker.setDaemon(true);
        worker.start();
    }

    private void drain() {
        try {
            while (true) {
                Chunk chunk = full.take();
                if (chunk == END) {
                    return;
                }
                downstream.write(chunk.bytes(), 0, chunk.length());
                empty.offer(chunk.bytes());
            }
        } catch (Throwable t) {
            failure = t;
            full.clear(); // unblock a writer waiting for room
        }
    }

    @Override
    public void write(int b) throws IOException {
        if (used == current.length) {
            ship();
        }
        current[used++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            if (used == current.length) {
                ship();
            }
            int n = Math.min(len, current.length - used);
            System.arraycopy(b, off, current, used, n);
            used += n;
            off += n;
            len -= n;
        }
    }

    private void ship() throws IOException {
        checkFailure();
        if (used == 0) {
            return;
        }
        put(new Chunk(current, used));
        byte[] next = empty.poll();
        current = next != null ? next : new byte[CHUNK];
        used = 0;
    }

    private void put(Chunk chunk) throws IOException {
        try {
            while (!full.offer(chunk, 100, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                checkFailure();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while handing data to the compressor");
        }
    }

    private void checkFailure() throws IOException {
        Throwable t = failure;
        if (t != null) {
            if (t instanceof IOException io) {
                throw new IOException(io.getMessage(), io);
            }
            throw new IOException("the compressing thread failed: " + t, t);
        }
    }

    /** Flushing only hands over full chunks; the data reaches downstream by {@link #close()}. */
    @Override
    public void flush() throws IOException {
        checkFailure();
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            ship();
            put(END);
            worker.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the compressor");
        } finally {
            if (worker.isAlive()) {
                worker.interrupt();
            }
        }
        checkFailure();
        downstream.close();
    }

    /** Stops the second thread without finishing the stream (the output is being abandoned). */
    public void abandon() {
        closed = true;
        worker.interrupt();
    }
}
