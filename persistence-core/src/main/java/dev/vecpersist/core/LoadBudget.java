package dev.vecpersist.core;

import dev.vecpersist.api.PersistenceException;
import dev.vecpersist.api.StateHeader;

import java.nio.file.Path;
import java.util.Locale;

/**
 * Refuses, before anything is staged, a load whose header announces more entries than the heap can
 * hold: a few kilobytes of compressed file can announce (and deliver) hundreds of millions of tiny
 * entries, and an {@link OutOfMemoryError} deep in a load can take the host application down. The
 * estimate is deliberately low (vector bytes plus a small per-entry overhead), so that only states
 * that cannot fit are refused.
 */
final class LoadBudget {

    /** Object headers, the id string and an empty metadata map of one staged entry, at least. */
    static final long OVERHEAD_PER_ENTRY = 96;

    private LoadBudget() {
    }

    /** The heap a state with this header needs to be staged, at least. */
    static long estimate(StateHeader header) {
        long perEntry = OVERHEAD_PER_ENTRY + 16 + 4L * header.dimension();
        long entries = header.entryCount() + header.deletionCount();
        return entries > Long.MAX_VALUE / perEntry ? Long.MAX_VALUE : entries * perEntry;
    }

    /**
     * Checks that the state fits in the heap that is still free.
     *
     * @throws PersistenceException when it cannot
     */
    static void check(StateHeader header, Path file) {
        long needed = estimate(header);
        if (needed <= available()) {
            return;
        }
        System.gc(); // the free figure counts garbage: look again once before refusing
        long available = available();
        if (needed > available) {
            throw new PersistenceException(String.format(Locale.ROOT, "this state announces %,d entries of dimension %d "
                    + "and needs ~%s of heap to load, the JVM has %s free (of -Xmx %s); refused before reading it",
                    header.entryCount() + header.deletionCount(), header.dimension(), gib(needed), gib(available),
                    gib(Runtime.getRuntime().maxMemory())), file, null);
        }
    }

    private static long available() {
        Runtime r = Runtime.getRuntime();
        return r.maxMemory() - (r.totalMemory() - r.freeMemory());
    }

    private static String gib(long bytes) {
        return bytes == Long.MAX_VALUE ? "more than 8 EiB" : String.format(Locale.ROOT, "%.2f GiB", bytes / (double) (1L << 30));
    }
}
