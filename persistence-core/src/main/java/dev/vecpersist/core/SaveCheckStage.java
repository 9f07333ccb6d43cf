package dev.vecpersist.core;

import dev.vecpersist.api.VectorEntry;

import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Consumer;

/**
 * Runs a task over a save's entries on a second thread, in the order they are submitted: batches of
 * {@value #BATCH} entry references travel through a queue of {@value #DEPTH}, so at most a few
 * thousand references are in flight (never a copy of the database) and a fast producer waits for a
 * slow task. The task's first failure stops the task: later batches are only drained, and the
 * failure is rethrown to the producer at its next hand-over and by {@link #finish()}.
 * {@link #close()} always stops the thread. One producer thread only.
 */
final class SaveCheckStage implements AutoCloseable {

    /** Entries per hand-over. */
    static final int BATCH = 256;
    private static final int DEPTH = 4;
    private static final Batch END = new Batch();

    /** Entry references and how many of them are used (an entry may be null: the task judges it). */
    private static final class Batch {
        final VectorEntry[] entries = new VectorEntry[BATCH];
        int count;
    }

    private final Consumer<VectorEntry> task;
    private final Thread worker;
    private final BlockingQueue<Batch> full = new ArrayBlockingQueue<>(DEPTH);
    private final BlockingQueue<Batch> empty = new ArrayBlockingQueue<>(DEPTH + 2);
    private volatile Throwable failure;
    private volatile boolean abandoned;
    private Batch batch = new Batch();
    private boolean ended;

    /**
     * Starts the second thread.
     *
     * @param task what to do with each entry, in order; its exceptions fail the stage
     */
    SaveCheckStage(Consumer<VectorEntry> task) {
        this.task = task;
        this.worker = new Thread(this::run, "vecpersist-save-check");
        worker.setDaemon(true);
        worker.start();
    }

    /**
     * Hands one entry over.
     *
     * @param entry the entry, possibly null
     * @throws RuntimeException the task's failure on an earlier entry, as it was thrown
     */
    void submit(VectorEntry entry) {
        batch.entries[batch.count++] = entry;
        if (batch.count == BATCH) {
            ship();
        }
    }

    /**
     * Hands over what is left and waits until the task has seen every entry submitted; after it,
     * what the task changed is visible to this thread.
     *
     * @throws RuntimeException the task's first failure, as it was thrown
     */
    void finish() {
        if (!ended) {
            ended = true;
            if (batch.count > 0) {
                put(batch);
            }
            put(END);
            join();
        }
        rethrowFailure();
    }

    /** Stops the thread without waiting for the task to see the rest (a failed save). */
    @Override
    public void close() {
        abandoned = true;
        if (!ended) {
            ended = true;
            put(END);
        }
        join();
    }

    private void ship() {
        rethrowFailure();
        put(batch);
        Batch next = empty.poll();
        batch = next != null ? next : new Batch();
    }

    private void run() {
        while (true) {
            Batch b = take();
            if (b == END) {
                return;
            }
            if (failure == null && !abandoned) {
                try {
                    for (int i = 0; i < b.count; i++) {
                        task.accept(b.entries[i]);
                    }
                } catch (Throwable t) {
                    failure = t; // the producer rethrows it; later batches are only drained
                }
            }
            Arrays.fill(b.entries, 0, b.count, null); // a recycled batch keeps no entry alive
            b.count = 0;
            empty.offer(b);
        }
    }

    private void rethrowFailure() {
        Throwable t = failure;
        if (t instanceof RuntimeException e) {
            throw e;
        }
        if (t instanceof Error e) {
            throw e;
        }
        if (t != null) {
            throw new IllegalStateException("checking entries failed: " + t, t);
        }
    }

    /** The worker always drains the queue, so this waits only for its progress; an interrupt is kept for later. */
    private void put(Batch b) {
        boolean interrupted = false;
        while (true) {
            try {
                full.put(b);
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private Batch take() {
        while (true) {
            try {
                return full.take();
            } catch (InterruptedException e) {
                // nobody interrupts this thread; END is what stops it
            }
        }
    }

    private void join() {
        boolean interrupted = false;
        while (true) {
            try {
                worker.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
