package dev.vecpersist.format.json;

import dev.vecpersist.api.VectorEntry;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Turns entries into the JSON text of the {@code "vectors"} array on two worker threads, chunk by
 * chunk, and writes the chunks to the sink in order, comma-separated. Formatting floats is most of
 * a JSON save's time (JFR); this spreads it over both cores while the caller computes the checksum.
 * A chunk is encoded by an {@link EntryChunkEncoder}; the output is byte for byte what one Jackson
 * generator would write. At most {@value #IN_FLIGHT} chunks of at most {@value #CHUNK_ENTRIES}
 * entries are held at a time (a few MB). A chunk holds fewer entries when their text would pass
 * {@value #CHUNK_BYTES} bytes (256 entries of 384 floats are ~1.2 MB): G1 allocates an array of
 * half a heap region or more (regions are 1-2 MiB below 4 GB of heap) as "humongous", in old
 * regions of its own, which start concurrent marking cycles; with a compressing thread (JNI,
 * holding arrays in critical regions) those became full marking cycles, 20-45 ms of CPU per
 * 10K-entry save. Not thread-safe.
 */
final class ParallelEntryEncoder implements AutoCloseable {

    static final int CHUNK_ENTRIES = 256;
    /**
     * A chunk's estimated text. Its array stays below half of G1's smallest region (1 MiB) even
     * after the one growth a longer text than estimated causes, for entries whose id and metadata
     * fit the estimate's 256 bytes (a float's text is at most 16 bytes
     * with its comma, 4/3 of the estimate's 12: 240 KiB of estimate is at most 320 KiB of text, in an
     * array of at most 480 KiB).
     */
    static final int CHUNK_BYTES = 240 << 10;
    private static final int IN_FLIGHT = 4;
    private static final int THREADS = 2;
    private final OutputStream out;
    private final ArrayDeque<Future<EntryChunkEncoder.Bytes>> pending = new ArrayDeque<>();
    private ExecutorService workers;
    private List<VectorEntry> chunk = new ArrayList<>(CHUNK_ENTRIES);
    /** Entries per chunk, from the first entry's dimension; 0 until then. */
    private int chunkEntries;
    private boolean wroteAny;

    ParallelEntryEncoder(OutputStream out) {
        this.out = out;
    }

    /** Queues an entry; a full chunk goes to a worker, and the oldest chunks are written once enough are in flight. */
    void add(VectorEntry entry) throws IOException {
        if (chunkEntries == 0) {
            chunkEntries = (int) Math.max(1, Math.min(CHUNK_ENTRIES, CHUNK_BYTES / EntryChunkEncoder.estimatedBytes(entry)));
        }
        chunk.add(entry);
        if (chunk.size() == chunkEntries) {
            submit();
        }
    }

    private void submit() throws IOException {
        if (workers == null) {
            workers = Executors.newFixedThreadPool(THREADS, r -> {
                Thread t = new Thread(r, "vecpersist-json-encoder");
                t.setDaemon(true);
                return t;
            });
        }
        List<VectorEntry> entries = chunk;
        chunk = new ArrayList<>(CHUNK_ENTRIES);
        pending.add(workers.submit(() -> EntryChunkEncoder.encode(entries)));
        while (pending.size() > IN_FLIGHT) {
            write(await(pending.poll()));
        }
    }

    /** Writes every entry added so far to the sink; a last short chunk of a small state is encoded here. */
    void drain() throws IOException {
        if (!chunk.isEmpty()) {
            if (pending.isEmpty()) {
                write(EntryChunkEncoder.encode(chunk));
                chunk = new ArrayList<>(CHUNK_ENTRIES);
            } else {
                submit();
            }
        }
        while (!pending.isEmpty()) {
            write(await(pending.poll()));
        }
    }

    private void write(EntryChunkEncoder.Bytes chunk) throws IOException {
        if (wroteAny) {
            out.write(',');
        }
        out.write(chunk.bytes, 0, chunk.length);
        wroteAny = true;
    }

    private static EntryChunkEncoder.Bytes await(Future<EntryChunkEncoder.Bytes> future) throws IOException {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while encoding entries");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IOException(cause);
        }
    }

    /** Stops the workers; chunks not yet written are dropped (an unfinished state is abandoned anyway). */
    @Override
    public void close() {
        pending.forEach(f -> f.cancel(true));
        pending.clear();
        if (workers != null) {
            workers.shutdownNow();
        }
    }
}
