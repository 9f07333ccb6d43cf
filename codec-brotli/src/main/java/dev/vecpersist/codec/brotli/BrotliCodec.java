package dev.vecpersist.codec.brotli;

import com.aayushatharva.brotli4j.Brotli4jLoader;
import com.aayushatharva.brotli4j.decoder.BrotliInputStream;
import com.aayushatharva.brotli4j.encoder.BrotliOutputStream;
import com.aayushatharva.brotli4j.encoder.Encoder;
import dev.vecpersist.api.CompressionCodec;
import dev.vecpersist.api.CorruptedStateException;
import dev.vecpersist.api.LevelRange;
import dev.vecpersist.api.UnsupportedFormatException;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Locale;

/**
 * Brotli through brotli4j and its native library; files are readable by {@code brotli -d}.
 *
 * <p>Brotli streams carry no magic number, so {@link #detect} answers
 * {@link Detection#TRY_DECODING}: the manager decodes the first bytes and checks that a known format
 * comes out. Quality ranges 0 to 11; the default, 4, was chosen by measurement (quality 11 runs at
 * about 1 MB/s). The native library is loaded on first use; if it cannot be loaded on this platform,
 * an {@link UnsupportedFormatException} says so and names the platform. Large-window streams
 * ({@code brotli --large_window}, not RFC 7932 brotli) are recognised and refused with a
 * {@link CorruptedStateException} saying how to recompress. Thread-safe.
 */
public final class BrotliCodec implements CompressionCodec {

    private static final int BUFFER = 1 << 16;
    /** Brotli's qualities. */
    private static final LevelRange LEVELS = new LevelRange(0, 11);
    /**
     * brotli4j's decoder cannot turn large windows on. Two bytes cannot tell such a stream from
     * damage (RFC 7932 reserves these bits), so it is reported as corrupt content, naming the likely cause.
     */
    static final String LARGE_WINDOW = "starts like a brotli large-window stream (brotli --large_window): "
            + "brotli large-window format is not supported, recompress with brotli without --large_window; "
            + "otherwise the file is damaged";
    private static volatile boolean loaded;

    @Override
    public String name() {
        return "brotli";
    }

    @Override
    public String fileExtension() {
        return "br";
    }

    @Override
    public int defaultLevel() {
        return 4;
    }

    @Override
    public LevelRange levelRange() {
        return LEVELS;
    }

    @Override
    public OutputStream compress(OutputStream out, int level) throws IOException {
        LEVELS.check("brotli", level);
        ensureNativeLibrary();
        return new BrotliOutputStream(out, new Encoder.Parameters().setQuality(level).setWindow(22), BUFFER);
    }

    @Override
    public InputStream decompress(InputStream in) throws IOException {
        ensureNativeLibrary();
        BufferedInputStream buffered = new BufferedInputStream(in, BUFFER);
        buffered.mark(2);
        byte[] head = buffered.readNBytes(2);
        if (isLargeWindow(head, head.length)) {
            throw new CorruptedStateException(LARGE_WINDOW, null, null);
        }
        buffered.reset();
        BrotliInputStream brotli = new BrotliInputStream(buffered, BUFFER);
        // hand out decoded bytes as soon as they exist: detection decodes only a file's first bytes
        brotli.enableEagerOutput();
        return new FailureAsIOException(brotli);
    }

    @Override
    public Detection detect(byte[] head, int length) {
        if (isLargeWindow(head, length)) {
            return Detection.MATCH; // so that decompress() can say precisely why it is refused
        }
        return length == 0 ? Detection.NO_MATCH : Detection.TRY_DECODING;
    }

    /**
     * Whether a stream starts with the large-window header ({@code brotli --large_window}): the
     * window-size bits RFC 7932 reserves ({@code 0010001}), a zero bit, then a 6-bit window of 10 to 30.
     * A standard stream cannot start so.
     */
    static boolean isLargeWindow(byte[] head, int length) {
        if (length < 2 || head[0] != 0x11) {
            return false;
        }
        int window = head[1] & 0x3f;
        return window >= 10 && window <= 30;
    }

    static void ensureNativeLibrary() {
        if (loaded) {
            return;
        }
        try {
            Brotli4jLoader.ensureAvailability();
            loaded = true;
        } catch (Throwable e) {
            String platform = System.getProperty("os.name") + "/" + System.getProperty("os.arch");
            String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
            String arch = System.getProperty("os.arch", "").replace("amd64", "x86_64");
            String artifact = "com.aayushatharva.brotli4j:native-" + (os.contains("win") ? "windows" : os.contains("mac") ? "osx" : "linux") + "-" + arch;
            throw new UnsupportedFormatException("the brotli native library could not be loaded on " + platform
                    + " (" + e + "); add " + artifact + " for this platform, or use another codec");
        }
    }

    /** brotli4j reports some malformed input as unchecked exceptions; the API promises IOExceptions. */
    private static final class FailureAsIOException extends java.io.FilterInputStream {
        FailureAsIOException(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            try {
                return in.read();
            } catch (RuntimeException e) {
                throw new IOException("corrupt brotli stream: " + e.getMessage(), e);
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return in.read(b, off, len);
            } catch (RuntimeException e) {
                throw new IOException("corrupt brotli stream: " + e.getMessage(), e);
            }
        }
    }
}
