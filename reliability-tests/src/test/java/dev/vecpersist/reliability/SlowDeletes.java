package dev.vecpersist.reliability;

import dev.vecpersist.core.io.ForwardingFileOps;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The real file operations, with every delete taking a little longer, as on a slow disk: a prune
 * of a few snapshots lasts long enough for a kill to land inside it, between any two of its deletes.
 */
final class SlowDeletes extends ForwardingFileOps {

    private final long delayNanos;

    SlowDeletes(long delayMicros) {
        this.delayNanos = TimeUnit.MICROSECONDS.toNanos(delayMicros);
    }

    @Override
    public void deleteIfExists(Path file) throws IOException {
        LockSupport.parkNanos(delayNanos);
        super.deleteIfExists(file);
    }
}
