package dev.vecpersist.api;

/**
 * Receives progress reports. Called on the thread doing the work; keep it quick.
 * An exception thrown by a listener aborts the operation, which then fails cleanly like any other
 * failed save or load.
 */
@FunctionalInterface
public interface ProgressListener {
    /** A listener that ignores every report. */
    ProgressListener NONE = p -> { };

    /** @param progress the latest report */
    void onProgress(Progress progress);
}
