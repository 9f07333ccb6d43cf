package dev.vecpersist.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * A streaming compression codec, discovered with {@link java.util.ServiceLoader}. Files are the
 * codec's standard stream format, so its usual command-line tool can read them.
 *
 * <p>Implementations are stateless and thread-safe. Register an implementation in
 * {@code META-INF/services/dev.vecpersist.api.CompressionCodec}.
 */
public interface CompressionCodec {

    /** How a codec answers "is this my stream?" from a file's first bytes. */
    enum Detection {
        /** The bytes carry this codec's magic number. */
        MATCH,
        /** The bytes cannot be this codec's stream. */
        NO_MATCH,
        /** The codec has no magic number: decode a prefix and see whether a known format comes out. */
        TRY_DECODING
    }

    /** {@return the unique lower-case name users select it by, e.g. {@code "gzip"}} */
    String name();

    /** {@return the file-name suffix for compressed files, without a dot, e.g. {@code "gz"}} */
    String fileExtension();

    /** {@return the level used when the user sets none; chosen by measurement (see the README)} */
    int defaultLevel();

    /** {@return the accepted levels, both bounds inclusive} */
    LevelRange levelRange();

    /**
     * Wraps a stream so that what is written to it is compressed. Closing the returned stream
     * finishes the compressed stream and closes {@code out}.
     *
     * @param out   the stream that receives the compressed bytes
     * @param level a level within {@link #levelRange()}
     * @return a stream that compresses what is written to it into {@code out}
     * @throws IOException when {@code out} fails (e.g. while writing the codec's stream header)
     */
    OutputStream compress(OutputStream out, int level) throws IOException;

    /**
     * Wraps a stream of this codec's format so that reading it yields the original bytes.
     * Malformed or truncated input surfaces as an {@link IOException} (the caller reports it as
     * corruption). Closing the returned stream closes {@code in}.
     *
     * @param in a stream of this codec's format
     * @return a stream of the decompressed bytes
     * @throws IOException when {@code in} fails or does not start like this codec's stream
     */
    InputStream decompress(InputStream in) throws IOException;

    /**
     * Whether a load decompresses this codec's stream on a thread of its own, a few buffers ahead
     * of the format's parser (the default), or on the parser's thread as it reads. The second
     * thread pays for codecs that decompress at about the speed a format parses (gzip, brotli); a
     * codec that decompresses several times faster than that (LZ4) answers false: handing its
     * output from thread to thread then costs more CPU, in copies and buffers, than the overlap
     * saves on a machine whose cores the parser already keeps busy.
     *
     * @return true to decompress ahead on a second thread, false to decompress on the reading thread
     */
    default boolean decompressAhead() {
        return true;
    }

    /**
     * Looks at the first bytes of a file.
     *
     * @param head   the file's first bytes
     * @param length how many of them are valid
     * @return whether the bytes are this codec's stream, cannot be, or need a trial decode
     */
    Detection detect(byte[] head, int length);
}
