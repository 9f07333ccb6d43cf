package dev.vecpersist.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * The upserts of a {@link TrackedEntries} in the order of their sequence numbers, so that the entries
 * changed since a sequence are found by walking back from the newest change: the cost of a change set
 * follows the number of changes, not the size of the database. A record is live while its id still
 * holds the entry it wrote (the entry's sequence is the record's); records that a later change of the
 * same id superseded, or that fall at or before the forgotten sequence, are dropped when the arrays are
 * full, before they grow, so the log holds at most about four records per live entry (12 bytes each).
 * Not thread-safe: its owner's lock covers it.
 */
final class ChangeLog {

    private static final int MIN_CAPACITY = 16;

    /** The current sequence of an id's entry, or -1 when the id holds none. */
    private final ToLongFunction<String> currentSequence;
    private long[] sequences = new long[MIN_CAPACITY];
    private String[] ids = new String[MIN_CAPACITY];
    private int size;
    /** Records superseded since the last compaction: an upper bound on what a compaction frees besides the forgotten prefix. */
    private int superseded;

    /** @param currentSequence the sequence of an id's entry now, or -1 when the id holds none */
    ChangeLog(ToLongFunction<String> currentSequence) {
        this.currentSequence = currentSequence;
    }

    /**
     * Records that {@code id} was upserted at {@code sequence}, higher than every recorded one.
     *
     * @param forgottenThrough changes at or before it are no longer asked for: their records may go
     */
    void upserted(long sequence, String id, long forgottenThrough) {
        if (size == sequences.length) {
            makeRoom(forgottenThrough);
        }
        sequences[size] = sequence;
        ids[size] = id;
        size++;
    }

    /**
     * The record of a change at {@code oldSequence} no longer is its id's newest (the id was updated or
     * deleted); counted only to tell whether a compaction would free anything.
     */
    void superseded(long oldSequence, long forgottenThrough) {
        if (oldSequence > forgottenThrough) {
            superseded++;
        }
    }

    /** Forgets every record, releasing the arrays (after a clear or a replacement of every entry). */
    void clear() {
        sequences = new long[MIN_CAPACITY];
        ids = new String[MIN_CAPACITY];
        size = 0;
        superseded = 0;
    }

    /**
     * The ids whose current entry was written after {@code sinceSequence}, newest change first; each
     * once. {@code sinceSequence} must not be below the forgotten sequence the log was told of.
     */
    List<String> changedSince(long sinceSequence) {
        List<String> changed = new ArrayList<>();
        for (int i = size - 1; i >= 0 && sequences[i] > sinceSequence; i--) {
            if (currentSequence.applyAsLong(ids[i]) == sequences[i]) {
                changed.add(ids[i]);
            }
        }
        return changed;
    }

    /** {@return how many records the log holds, live or not (for tests)} */
    int recordCount() {
        return size;
    }

    /**
     * Drops the forgotten and superseded records when that frees at least half of the arrays, and
     * doubles them otherwise: either way at least half is free afterwards, so appends stay O(1)
     * amortised, and a bulk insert (nothing superseded) never pays for a scan.
     */
    private void makeRoom(long forgottenThrough) {
        int forgotten = forgottenPrefix(forgottenThrough);
        if (forgotten + superseded >= size / 2) {
            compact(forgotten);
        }
        if (size > sequences.length / 2) {
            sequences = Arrays.copyOf(sequences, sequences.length * 2);
            ids = Arrays.copyOf(ids, ids.length * 2);
        }
    }

    /** {@return how many records, from the oldest, are at or before {@code forgottenThrough}} */
    private int forgottenPrefix(long forgottenThrough) {
        int index = Arrays.binarySearch(sequences, 0, size, forgottenThrough);
        return index >= 0 ? index + 1 : -index - 1;
    }

    private void compact(int from) {
        int kept = 0;
        for (int i = from; i < size; i++) {
            if (currentSequence.applyAsLong(ids[i]) == sequences[i]) {
                sequences[kept] = sequences[i];
                ids[kept] = ids[i];
                kept++;
            }
        }
        Arrays.fill(ids, kept, size, null);
        size = kept;
        superseded = 0;
    }
}
