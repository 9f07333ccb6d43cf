package dev.vecpersist.reliability;

import dev.vecpersist.api.Metric;
import dev.vecpersist.api.PersistenceException;
import dev.vecpersist.api.VectorEntry;
import dev.vecpersist.core.DatabasePersistence;
import dev.vecpersist.core.PersistenceOptions;
import dev.vecpersist.core.VectorDB;
import dev.vecpersist.core.io.FileOps;
import dev.vecpersist.testkit.TestStates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** A disk that fills up mid-save: a typed failure, the previous save intact, no partial file left. */
class FullDiskTest {

    @TempDir
    Path dir;

    /** The real file system, with a byte budget for everything written. */
    static final class FillingDisk implements FileOps {
        final AtomicLong left = new AtomicLong(Long.MAX_VALUE);

        @Override
        public WritableFile create(Path file) throws IOException {
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
                    real.sync();
                }

                @Override
                public void close() throws IOException {
                    real.close();
                }
            };
        }

        private void spend(long n) throws IOException {
            if (left.addAndGet(-n) < 0) {
                throw new IOException("No space left on device (simulated)");
            }
        }

        @Override public InputStream open(Path file) throws IOException { return SYSTEM.open(file); }
        @Override public void sync(Path file) throws IOException { SYSTEM.sync(file); }
        @Override public void atomicMove(Path from, Path to) throws IOException { SYSTEM.atomicMove(from, to); }
        @Override public void syncDirectory(Path d) throws IOException { SYSTEM.syncDirectory(d); }
        @Override public void deleteIfExists(Path file) throws IOException { SYSTEM.deleteIfExists(file); }
    }

    @ParameterizedTest
    @ValueSource(strings = {"full", "incremental", "snapshot"})
    void aFullDiskLeavesThePreviousStateAndNoPartialFile(String operation) throws Exception {
        for (String format : List.of("json", "msgpack", "sqlite")) {
            Path base = dir.resolve(operation + "-" + format);
            FillingDisk disk = new FillingDisk();
            VectorDB db = new VectorDB(16, Metric.COSINE);
            db.insertBatch(TestStates.entries(2000, 16, 1));
            List<VectorEntry> committed;
            try (DatabasePersistence p = new DatabasePersistence(db, PersistenceOptions.builder().baseDir(base)
                    .format(format).compression("gzip").fileOps(disk).build())) {
                p.saveIncremental();
                p.createSnapshot("first");
                committed = Trials.contents(db);
                for (int i = 0; i < 500; i++) {
                    db.insert(new VectorEntry("more-" + i, TestStates.randomVector(new java.util.Random(i), 16)));
                }
                disk.left.set(20_000);   // less than any of these saves needs
                Runnable op = switch (operation) {
                    case "full" -> p::save;
                    case "incremental" -> p::saveIncremental;
                    default -> () -> p.createSnapshot("second");
                };
                assertThatThrownBy(op::run).as(format).isInstanceOf(PersistenceException.class)
                        .hasMessageContaining("No space left");
                disk.left.set(Long.MAX_VALUE);
                assertThat(p.listSnapshots()).extracting(s -> s.name()).containsExactly("first");
            }
            assertNoTemporaryFiles(base);
            VectorDB loaded = new VectorDB(16, Metric.COSINE);
            try (DatabasePersistence p = new DatabasePersistence(loaded, PersistenceOptions.builder().baseDir(base).build())) {
                p.load();
            }
            assertThat(Trials.contents(loaded)).as(format).containsExactlyElementsOf(committed);
        }
    }

    @Test
    void aRealTmpfsThatFillsUp() throws Exception {
        Path mount = dir.resolve("tmpfs");
        Files.createDirectories(mount);
        Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", mount.toString())
                .redirectErrorStream(true).start();
        boolean mounted = p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        assumeTrue(mounted, "cannot mount a tmpfs here (needs root and permission)");
        try {
            VectorDB db = new VectorDB(64, Metric.COSINE);
            db.insertBatch(TestStates.entries(1000, 64, 2));     // ~0.7 MB as msgpack
            List<VectorEntry> committed;
            try (DatabasePersistence persistence = new DatabasePersistence(db,
                    PersistenceOptions.builder().baseDir(mount).format("msgpack").build())) {
                persistence.save();
                committed = Trials.contents(db);
                db.insertBatch(TestStates.entries(12000, 64, 3)); // ~4 MB: does not fit beside the first
                assertThatThrownBy(persistence::save).isInstanceOf(PersistenceException.class);
            }
            assertNoTemporaryFiles(mount);
            VectorDB loaded = new VectorDB(64, Metric.COSINE);
            try (DatabasePersistence persistence = new DatabasePersistence(loaded,
                    PersistenceOptions.builder().baseDir(mount).build())) {
                persistence.load();
            }
            assertThat(Trials.contents(loaded)).containsExactlyElementsOf(committed);
            System.out.println("tmpfs full-disk test ran on a real 3 MB tmpfs");
        } finally {
            new ProcessBuilder("umount", mount.toString()).start().waitFor(10, TimeUnit.SECONDS);
        }
    }

    static void assertNoTemporaryFiles(Path base) throws IOException {
        try (Stream<Path> files = Files.walk(base)) {
            assertThat(files.map(f -> f.getFileName().toString())).noneMatch(n -> n.contains(".tmp-"));
        }
    }
}
