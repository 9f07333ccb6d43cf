package dev.vecpersist.format.json;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.vecpersist.api.VectorEntry;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Turns entries into the JSON text of the {@code "vectors"} array on two worker threads, chunk by
 * chunk, and writes the chunks to the sink in order, comma-separated. Formatting floats is most of
 * a JSON save's time (JFR); this spreads it over both cores while the caller computes the checksum.
 * A chunk is encoded by its own Jackson generator, with the module's factory and limits, inside a
 * wrapper that gives the entries the nesting depth they have in the file; the output is byte for
 * byte what one generator would write. At most {@value #IN_FLIGHT} chunks of
 * {@value #CHUNK_ENTRIES} entries are held at a time (a few MB). Not thread-safe.
 */
final class ParallelEntryEncoder implements AutoCloseable {

    static final int CHUNK_ENTRIES = 256;
    private static final int IN_FLIGHT = 4;
    private static final int THREADS = 2;
    /** What a chunk's generator writes before the first entry: {@code {"e":[}, cut off again. */
    private static final int PREFIX = "{\"e\":[".getBytes(StandardCharsets.US_ASCII).length;

    /** Writes one entry's object; runs on a worker thread. */
    interface EntryWriter {
        void write(JsonGenerator g, VectorEntry entry) throws IOException;
    }

    /** A chunk's text: {@code bytes[PREFIX, length)}. */
    private record Encoded(byte[] bytes, int length) {
    }

    private final OutputStream out;
    private final EntryWriter entryWriter;
    private final ArrayDeque<Future<Encoded>> pending = new ArrayDeque<>();
    private ExecutorService workers;
    private List<VectorEntry> chunk = new ArrayList<>(CHUNK_ENTRIES);
    private boolean wroteAny;

    ParallelEntryEncoder(OutputStream out, EntryWriter entryWriter) {
        this.out = out;
        this.entryWriter = entryWriter;
    }

    /** Queues an entry; a full chunk goes to a worker, and the oldest chunks are written once enough are in flight. */
    void add(VectorEntry entry) throws IOException {
        chunk.add(entry);
        if (chunk.size() == CHUNK_ENTRIES) {
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
        pending.add(workers.submit(() -> encode(entries)));
        while (pending.size() > IN_FLIGHT) {
            write(await(pending.poll()));
        }
    }

    /** Writes every entry added so far to the sink; a last short chunk of a small state is encoded here. */
    void drain() throws IOException {
        if (!chunk.isEmpty()) {
            if (pending.isEmpty()) {
                write(encode(chunk));
                chunk = new ArrayList<>(CHUNK_ENTRIES);
            } else {
                submit();
            }
        }
        while (!pending.isEmpty()) {
            write(await(pending.poll()));
        }
    }

    private Encoded encode(List<VectorEntry> entries) throws IOException {
        // about 12 bytes per float32 and some for the id and metadata: one growth at most
        Buffer buffer = new Buffer(entries.size() * (entries.get(0).vector().length * 12 + 256));
        try (JsonGenerator g = JacksonSetup.FACTORY.createGenerator(buffer, JsonEncoding.UTF8)) {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_JSON_CONTENT);
            g.writeStartObject();
            g.writeFieldName("e");
            g.writeStartArray();
            for (VectorEntry e : entries) {
                entryWriter.write(g, e);
            }
            g.flush();
        }
        return new Encoded(buffer.bytes, buffer.length);
    }

    private void write(Encoded chunk) throws IOException {
        if (chunk.length() == PREFIX) {
            return;
        }
        if (wroteAny) {
            out.write(',');
        }
        out.write(chunk.bytes(), PREFIX, chunk.length() - PREFIX);
        wroteAny = true;
    }

    private static Encoded await(Future<Encoded> future) throws IOException {
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

    /** A growable byte sink that hands over its array without copying. */
    private static final class Buffer extends OutputStream {
        byte[] bytes;
        int length;

        Buffer(int capacity) {
            bytes = new byte[capacity];
        }

        @Override
        public void write(int b) {
            ensure(1);
            bytes[length++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            ensure(len);
            System.arraycopy(b, off, bytes, length, len);
            length += len;
        }

        private void ensure(int more) {
            if (length + more > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
            }
        }
    }
}
