package dev.vecpersist.format.json;

import java.io.FilterInputStream;
import java.io.InputStream;

/**
 * The caller's stream with {@code close()} ignored. {@link java.io.SequenceInputStream} closes each
 * stream it has read to its end; a reader must never close a stream it did not open.
 */
final class CloseShield extends FilterInputStream {

    CloseShield(InputStream in) {
        super(in);
    }

    @Override
    public void close() {
        // the stream belongs to the caller
    }
}
