package dev.vecpersist.it.history;

import dev.vecpersist.core.HistoryPolicy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The model's own reading of docs/history.md's policies, written without {@link HistoryPolicy}'s
 * code: applied at each commit to the retained versions (oldest first, the new one last),
 * {@code latestOnly} keeps the latest, {@code keepLast(n)} the newest n, {@code keepFor(d)} the
 * versions committed within d of the commit and always the latest; versions only ever go from the
 * oldest.
 *
 * @param keepLast how many versions to keep, or 0 with {@code keepFor}
 * @param keepFor  how long a version stays, or null with {@code keepLast}
 */
record ModelHistoryPolicy(int keepLast, Duration keepFor) {

    /**
     * How {@code keepFor} reads a clock that stepped back. docs/history.md: it "keeps the versions
     * committed within {@code age}" and "a version older by number than a kept one is kept however old
     * its time reads": the versions from the oldest one within the duration on are kept (true, the
     * default). The library once walked back from the latest and dropped the first version outside the
     * duration and every one before it, dropping a version committed minutes earlier (this model found
     * it: {@code -Dvecpersist.seed=704956044909393901}, try 28, step 47); false replays that reading.
     */
    static final boolean KEEP_FOR_AS_DOCUMENTED = Boolean.parseBoolean(
            System.getProperty("vecpersist.history.keepForAsDocumented", "true"));

    static ModelHistoryPolicy latestOnly() {
        return new ModelHistoryPolicy(1, null);
    }

    /** {@return the library's policy with the same parameters (the model reads only these)} */
    HistoryPolicy toLibrary() {
        if (keepFor != null) {
            return HistoryPolicy.keepFor(keepFor);
        }
        return keepLast == 1 ? HistoryPolicy.latestOnly() : HistoryPolicy.keepLast(keepLast);
    }

    /**
     * How many of the oldest versions a commit at {@code now} drops.
     *
     * @param times the retained versions' times, oldest first, the new one last
     * @param now   the commit's time
     * @return how many to drop from the start
     */
    int dropCount(List<Instant> times, Instant now) {
        return dropCount(times, now, KEEP_FOR_AS_DOCUMENTED);
    }

    /** {@return whether the two readings of a stepped-back clock drop different versions at this commit} */
    boolean readingsDiffer(List<Instant> times, Instant now) {
        return dropCount(times, now, true) != dropCount(times, now, false);
    }

    private int dropCount(List<Instant> times, Instant now, boolean asDocumented) {
        if (keepFor == null) {
            return Math.max(0, times.size() - keepLast);
        }
        Instant oldestKept = now.minus(keepFor);
        int latest = times.size() - 1;
        if (asDocumented) {
            for (int i = 0; i < latest; i++) {
                if (!times.get(i).isBefore(oldestKept)) {
                    return i;
                }
            }
            return latest;
        }
        int from = latest;
        while (from > 0 && !times.get(from - 1).isBefore(oldestKept)) {
            from--;
        }
        return from;
    }

    @Override
    public String toString() {
        return keepFor != null ? "keepFor(" + keepFor + ")" : keepLast == 1 ? "latestOnly" : "keepLast(" + keepLast + ")";
    }
}
