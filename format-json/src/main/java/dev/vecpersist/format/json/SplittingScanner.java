package dev.vecpersist.format.json;

import dev.vecpersist.api.VectorEntry;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Parses the {@code "vectors"} array on two threads. The {@link VectorsScanner} (the leader) reads
 * a window of bytes ahead, picks a place after its middle where an entry may end, and hands a copy
 * of the bytes from there to a helper thread, which parses entries from it with a scanner of its
 * own while the leader parses the first half. When the leader ends an entry exactly there, the guess
 * is confirmed and the helper's entries are taken as the leader's own (parsing an entry from where
 * the previous one ended gives the same result whoever does it); if the leader passes it, or stops
 * before it, the helper's work is dropped. The helper stops at anything it does not understand and
 * the leader parses that entry itself, so acceptance, hand-over and positions are the scanner's
 * alone. Memory: the window, a copy of its second half and the entries parsed from it.
 *
 * <p>The system property {@value #WINDOW_PROPERTY} sets the window in bytes; 0 parses on the
 * scanner's thread alone (a single-core machine, or comparing the two in one JVM). Not thread-safe
 * (one caller).
 */
final class SplittingScanner implements AutoCloseable {

    /** Bytes read ahead for one split: about half of them (a hundred 384-float entries) go to the helper. */
    static final int WINDOW = 1 << 20;
    /**
     * The first split's window, doubled at each split up to the full one: the first entries arrive
     * after little of the input is read, as they did from the scanner alone.
     */
    static final int FIRST_WINDOW = 16 * 1024;
    /** The system property that overrides {@link #WINDOW}; 0 turns splitting off. */
    static final String WINDOW_PROPERTY = "vecpersist.json.splitWindow";

    /** The entries a helper parsed: each entry's end, line breaks since the previous end, and last line start. */
    private record Ahead(List<VectorEntry> entries, long[] ends, int[] lines, long[] lineStarts) {
    }

    /** A helper's run from a possible entry end; {@code cancelled} stops it between entries. */
    private record Pending(long from, Future<Ahead> result, AtomicBoolean cancelled) {
    }

    private final VectorsScanner leader;
    private final int window;
    private int nextWindow;
    private ExecutorService helper;
    private Pending pending;
    /** No split is tried before the leader reaches this offset (nothing to split in the bytes searched). */
    private long noSplitBefore = -1;
    private Ahead adopted;
    private int adoptedIndex;
    private boolean ended;
    private long fromHelper;

    /** The window the system property {@value #WINDOW_PROPERTY} sets, {@link #WINDOW} if it is absent or invalid. */
    static int configuredWindow() {
        Integer window = Integer.getInteger(WINDOW_PROPERTY);
        return window == null || window < 0 ? WINDOW : window;
    }

    /** @param window bytes read ahead for one split (small in tests, to split often); 0: no split */
    SplittingScanner(VectorsScanner leader, int window) {
        this.leader = leader;
        this.window = window;
        this.nextWindow = Math.min(FIRST_WINDOW, window);
    }

    /** The next entry, or null when the token reader must take over; the source's failures as the scanner throws them. */
    VectorEntry next() throws IOException {
        if (adopted != null) {
            if (adoptedIndex < adopted.entries().size()) {
                int i = adoptedIndex++;
                leader.adopt(adopted.ends()[i], adopted.lines()[i], adopted.lineStarts()[i]);
                fromHelper++;
                return adopted.entries().get(i);
            }
            adopted = null;
        }
        if (pending != null) {
            long at = leader.handOverOffset();
            if (at == pending.from()) {
                adopted = await(pending);
                pending = null;
                adoptedIndex = 0;
                if (adopted != null && !adopted.entries().isEmpty()) {
                    return next();
                }
                adopted = null;
            } else if (at > pending.from()) {
                drop();
            }
        }
        if (pending == null && !ended && window > 0 && leader.handOverOffset() >= noSplitBefore) {
            split();
        }
        VectorEntry entry = leader.next();
        if (entry == null) {
            close();
        }
        return entry;
    }

    private void split() {
        leader.bufferAhead(nextWindow);
        long from = leader.possibleEntryEnd();
        if (from < 0) {
            noSplitBefore = leader.handOverOffset() + nextWindow;
            return;
        }
        nextWindow = Math.min(nextWindow * 2, window);
        VectorsScanner copy = leader.copyFrom(from);
        AtomicBoolean cancelled = new AtomicBoolean();
        if (helper == null) {
            helper = Executors.newSingleThreadExecutor(task -> {
                Thread t = new Thread(task, "vecpersist-json-scanner-2");
                t.setDaemon(true);
                return t;
            });
        }
        pending = new Pending(from, helper.submit(() -> parse(copy, cancelled)), cancelled);
    }

    /** Runs on the helper: entries until the copy ends, something unusual comes, or the leader gives up on them. */
    private static Ahead parse(VectorsScanner scanner, AtomicBoolean cancelled) {
        List<VectorEntry> entries = new ArrayList<>();
        long[] ends = new long[64];
        int[] lines = new int[64];
        long[] lineStarts = new long[64];
        int lineBefore = scanner.handOverLine();
        while (!cancelled.get()) {
            VectorEntry e;
            try {
                e = scanner.next();
            } catch (IOException | RuntimeException unexpected) {
                break; // the leader parses this entry itself and meets whatever it is
            }
            if (e == null) {
                break;
            }
            int n = entries.size();
            if (n == ends.length) {
                ends = Arrays.copyOf(ends, n * 2);
                lines = Arrays.copyOf(lines, n * 2);
                lineStarts = Arrays.copyOf(lineStarts, n * 2);
            }
            entries.add(e);
            ends[n] = scanner.handOverOffset();
            lines[n] = scanner.handOverLine() - lineBefore;
            lineStarts[n] = scanner.handOverLineStart();
            lineBefore = scanner.handOverLine();
        }
        return new Ahead(entries, ends, lines, lineStarts);
    }

    /** The helper's entries, or null when it could not run (then the leader parses them itself). */
    private static Ahead await(Pending p) {
        try {
            return p.result().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (ExecutionException e) {
            return null;
        }
    }

    private void drop() {
        pending.cancelled().set(true);
        await(pending); // one helper run at a time
        pending = null;
    }

    /** Stops the helper, waiting at most a second for its current entry. */
    @Override
    public void close() {
        ended = true;
        if (pending != null) {
            pending.cancelled().set(true);
            pending = null;
        }
        adopted = null;
        if (helper != null) {
            helper.shutdown();
            try {
                helper.awaitTermination(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** How many of the entries returned the helper parsed. */
    long fromHelper() {
        return fromHelper;
    }

    /** Whether the helper thread has ended (or never started). */
    boolean helperEnded() {
        return helper == null || helper.isTerminated();
    }
}
