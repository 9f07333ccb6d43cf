package dev.vecpersist.core;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs a save on a daemon thread at a fixed delay. One thread, fixed delay: two saves never
 * overlap. A failed save is logged and reported, and the next tick tries again. Thread-safe.
 */
final class AutoSaver {

    private static final Logger LOG = LoggerFactory.getLogger(AutoSaver.class);

    private final Runnable save;
    private final Duration interval;
    private final Consumer<Throwable> onFailure;
    private ScheduledExecutorService scheduler;

    AutoSaver(Runnable save, Duration interval, Consumer<Throwable> onFailure) {
        this.save = save;
        this.interval = interval;
        this.onFailure = onFailure;
    }

    synchronized void start() {
        if (scheduler != null) {
            return;
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "vecpersist-autosave");
            t.setDaemon(true);
            return t;
        });
        long millis = interval.toMillis();
        scheduler.scheduleWithFixedDelay(this::tick, millis, millis, TimeUnit.MILLISECONDS);
    }

    private void tick() {
        try {
            save.run();
        } catch (Throwable t) {
            LOG.error("auto-save failed; the next tick retries", t);
            if (onFailure != null) {
                try {
                    onFailure.accept(t);
                } catch (RuntimeException e) {
                    LOG.warn("the auto-save failure listener threw", e);
                }
            }
        }
    }

    synchronized boolean isRunning() {
        return scheduler != null;
    }

    /** Stops the schedule and waits for a save in flight. */
    synchronized void stop() {
        if (scheduler == null) {
            return;
        }
        scheduler.shutdown();
        try {
            if (!scheduler.awaitTermination(10, TimeUnit.MINUTES)) {
                LOG.warn("an auto-save is still running after 10 minutes");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        scheduler = null;
    }
}
