package dev.vecpersist.core;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs a read-only manager's refresh on a daemon thread at a fixed delay (one thread: two polls
 * never overlap). What a poll throws goes to {@code onFailure}; the next poll tries again. Thread-safe.
 */
final class FollowSchedule {

    private final Runnable poll;
    private final java.util.function.Consumer<Throwable> onFailure;
    private ScheduledExecutorService scheduler;
    private volatile Thread thread;

    FollowSchedule(Runnable poll, java.util.function.Consumer<Throwable> onFailure) {
        this.poll = poll;
        this.onFailure = onFailure;
    }

    /** Starts polling every {@code interval}, the first poll at once; a running schedule is replaced. */
    synchronized void start(Duration interval) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("the poll interval must be positive, not " + interval);
        }
        stop();
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "vecpersist-follow");
            t.setDaemon(true);
            thread = t;
            return t;
        });
        scheduler.scheduleWithFixedDelay(this::tick, 0, interval.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void tick() {
        try {
            poll.run();
        } catch (Throwable t) {
            onFailure.accept(t);
        }
    }

    synchronized boolean isRunning() {
        return scheduler != null;
    }

    /** Stops polling and waits for a poll in flight. */
    synchronized void stop() {
        if (scheduler == null) {
            return;
        }
        scheduler.shutdown();
        if (Thread.currentThread() == thread) {
            scheduler = null; // stopped from a listener: the poll in flight is this thread's own
            return;
        }
        try {
            scheduler.awaitTermination(10, TimeUnit.MINUTES);
            Thread t = thread;
            if (t != null) {
                t.join(TimeUnit.SECONDS.toMillis(10)); // terminated, but let the thread itself be gone too
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        scheduler = null;
    }
}
