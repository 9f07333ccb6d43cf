package dev.vecpersist.core.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link AtomicFile}'s early write-backs ({@link SyncBehind}): a large file is written back while it
 * is written, the commit still fsyncs it before the rename, a failed write-back fails the commit and
 * leaves the previous file, and no write-back runs once the file is closed.
 */
class AtomicFileSyncBehindTest {

    private static final int MIB = 1 << 20;

    @TempDir
    Path dir;

    /** The real file system, logging the steps of the files it creates; write-backs can be made to wait or fail. */
    private static final class LoggingOps extends ForwardingFileOps {
        final List<String> log = new CopyOnWriteArrayList<>();
        final CountDownLatch syncWrittenEntered = new CountDownLatch(1);
        volatile CountDownLatch holdSyncWritten;
        volatile boolean failSyncWritten;

        @Override
        public WritableFile create(Path file) throws IOException {
            WritableFile real = SYSTEM.create(file);
            return new WritableFile() {
                private volatile boolean closed;

                @Override
                public OutputStream stream() {
                    return real.stream();
                }

                @Override
                public void sync() throws IOException {
                    log.add("sync");
                    real.sync();
                }

                @Override
                public void syncWritten() throws IOException {
                    log.add(closed ? "syncWritten after close" : "syncWritten");
                    syncWrittenEntered.countDown();
                    if (holdSyncWritten != null) {
                        await(holdSyncWritten);
                    }
                    if (failSyncWritten) {
                        log.add("syncWritten failed");
                        throw new IOException("Input/output error (injected)");
                    }
                    real.syncWritten();
                    log.add("syncWritten done");
                }

                @Override
                public void close() throws IOException {
                    closed = true;
                    log.add("close");
                    real.close();
                }
            };
        }

        @Override
        public void atomicMove(Path from, Path to) throws IOException {
            log.add("rename");
            SYSTEM.atomicMove(from, to);
        }

        @Override
        public void syncDirectory(Path dir) throws IOException {
            log.add("sync dir");
            SYSTEM.syncDirectory(dir);
        }

    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new AssertionError("timed out");
            }
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }

    @Test
    void aLargeFileIsWrittenBackWhileWrittenAndStillFsyncedBeforeTheRename() throws IOException {
        LoggingOps ops = new LoggingOps();
        Path target = dir.resolve("state.bin");
        byte[] first = bytes(3 * MIB);
        byte[] second = bytes(MIB / 2);
        try (AtomicFile file = AtomicFile.create(ops, target)) {
            file.stream().write(first);
            await(ops.syncWrittenEntered); // the write-back runs beside the writer
            file.stream().write(second);
            file.commit();
        }
        byte[] expected = new byte[first.length + second.length];
        System.arraycopy(first, 0, expected, 0, first.length);
        System.arraycopy(second, 0, expected, first.length, second.length);
        assertThat(Files.readAllBytes(target)).isEqualTo(expected);
        List<String> log = List.copyOf(ops.log);
        assertThat(log).contains("syncWritten", "syncWritten done").doesNotContain("syncWritten after close");
        // the commit's fsync (which may overlap the last write-back), then close, rename, directory fsync
        assertThat(log.subList(log.size() - 3, log.size())).containsExactly("close", "rename", "sync dir");
        assertThat(log).containsOnlyOnce("sync");
        assertThat(log.indexOf("sync")).isLessThan(log.indexOf("close"));
        assertThat(log.lastIndexOf("syncWritten done")).isLessThan(log.indexOf("close"));
    }

    @Test
    void aSmallFileStartsNoWriteBack() throws IOException {
        LoggingOps ops = new LoggingOps();
        Path target = dir.resolve("manifest.json");
        try (AtomicFile file = AtomicFile.create(ops, target)) {
            file.stream().write(bytes(MIB - 1));
            file.commit();
        }
        assertThat(ops.log).containsExactly("sync", "close", "rename", "sync dir");
    }

    @Test
    void aFailedWriteBackFailsTheCommitAndLeavesThePreviousFile() throws IOException {
        Path target = dir.resolve("state.bin");
        Files.write(target, new byte[]{1, 2, 3});
        LoggingOps ops = new LoggingOps();
        ops.failSyncWritten = true;
        assertThatThrownBy(() -> {
            try (AtomicFile file = AtomicFile.create(ops, target)) {
                file.stream().write(bytes(2 * MIB));
                await(ops.syncWrittenEntered);
                file.stream().write(bytes(10));
                file.commit(); // the fsync of the commit passes; the write-back's failure must still count
            }
        }).isInstanceOf(IOException.class).hasMessageContaining("writing the file back to disk failed")
                .hasMessageContaining("injected");
        assertThat(ops.log).contains("syncWritten failed").doesNotContain("rename");
        assertThat(Files.readAllBytes(target)).containsExactly(1, 2, 3);
        try (var files = Files.list(dir)) {
            assertThat(files.toList()).containsExactly(target); // no temporary file left
        }
    }

    @Test
    void anAbandonedFileIsClosedOnlyAfterTheWriteBackInProgress() throws Exception {
        LoggingOps ops = new LoggingOps();
        CountDownLatch hold = new CountDownLatch(1);
        ops.holdSyncWritten = hold;
        Path target = dir.resolve("state.bin");
        AtomicFile file = AtomicFile.create(ops, target);
        file.stream().write(bytes(2 * MIB));
        await(ops.syncWrittenEntered);
        Thread closer = new Thread(() -> {
            try {
                file.close();
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        closer.start();
        closer.join(200);
        assertThat(closer.isAlive()).as("close waits for the write-back in progress").isTrue();
        hold.countDown();
        closer.join(30_000);
        assertThat(closer.isAlive()).isFalse();
        assertThat(ops.log).containsSubsequence("syncWritten", "syncWritten done", "close")
                .doesNotContain("syncWritten after close", "rename");
        assertThat(target).doesNotExist();
        try (var files = Files.list(dir)) {
            assertThat(files.toList()).isEmpty();
        }
    }
}
