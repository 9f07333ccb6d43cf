package dev.vecpersist.format.json;

import dev.vecpersist.api.VectorEntry;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The vectors are parsed on a second thread: what it hands over, in which order, and how it stops. */
class PrefetchingScannerTest {

    private static byte[] state(int entries) {
        StringBuilder s = new StringBuilder("{\"version\":\"2.0.0\",\"options\":{\"dimension\":2,\"metric\":\"dot\"},"
                + "\"stats\":{\"count\":" + entries + "},\"timestamp\":1,\"vectors\":[");
        for (int i = 0; i < entries; i++) {
            s.append(i > 0 ? "," : "").append("{\"id\":\"e").append(i).append("\",\"vector\":[").append(i).append(",0.5]}");
        }
        return s.append("],\"checksum\":\"c\"}").toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Fails with the given exception once {@code limit} bytes have been read; never closed by the reader. */
    private static final class FailingAfter extends InputStream {
        private final ByteArrayInputStream in;
        private final int limit;
        private final RuntimeException unchecked;
        private final IOException checked;
        private int read;
        volatile boolean closed;

        FailingAfter(byte[] bytes, int limit, RuntimeException unchecked, IOException checked) {
            this.in = new ByteArrayInputStream(bytes);
            this.limit = limit;
            this.unchecked = unchecked;
            this.checked = checked;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (read >= limit) {
                if (unchecked != null) {
                    throw unchecked;
                }
                throw checked;
            }
            int n = in.read(b, off, Math.min(len, limit - read));
            read += Math.max(n, 0);
            return n;
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    @Test
    void aFailureOfTheSourceArrivesAfterTheEntriesBeforeItUnchanged() throws IOException {
        byte[] bytes = state(20_000);
        IOException unplugged = new IOException("cable unplugged");
        FailingAfter source = new FailingAfter(bytes, bytes.length / 2, null, unplugged);
        int read = 0;
        try (JsonStateReader reader = new JsonStateReader(source, "x.json")) {
            IOException thrown = null;
            try {
                for (VectorEntry e = reader.nextEntry(); e != null; e = reader.nextEntry()) {
                    assertThat(e.id()).isEqualTo("e" + read);
                    read++;
                }
            } catch (IOException e) {
                thrown = e;
            }
            assertThat(thrown).isSameAs(unplugged);
        }
        assertThat(read).isGreaterThan(1_000).isLessThan(20_000);
        assertThat(source.closed).isFalse();

        RuntimeException fire = new UncheckedIOException(new IOException("disk on fire"));
        FailingAfter uncheckedSource = new FailingAfter(bytes, bytes.length / 3, fire, null);
        try (JsonStateReader reader = new JsonStateReader(uncheckedSource, "y.json")) {
            assertThatThrownBy(() -> {
                while (reader.nextEntry() != null) {
                    // until the source fails
                }
            }).isSameAs(fire);
        }
    }

    /** Gives all its bytes, then fails once, then reports the end: as a pipelined decompressor may. */
    private static final class FailsOnceAtTheEnd extends InputStream {
        private final ByteArrayInputStream in;
        private IOException failure;

        FailsOnceAtTheEnd(byte[] bytes, IOException failure) {
            this.in = new ByteArrayInputStream(bytes);
            this.failure = failure;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n < 0 && failure != null) {
                IOException f = failure;
                failure = null;
                throw f;
            }
            return n;
        }
    }

    @Test
    void aSourceFailingAfterItsLastByteFailsTheLoadAsWithoutTheScanner() throws IOException {
        // e.g. a gzip stream whose trailer is cut off: all the JSON arrives, then the read fails
        byte[] bytes = state(3_000);
        for (int window : new int[] {SplittingScanner.WINDOW, 0, 4_096}) {
            for (boolean scan : new boolean[] {true, false}) {
                IOException trailer = new java.io.EOFException("Unexpected end of ZLIB input stream");
                InputStream source = new FailsOnceAtTheEnd(bytes, trailer);
                try (JsonStateReader reader = new JsonStateReader(source, "z.json", scan, window)) {
                    assertThatThrownBy(() -> {
                        while (reader.nextEntry() != null) {
                            // every entry, then the end of the array
                        }
                        reader.storedChecksum();
                    }).as("window %d, scan %s", window, scan).isSameAs(trailer);
                }
            }
        }
    }

    @Test
    void closingEarlyStopsTheWorkerAndLeavesTheStreamOpen() throws IOException {
        FailingAfter source = new FailingAfter(state(50_000), Integer.MAX_VALUE, null, null);
        PrefetchingScanner prefetching;
        try (JsonStateReader reader = new JsonStateReader(source, "x.json")) {
            assertThat(reader.nextEntry().id()).isEqualTo("e0");
            assertThat(reader.nextEntry().id()).isEqualTo("e1");
            java.lang.reflect.Field f = JsonStateReader.class.getDeclaredField("scanner");
            f.setAccessible(true);
            prefetching = (PrefetchingScanner) f.get(reader);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
        assertThat(prefetching.workerEnded()).isTrue();
        assertThat(source.closed).isFalse();
    }

    @Test
    void manyEntriesArriveInOrderAcrossBatches() throws IOException {
        int n = 3 * PrefetchingScanner.MAX_BATCH * 10 + 7;
        try (JsonStateReader reader = new JsonStateReader(new ByteArrayInputStream(state(n)), "x.json")) {
            for (int i = 0; i < n; i++) {
                VectorEntry e = reader.nextEntry();
                assertThat(e.id()).isEqualTo("e" + i);
                assertThat(e.vector()).containsExactly(i, 0.5f);
            }
            assertThat(reader.nextEntry()).isNull();
            assertThat(reader.storedChecksum()).isEqualTo("c");
        }
    }

    @Test
    void aReaderScanningTheBytesSaysItReadsAheadAndOneReadingTokensDoesNot() throws IOException {
        try (JsonStateReader scanning = new JsonStateReader(new ByteArrayInputStream(state(3)), "x.json");
             JsonStateReader tokens = new JsonStateReader(new ByteArrayInputStream(state(3)), "x.json", false)) {
            assertThat(scanning.readsAhead()).isTrue(); // the core then keeps its checks on the caller's thread
            assertThat(tokens.readsAhead()).isFalse();
        }
    }
}
