package dev.vecpersist.core.io;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PipelinedOutputStreamTest {

    @Test
    void deliversEveryByteInOrderAndClosesDownstream() throws IOException {
        byte[] data = new byte[5_300_000];
        new Random(1).nextBytes(data);
        boolean[] closed = {false};
        ByteArrayOutputStream sink = new ByteArrayOutputStream() {
            @Override
            public void close() {
                closed[0] = true;
            }
        };
        try (PipelinedOutputStream out = new PipelinedOutputStream(sink, "test")) {
            out.write(data[0]);
            out.write(data, 1, 999);
            for (int at = 1000; at < data.length; at += 7919) {
                out.write(data, at, Math.min(7919, data.length - at));
            }
        }
        assertThat(sink.toByteArray()).isEqualTo(data);
        assertThat(closed[0]).isTrue();
    }

    @Test
    void aDownstreamFailureReachesTheWriter() {
        OutputStream failing = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("disk full (test)");
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                throw new IOException("disk full (test)");
            }
        };
        PipelinedOutputStream out = new PipelinedOutputStream(failing, "test");
        assertThatThrownBy(() -> {
            byte[] block = new byte[1 << 20];
            for (int i = 0; i < 100; i++) {
                out.write(block);
            }
            out.close();
        }).isInstanceOf(IOException.class).hasMessageContaining("disk full (test)");
    }
}
