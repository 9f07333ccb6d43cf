package dev.vecpersist.core;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Small helpers for messages and tools: file sizes, timestamps, memory estimates. */
public final class Formatting {

    private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};

    private Formatting() {
    }

    /**
     * A human-readable size in binary units, labelled as such (1 KiB = 1024 bytes).
     *
     * @param bytes a size, not negative
     * @return e.g. {@code 512 B}, or {@code 1.50 KiB} for 1536 bytes
     * @throws IllegalArgumentException when {@code bytes} is negative
     */
    public static String humanSize(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("negative size " + bytes);
        }
        if (bytes < 1024) {
            return bytes + " B";
        }
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < UNITS.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.2f %s", value, UNITS[unit]);
    }

    /**
     * An ISO-8601 UTC timestamp, truncated to milliseconds.
     *
     * @param instant the moment
     * @return e.g. {@code 2026-11-24T04:01:37.123Z}
     */
    public static String isoTimestamp(Instant instant) {
        return DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochMilli(instant.toEpochMilli()));
    }

    /**
     * Estimated heap bytes of a {@code VectorDB} holding {@code count} vectors of {@code dimension}
     * components with small metadata: the float arrays plus about 300 bytes of id, metadata and
     * bookkeeping per entry (measured on a 64-bit JVM with compressed oops).
     *
     * @param count     number of vectors
     * @param dimension components per vector
     * @return the estimate in bytes
     */
    public static long estimateMemory(long count, int dimension) {
        long perVector = 16 + 4L * dimension; // array header + components
        return count * (perVector + 300);
    }
}
