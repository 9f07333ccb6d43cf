package dev.vecpersist.core.io;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PipelinedInputStreamTest {

    /** Hands out the data a few bytes at a time, then fails or ends. */
    private static InputStream upstream(byte[] data, RuntimeException uncheckedAtEnd, boolean[] closed) {
        return new ByteArrayInputStream(data) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                int n = super.read(b, off, Math.min(len, 7919));
                if (n < 0 && uncheckedAtEnd != null) {
                    throw uncheckedAtEnd;
                }
                return n;
            }

            @Override
            public void close() {
                closed[0] = true;
            }
        };
    }

    @Test
    void deliversEveryByteInOrderAndClosesUpstream() throws IOException {
        byte[] data = new byte[5_300_000];
        new Random(1).nextBytes(data);
        boolean[] closed = {false};
        ByteArrayOutputStream read = new ByteArrayOutputStream();
        try (PipelinedInputStream in = new PipelinedInputStream(upstream(data, null, closed), "test")) {
            read.write(in.read());
            byte[] small = new byte[999];
            read.write(small, 0, in.readNBytes(small, 0, small.length));
            in.transferTo(read);
            assertThat(in.read()).isEqualTo(-1);
        }
        assertThat(read.toByteArray()).isEqualTo(data);
        assertThat(closed[0]).isTrue();
    }

    @Test
    void anUpstreamIoFailureReachesTheReaderAsIsAfterTheBytesBeforeIt() throws IOException {
        byte[] data = new byte[3_000_000];
        IOException corrupt = new IOException("corrupt block (test)");
        InputStream failing = new InputStream() {
            private final InputStream data3m = new ByteArrayInputStream(data);

            @Override
            public int read() throws IOException {
                throw corrupt;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = data3m.read(b, off, len);
                if (n < 0) {
                    throw corrupt;
                }
                return n;
            }
        };
        try (PipelinedInputStream in = new PipelinedInputStream(failing, "test")) {
            assertThat(in.readNBytes(data.length)).hasSize(data.length);
            assertThatThrownBy(in::read).isSameAs(corrupt);
        }
    }

    @Test
    void anUncheckedUpstreamFailureKeepsItsType() throws IOException {
        UncheckedIOException storage = new UncheckedIOException(new IOException("EIO (test)"));
        boolean[] closed = {false};
        try (PipelinedInputStream in = new PipelinedInputStream(upstream(new byte[10], storage, closed), "test")) {
            assertThatThrownBy(in::readAllBytes).isSameAs(storage);
        }
        assertThat(closed[0]).isTrue();
    }

    @Test
    void closingEarlyStopsTheSecondThread() throws Exception {
        byte[] data = new byte[20_000_000];
        boolean[] closed = {false};
        PipelinedInputStream in = new PipelinedInputStream(upstream(data, null, closed), "early");
        assertThat(in.read()).isZero();
        in.close();
        assertThat(closed[0]).isTrue();
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("vecpersist-read-ahead-early"));
    }
}
