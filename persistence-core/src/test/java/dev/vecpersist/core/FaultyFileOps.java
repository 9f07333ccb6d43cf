package dev.vecpersist.core;

import dev.vecpersist.core.io.FileOps;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The real file system with one injected fault: writes fail once a byte budget is spent (a full
 * disk), or a chosen step (sync, rename, directory sync) fails on its n-th call (a crash there).
 */
final class FaultyFileOps implements FileOps {

    enum Step { CREATE, SYNC, MOVE, SYNC_DIR, DELETE }

    private final AtomicLong bytesLeft = new AtomicLong(Long.MAX_VALUE);
    private volatile Step failingStep;
    private volatile int failOnCall;
    private final AtomicLong calls = new AtomicLong();

    /** Writes fail after this many more bytes in total. */
    FaultyFileOps diskFullAfter(long bytes) {
        bytesLeft.set(bytes);
        return this;
    }

    /** The n-th (1-based) call of this step fails. */
    FaultyFileOps failStep(Step step, int nthCall) {
        failingStep = step;
        failOnCall = nthCall;
        calls.set(0);
        return this;
    }

    void heal() {
        bytesLeft.set(Long.MAX_VALUE);
        failingStep = null;
    }

    private void maybeFail(Step step) throws IOException {
        if (step == failingStep && calls.incrementAndGet() == failOnCall) {
            throw new IOException("injected failure at " + step);
        }
    }

    @Override
    public WritableFile create(Path file) throws IOException {
        maybeFail(Step.CREATE);
        WritableFile real = SYSTEM.create(file);
        OutputStream limited = new FilterOutputStream(real.stream()) {
            @Override
            public void write(int b) throws IOException {
                spend(1);
                out.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                spend(len);
                out.write(b, off, len);
            }
        };
        return new WritableFile() {
            @Override
            public OutputStream stream() {
                return limited;
            }

            @Override
            public void sync() throws IOException {
                maybeFail(Step.SYNC);
                real.sync();
            }

            @Override
            public void close() throws IOException {
                real.close();
            }
        };
    }

    private void spend(long n) throws IOException {
        if (bytesLeft.addAndGet(-n) < 0) {
            throw new IOException("No space left on device (injected)");
        }
    }

    @Override
    public InputStream open(Path file) throws IOException {
        return SYSTEM.open(file);
    }

    @Override
    public void sync(Path file) throws IOException {
        maybeFail(Step.SYNC);
        SYSTEM.sync(file);
    }

    @Override
    public void atomicMove(Path from, Path to) throws IOException {
        maybeFail(Step.MOVE);
        SYSTEM.atomicMove(from, to);
    }

    @Override
    public void syncDirectory(Path dir) throws IOException {
        maybeFail(Step.SYNC_DIR);
        SYSTEM.syncDirectory(dir);
    }

    @Override
    public void deleteIfExists(Path file) throws IOException {
        maybeFail(Step.DELETE);
        SYSTEM.deleteIfExists(file);
    }
}
