package dev.vecpersist.testkit;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Streams that record whether anyone closed them, for checking that formats leave the caller's
 * streams open. A closed stream refuses further use, as a file stream would.
 */
public final class ClosingRecorder {

    private ClosingRecorder() {
    }

    /** Collects what is written; {@link #bytes()} is what reached it, flushed or not. */
    public static final class Output extends OutputStream {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private boolean closed;

        @Override
        public void write(int b) throws IOException {
            checkOpen();
            bytes.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            checkOpen();
            bytes.write(b, off, len);
        }

        @Override
        public void flush() throws IOException {
            checkOpen();
        }

        @Override
        public void close() {
            closed = true;
        }

        private void checkOpen() throws IOException {
            if (closed) {
                throw new IOException("the stream was closed");
            }
        }

        /** {@return whether close() was called} */
        public boolean closed() {
            return closed;
        }

        /** {@return the bytes written so far} */
        public byte[] bytes() {
            return bytes.toByteArray();
        }
    }

    /** Serves the given bytes. */
    public static final class Input extends FilterInputStream {
        private boolean closed;

        /** @param content what the stream serves */
        public Input(byte[] content) {
            super(new ByteArrayInputStream(content));
        }

        @Override
        public int read() throws IOException {
            checkOpen();
            return super.read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            checkOpen();
            return super.read(b, off, len);
        }

        @Override
        public void close() {
            closed = true;
        }

        private void checkOpen() throws IOException {
            if (closed) {
                throw new IOException("the stream was closed");
            }
        }

        /** {@return whether close() was called} */
        public boolean closed() {
            return closed;
        }
    }
}
