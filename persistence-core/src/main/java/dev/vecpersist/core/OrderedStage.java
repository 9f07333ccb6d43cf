package dev.vecpersist.core;

import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Consumer;

/**
 * Runs one task over a sequence of items on a second thread, in the order they are handed over, so
 * that producing the items (this thread: decoding a file) and the work that follows them (checks,
 * a checksum, staging into a database; see {@link LoadPipeline}; or encoding a save and checking and
 * checksumming its entries, see {@link SaveEntries}) overlap on two cores. Items travel in batches
 * (of {@value #BATCH} unless told otherwise) through a queue of 4 (for A/B measurements,
 * {@code -Dvecpersist.stageDepth=N} sets another depth for a whole JVM), which bounds what is in flight and
 * makes a fast producer wait for a slow task. The queue holds references only (the items are in
 * memory either way); it is kept short so that the second thread reads entries the first has just
 * written while they are still in a shared cache (a few hundred entries of 384 float32s; a queue of
 * 8 x 256 held thousands and, on a loaded machine, used no less CPU per load).
 *
 * <p>The task's first failure is rethrown to the producer as it was thrown (the same exception) by
 * the {@link #submit} that hands over the next batch, or by {@link #finish()}; the remaining items
 * are skipped. {@link #close()} without {@link #finish()} stops the worker after the item in
 * progress and waits for it, so that the task never runs after the producer has given up. Waits are
 * bounded by the task's own progress and are not interruptible (an interrupt is kept for the caller).
 *
 * <p>A stage built with {@code threaded == false} runs the task inline, on the producer's thread:
 * for a few items a thread costs more than it saves. Not thread-safe: one producer.
 *
 * @param <T> the items
 */
final class OrderedStage<T> implements AutoCloseable {

    /** Items per hand-over, unless the constructor is given another size. */
    static final int BATCH = 64;
    /** Batches in flight; a switch for A/B measurements (the producer waits whenever the worker is off its core for longer than this holds). */
    private static final int DEPTH = Math.max(1, Integer.getInteger("vecpersist.stageDepth", 4));
    /** Fewer items than this run inline: a thread costs more than it saves. */
    static final int MIN_FOR_A_THREAD = 512;
    private static final Batch END = new Batch(0);

    private final Consumer<? super T> task;
    private final int batchSize;
    private final Thread worker;
    private final BlockingQueue<Batch> full = new ArrayBlockingQueue<>(DEPTH);
    private final BlockingQueue<Batch> empty = new ArrayBlockingQueue<>(DEPTH + 2);
    private volatile Throwable failure;
    private volatile boolean abandoned;
    private Batch batch;
    private boolean done;

    /** Items and how many of them there are (an item may be null). */
    private static final class Batch {
        final Object[] items;
        int count;

        Batch(int size) {
            items = new Object[size];
        }
    }

    /**
     * @param name     names the worker thread
     * @param threaded whether to run the task on a second thread (see {@link #worthAThread})
     * @param task     applied to every item, in order; it must not block on the producer
     */
    OrderedStage(String name, boolean threaded, Consumer<? super T> task) {
        this(name, threaded, BATCH, task);
    }

    /**
     * @param name      names the worker thread ({@code vecpersist-stage-NAME})
     * @param threaded  whether to run the task on a second thread (see {@link #worthAThread})
     * @param batchSize items per hand-over
     * @param task      applied to every item, in order; it must not block on the producer
     */
    OrderedStage(String name, boolean threaded, int batchSize, Consumer<? super T> task) {
        this.task = task;
        this.batchSize = batchSize;
        if (threaded) {
            this.batch = new Batch(batchSize);
            this.worker = new Thread(this::run, "vecpersist-stage-" + name);
            worker.setDaemon(true);
            worker.start();
        } else {
            this.worker = null;
        }
    }

    /**
     * Whether a second thread pays off for this many items: at least {@value #MIN_FOR_A_THREAD}.
     *
     * @param items how many items are expected (a file's claim: only a hint)
     * @return whether to build the stage threaded
     */
    static boolean worthAThread(long items) {
        return items >= MIN_FOR_A_THREAD && Runtime.getRuntime().availableProcessors() > 1;
    }

    /**
     * Hands an item over (inline: runs the task on it).
     *
     * @param item the item
     * @throws RuntimeException the task's failure on an earlier item
     */
    void submit(T item) {
        if (worker == null) {
            task.accept(item);
            return;
        }
        batch.items[batch.count++] = item;
        if (batch.count == batchSize) {
            ship();
        }
    }

    /**
     * Hands over what is left and waits until the task has run on every item.
     *
     * @throws RuntimeException the task's failure
     */
    void finish() {
        if (worker == null || done) {
            return;
        }
        if (batch.count > 0) {
            ship();
        }
        done = true;
        put(END);
        joinWorker();
        rethrowFailure();
    }

    /** Without {@link #finish()}: stops the worker after the item in progress and waits for it. */
    @Override
    public void close() {
        if (worker == null || done) {
            return;
        }
        done = true;
        abandoned = true;
        full.clear(); // what is still queued is not needed any more, and there is room for END
        put(END);
        joinWorker();
    }

    private void ship() {
        rethrowFailure();
        put(batch);
        Batch next = empty.poll();
        batch = next != null ? next : new Batch(batchSize);
    }

    @SuppressWarnings("unchecked")
    private void run() {
        while (true) {
            Batch b = take();
            if (b == END) {
                return;
            }
            if (failure == null) {
                try {
                    for (int i = 0; i < b.count && !abandoned; i++) {
                        task.accept((T) b.items[i]);
                    }
                } catch (Throwable t) {
                    failure = t; // the producer rethrows it; later batches are only drained
                }
            }
            Arrays.fill(b.items, 0, b.count, null); // the items are not kept alive by a recycled batch
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
            throw new IllegalStateException("the " + worker.getName() + " thread failed: " + t, t);
        }
    }

    /** Puts into the queue; the worker always drains it, so this waits only for its progress. */
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
                // only the producer ends the worker, by END
            }
        }
    }

    private void joinWorker() {
        boolean interrupted = false;
        while (worker.isAlive()) {
            try {
                worker.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
