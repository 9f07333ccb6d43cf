package dev.vecpersist.format.json;

import dev.vecpersist.api.VectorEntry;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Runs a {@link VectorsScanner} on a second thread, a few entries ahead of the caller, so that
 * parsing the floats (most of a JSON load) overlaps with what the caller does with each entry
 * (checksum, checks, index). Entries arrive in order, in batches that grow from one entry to
 * {@value #MAX_BATCH}; at most {@value #QUEUED} batches wait, so the read-ahead stays small. What
 * the scanner ends with — the end of what it can read, or a failure of the source — arrives after
 * the entries before it, exactly as the scanner would have given it; after the end, the scanner's
 * hand-over state is the caller's to use. The worker parses with a {@link SplittingScanner}, which
 * has a helper thread parse part of the array as well. Not thread-safe (one caller).
 */
final class PrefetchingScanner implements AutoCloseable {

    static final int MAX_BATCH = 64;
    private static final int QUEUED = 2;

    /** Entries in order; {@code last} when the scanner stopped after them, with {@code failure} if it failed. */
    private record Batch(VectorEntry[] entries, int count, boolean last, Throwable failure) {
    }

    private final VectorsScanner scanner;
    /** The scanner with its helper: touched by the worker only. */
    private final SplittingScanner source;
    private final BlockingQueue<Batch> queue = new ArrayBlockingQueue<>(QUEUED);
    private volatile boolean closed;
    private Thread worker;
    private Batch current;
    private int index;

    PrefetchingScanner(VectorsScanner scanner) {
        this(scanner, SplittingScanner.configuredWindow());
    }

    /** @param splitWindow bytes read ahead for one split between the two parsing threads */
    PrefetchingScanner(VectorsScanner scanner, int splitWindow) {
        this.scanner = scanner;
        this.source = new SplittingScanner(scanner, splitWindow);
    }

    /** The scanner, for the hand-over once {@link #next()} has returned null. */
    VectorsScanner scanner() {
        return scanner;
    }

    /** The next entry, or null when the token reader must take over; the source's failures as the scanner threw them. */
    VectorEntry next() throws IOException {
        if (worker == null) {
            worker = new Thread(this::scanAhead, "vecpersist-json-scanner");
            worker.setDaemon(true);
            worker.start();
        }
        while (current == null || index == current.count()) {
            if (current != null && current.last()) {
                return ended();
            }
            current = take();
            index = 0;
        }
        return current.entries()[index++];
    }

    private VectorEntry ended() throws IOException {
        Throwable failure = current.failure();
        if (failure == null) {
            return null;
        }
        if (failure instanceof IOException io) {
            throw io;
        }
        if (failure instanceof RuntimeException re) {
            throw re;
        }
        if (failure instanceof Error err) {
            throw err;
        }
        throw new IOException(failure);
    }

    private Batch take() throws IOException {
        try {
            return queue.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while reading entries");
        }
    }

    private void scanAhead() {
        try {
            scanBatches();
        } finally {
            source.close();
        }
    }

    private void scanBatches() {
        int size = 1;
        while (!closed) {
            VectorEntry[] entries = new VectorEntry[size];
            int n = 0;
            boolean last = false;
            Throwable failure = null;
            try {
                while (n < size) {
                    VectorEntry e = source.next();
                    if (e == null) {
                        last = true;
                        break;
                    }
                    entries[n++] = e;
                }
            } catch (Throwable t) { // handed to the caller, in order
                failure = t;
                last = true;
            }
            if (!put(new Batch(entries, n, last, failure)) || last) {
                return;
            }
            size = Math.min(size * 2, MAX_BATCH);
        }
    }

    /** Waits for room, giving up once closed. */
    private boolean put(Batch batch) {
        try {
            while (!closed) {
                if (queue.offer(batch, 50, TimeUnit.MILLISECONDS)) {
                    return true;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    /**
     * Stops reading ahead: the worker ends after its current read of the source (it is never
     * interrupted, as interrupting a read closes some streams), waiting at most a second for it.
     */
    @Override
    public void close() {
        closed = true;
        queue.clear();
        if (worker != null && worker != Thread.currentThread()) {
            try {
                worker.join(1_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Whether the worker and its helper have ended (or never started). */
    boolean workerEnded() {
        return (worker == null || !worker.isAlive()) && source.helperEnded();
    }
}
