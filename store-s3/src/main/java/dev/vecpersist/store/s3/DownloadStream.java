package dev.vecpersist.store.s3;

import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;

import java.io.IOException;
import java.io.InputStream;

/**
 * An object's content straight from the HTTP response, never buffered whole. Reports the SDK's
 * unchecked failures (e.g. a checksum mismatch at the end) as IOExceptions, and aborts the
 * connection when closed before the end rather than draining the rest of a large object.
 */
final class DownloadStream extends InputStream {

    private final ResponseInputStream<?> in;
    private final S3Errors errors;
    private final String key;
    private boolean eof;

    DownloadStream(ResponseInputStream<?> in, S3Errors errors, String key) {
        this.in = in;
        this.errors = errors;
        this.key = key;
    }

    @Override
    public int read() throws IOException {
        try {
            int b = in.read();
            eof |= b < 0;
            return b;
        } catch (SdkException e) {
            throw errors.ioFailure("download of", key, e);
        }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        try {
            int n = in.read(b, off, len);
            eof |= n < 0;
            return n;
        } catch (SdkException e) {
            throw errors.ioFailure("download of", key, e);
        }
    }

    @Override
    public int available() throws IOException {
        return in.available();
    }

    @Override
    public void close() throws IOException {
        try {
            if (!eof) {
                in.abort();
            }
        } finally {
            in.close();
        }
    }
}
