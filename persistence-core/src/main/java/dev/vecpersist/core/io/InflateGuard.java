package dev.vecpersist.core.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Bounds the decompression of a file into a scratch file (as Apache POI's {@code ZipSecureFile}):
 * beyond a grace size, the output may be at most {@code maxRatio} times the compressed input, and
 * the scratch directory must keep {@code reserveBytes} free. A 4 KB file that inflates to 4 GiB is
 * stopped after the grace size instead of filling the disk.
 *
 * <p>Configurable with the system properties {@code vecpersist.maxInflateRatio} (default 100, as POI's minimum inflate ratio 0.01) and
 * {@code vecpersist.scratchReserveBytes} (default 64 MiB).
 *
 * @param maxRatio     largest decompressed/compressed size ratio allowed beyond the grace size
 * @param graceBytes   output below this size is never refused for its ratio
 * @param reserveBytes free space the scratch directory's file system must keep
 */
public record InflateGuard(double maxRatio, long graceBytes, long reserveBytes) {

    /** Thrown when the output grows beyond what the input can plausibly hold. */
    public static final class RatioExceeded extends IOException {
        RatioExceeded(String message) {
            super(message);
        }
    }

    /** Thrown when the scratch file would eat into the reserved free space. */
    public static final class NoRoom extends IOException {
        NoRoom(String message) {
            super(message);
        }
    }

    /** {@return the limits from the system properties, or the defaults} */
    public static InflateGuard fromSystemProperties() {
        return new InflateGuard(Double.parseDouble(System.getProperty("vecpersist.maxInflateRatio", "100")),
                64L << 20, Long.getLong("vecpersist.scratchReserveBytes", 64L << 20));
    }

    /**
     * Copies {@code in} to {@code out} within the limits.
     *
     * @param in              the decompressing stream
     * @param out             the scratch file's stream
     * @param compressedBytes the compressed file's size
     * @param scratchDir      where the scratch file lives (for the free-space check)
     * @return bytes written
     * @throws RatioExceeded when the ratio is exceeded
     * @throws NoRoom        when the reserve would be used
     * @throws IOException   when reading or writing fails
     */
    public long copy(InputStream in, OutputStream out, long compressedBytes, Path scratchDir) throws IOException {
        byte[] buffer = new byte[1 << 16];
        long written = 0;
        long nextSpaceCheck = 0;
        double limit = Math.max(graceBytes, maxRatio * Math.max(1, compressedBytes));
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
            written += n;
            if (written > limit) {
                throw new RatioExceeded(String.format(Locale.ROOT, "decompresses to more than %,d bytes, over %.0f times "
                        + "its %,d compressed bytes (a decompression bomb?); raise vecpersist.maxInflateRatio if it is "
                        + "genuine", written, maxRatio, compressedBytes));
            }
            if (written >= nextSpaceCheck) {
                long usable = Files.getFileStore(scratchDir).getUsableSpace();
                if (usable - n < reserveBytes) {
                    throw new NoRoom(String.format(Locale.ROOT, "decompressing needs more room in %s than is free "
                            + "(%,d bytes usable, %,d kept in reserve)", scratchDir, usable, reserveBytes));
                }
                nextSpaceCheck = written + (8L << 20);
            }
            out.write(buffer, 0, n);
        }
        return written;
    }
}
