package dev.vecpersist.core.io;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes a file and makes it durable behind the writer: after every {@code step} bytes a second
 * thread calls {@link FileOps.WritableFile#syncWritten()}, so that the disk writes the file back
 * while the caller is still producing it, and the fsync of the commit has only the tail left (on
 * the benchmark VM a 16 MB file's final fsync went from ~10 ms to ~1-3 ms). At most one write-back
 * runs at a time; requests made meanwhile fold into the next one. The thread starts with the first
 * request, so a file shorter than one step never starts one.
 *
 * <p>Durability is unchanged: the early write-backs only start what the final fsync would do;
 * the file is durable when {@link FileOps.WritableFile#sync()} returns, as before. A failed
 * write-back fails the file: the next write or {@link #finish()} throws it (on Linux an fsync error
 * is reported once per open file, so the final fsync might not report it again). Used by one
 * writer thread at a time.
 */
final class SyncBehind extends FilterOutputStream {

    private final FileOps.WritableFile file;
    private final long step;
    private final Object lock = new Object();
    private long sinceRequest;
    private Thread worker;
    // guarded by lock
    private boolean requested;
    private boolean stopping;
    private IOException failure;

    /**
     * @param file the file written through {@code file.stream()}
     * @param step bytes written between two write-back requests
     */
    SyncBehind(FileOps.WritableFile file, long step) {
        super(file.stream());
        this.file = file;
        this.step = step;
    }

    @Override
    public void write(int b) throws IOException {
        out.write(b);
        written(1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
        written(len);
    }

    @Override
    public void close() throws IOException {
        flush(); // the file is closed by its owner, after finish() or stop()
    }

    private void written(long bytes) throws IOException {
        sinceRequest += bytes;
        if (sinceRequest < step) {
            return;
        }
        sinceRequest = 0;
        synchronized (lock) {
            rethrowFailure();
            requested = true;
            if (worker == null) {
                worker = new Thread(this::run, "vecpersist-sync-behind");
                worker.setDaemon(true);
                worker.start();
            } else {
                lock.notify();
            }
        }
    }

    /**
     * Ends the write-backs: no new one starts, and one in progress is waited for. Called after the
     * final {@link FileOps.WritableFile#sync()} (which may overlap the last write-back).
     *
     * @throws IOException the failure of a write-back
     */
    void finish() throws IOException {
        stop();
        synchronized (lock) {
            rethrowFailure();
        }
    }

    /** Ends the write-backs without looking at their outcome (the file is abandoned); waits for one in progress. */
    void stop() {
        Thread running;
        synchronized (lock) {
            stopping = true;
            lock.notify();
            running = worker;
        }
        if (running == null) {
            return;
        }
        boolean interrupted = false;
        while (running.isAlive()) {
            try {
                running.join();
            } catch (InterruptedException e) {
                interrupted = true; // the file must not be closed under a write-back: wait on
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void rethrowFailure() throws IOException {
        if (failure != null) {
            throw new IOException("writing the file back to disk failed: " + failure.getMessage(), failure);
        }
    }

    private void run() {
        while (true) {
            synchronized (lock) {
                while (!requested && !stopping) {
                    try {
                        lock.wait();
                    } catch (InterruptedException e) {
                        return; // never interrupted by this class: someone wants the thread gone
                    }
                }
                if (stopping) {
                    return;
                }
                requested = false;
            }
            try {
                file.syncWritten();
            } catch (IOException | RuntimeException e) {
                synchronized (lock) {
                    failure = e instanceof IOException io ? io : new IOException(e);
                }
                return;
            }
        }
    }
}
