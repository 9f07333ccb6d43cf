package dev.vecpersist.codec.gzip;

import dev.vecpersist.api.CompressionCodec;
import dev.vecpersist.api.LevelRange;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * gzip (RFC 1952) with the JDK's zlib: files are readable by {@code gzip -d}.
 *
 * <p>Levels 1 to 9 are zlib's. The default is 1: on float-heavy state, higher levels take several
 * times longer for a few percent of size (see the README's codec table). Stateless and thread-safe.
 */
public final class GzipCodec implements CompressionCodec {

    private static final int BUFFER = 256 * 1024;
    private static final LevelRange LEVELS = new LevelRange(Deflater.BEST_SPEED, Deflater.BEST_COMPRESSION);

    @Override
    public String name() {
        return "gzip";
    }

    @Override
    public String fileExtension() {
        return "gz";
    }

    @Override
    public int defaultLevel() {
        return 1;
    }

    @Override
    public LevelRange levelRange() {
        return LEVELS;
    }

    @Override
    public OutputStream compress(OutputStream out, int level) throws IOException {
        return new LeveledGzipOutputStream(out, LEVELS.check("gzip", level));
    }

    @Override
    public InputStream decompress(InputStream in) throws IOException {
        return new GZIPInputStream(new BufferedInputStream(in, BUFFER), BUFFER);
    }

    @Override
    public Detection detect(byte[] head, int length) {
        // ID1 ID2 CM=deflate
        return length >= 3 && head[0] == (byte) 0x1f && head[1] == (byte) 0x8b && head[2] == 8
                ? Detection.MATCH : Detection.NO_MATCH;
    }

    /** GZIPOutputStream exposes its Deflater only to subclasses; this sets the level. */
    private static final class LeveledGzipOutputStream extends GZIPOutputStream {
        LeveledGzipOutputStream(OutputStream out, int level) throws IOException {
            super(out, BUFFER);
            def.setLevel(level);
        }
    }
}
