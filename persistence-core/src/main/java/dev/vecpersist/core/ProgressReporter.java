package dev.vecpersist.core;

import dev.vecpersist.api.Progress;
import dev.vecpersist.api.ProgressListener;

/**
 * Turns "one more entry done" into {@link Progress} reports: at least one every {@code batchSize}
 * entries, percentages that never decrease, and exactly one final report at 100. Not thread-safe.
 */
final class ProgressReporter {

    private final String operation;
    private long total;
    private final ProgressListener listener;
    private final long batchSize;
    private long current;
    private long nextReportAt;
    private double lastPercentage;
    private boolean finished;

    ProgressReporter(String operation, long total, ProgressListener listener, int batchSize) {
        this.operation = operation;
        this.total = Math.max(0, total);
        this.listener = listener == null ? ProgressListener.NONE : listener;
        this.batchSize = Math.max(1, batchSize);
        this.nextReportAt = this.batchSize;
    }

    /** Sets the total when it was not known at construction (a load learns it from the file's header). */
    void total(long entries) {
        if (total == 0) {
            total = Math.max(0, entries);
        }
    }

    /** Reports the start (0 %). */
    void start(String message) {
        emit(0, message);
    }

    /** One more entry processed. */
    void advance() {
        current++;
        // the last entry is reported by finish() at 100 %: never "99 % (N/N)"
        if (current >= nextReportAt && (total == 0 || current < total)) {
            nextReportAt = current + batchSize;
            // stay below 100 until finish(): the trailer and the rename are still to come
            double pct = total == 0 ? 99 : Math.min(99, 100.0 * current / total);
            emit(pct, operation + " " + current + "/" + total + " entries");
        }
    }

    /** Reports 100 % once. */
    void finish(String message) {
        if (!finished) {
            finished = true;
            emit(100, message);
        }
    }

    private void emit(double pct, String message) {
        double p = Math.max(lastPercentage, pct);
        lastPercentage = p;
        listener.onProgress(new Progress(operation, p, current, total, message));
    }
}
