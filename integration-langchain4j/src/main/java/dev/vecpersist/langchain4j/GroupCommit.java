package dev.vecpersist.langchain4j;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * Makes writes durable before they return, sharing saves between concurrent writers (group commit).
 *
 * <p>A writer that needs its change (numbered by the database's change sequence) on disk calls
 * {@link #awaitDurable(long)}. If no save is running it becomes the leader: it reads the current
 * sequence, runs one save, which covers every change up to that sequence, and wakes the others.
 * Writers whose changes came after that reading wait for the next save, which one of them leads.
 * Under load, one save covers many writers.
 */
final class GroupCommit {

    private final LongSupplier currentSequence;
    private final Runnable save;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition roundEnded = lock.newCondition();
    /** Every change up to this sequence is on disk. */
    private long durableThrough = -1;
    private boolean saving;

    /**
     * @param currentSequence the database's change sequence now
     * @param save            makes everything the database holds when it starts durable, or throws
     */
    GroupCommit(LongSupplier currentSequence, Runnable save) {
        this.currentSequence = currentSequence;
        this.save = save;
    }

    /**
     * Returns once every change up to {@code sequence} is durable.
     *
     * @param sequence the database's change sequence right after the caller's write
     * @throws RuntimeException what the save threw, when this caller led the failing save; a waiter
     *                          of a failed save leads the next attempt itself
     */
    void awaitDurable(long sequence) {
        lock.lock();
        try {
            while (durableThrough < sequence) {
                if (saving) {
                    roundEnded.awaitUninterruptibly();
                    continue;
                }
                saving = true;
                long covers;
                lock.unlock();
                boolean saved = false;
                try {
                    // read before the save starts: the save captures at least this much
                    covers = currentSequence.getAsLong();
                    save.run();
                    saved = true;
                } finally {
                    lock.lock();
                    saving = false;
                    roundEnded.signalAll();
                }
                if (saved) {
                    durableThrough = Math.max(durableThrough, covers);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Records that a save made outside this group commit covered {@code sequence}.
     *
     * @param sequence the change sequence read before that save started
     */
    void saved(long sequence) {
        lock.lock();
        try {
            durableThrough = Math.max(durableThrough, sequence);
        } finally {
            lock.unlock();
        }
    }
}
