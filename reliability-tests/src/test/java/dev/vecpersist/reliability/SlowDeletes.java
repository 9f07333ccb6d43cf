package dev.vecpersist.reliability;

import dev.vecpersist.core.io.FileOps;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The real file operations, with every delete taking a little longer, as on a slow disk: a prune
 * of a few snapshots lasts long enough for a kill to land inside it, between any two of its deletes.
 */
final class SlowDeletes implements FileOps {

    private final FileOps real;
    private final long delayNanos;

    SlowDeletes(FileOps real, long delayMicros) {
        this.real = real;
        this.delayNanos = TimeUnit.MICROSECONDS.toNanos(delayMicros);
    }

    @Override
    public WritableFile create(Path file) throws IOException {
        return real.create(file);
    }

    @Override
    public InputStream open(Path file) throws IOException {
        return real.open(file);
    }

    @Override
    public void sync(Path file) throws IOException {
        real.sync(file);
    }

    @Override
    public void atomicMove(Path from, Path to) throws IOException {
        real.atomicMove(from, to);
    }

    @Override
    public void syncDirectory(Path dir) throws IOException {
        real.syncDirectory(dir);
    }

    @Override
    public void createDirectory(Path dir) throws IOException {
        real.createDirectory(dir);
    }

    @Override
    public void deleteIfExists(Path file) throws IOException {
        LockSupport.parkNanos(delayNanos);
        real.deleteIfExists(file);
    }
}
