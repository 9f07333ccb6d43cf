package dev.vecpersist.it;

import dev.vecpersist.api.CorruptedStateException;
import dev.vecpersist.api.Metric;
import dev.vecpersist.api.PersistenceException;
import dev.vecpersist.api.VectorEntry;
import dev.vecpersist.core.DatabasePersistence;
import dev.vecpersist.core.PersistenceOptions;
import dev.vecpersist.core.VectorDB;
import dev.vecpersist.core.io.ForwardingFileOps;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 14, case 5: a compressed SQLite state is decompressed to a scratch file before it is read;
 * a full disk there is a storage failure ({@link PersistenceException} with the OS message), never
 * "corrupt content". The scratch directory and its size bound are the user's to choose.
 */
class ScratchSpaceTest {

    @TempDir
    Path dir;

    private Path savedSqlite(String codec) {
        VectorDB db = new VectorDB(8, Metric.COSINE);
        for (int i = 0; i < 300; i++) {
            db.insert(new VectorEntry("e" + i, new float[] {i, 1, 2, 3, 4, 5, 6, 7}, Map.of("i", (long) i)));
        }
        Path file = dir.resolve("state.sqlite." + codec);
        try (DatabasePersistence p = new DatabasePersistence(db, PersistenceOptions.builder().baseDir(dir.resolve("w"))
                .format("sqlite").compression(codec).build())) {
            p.save(file);
        }
        return file;
    }

    @ParameterizedTest
    @ValueSource(strings = {"gzip", "lz4", "brotli"})
    void aFullDiskWhileDecompressingIsAStorageFailureNotCorruption(String codec) {
        Path file = savedSqlite(codec);
        VectorDB db = new VectorDB(8, Metric.COSINE);
        DiskFullAfter ops = new DiskFullAfter(4096);
        try (DatabasePersistence p = new DatabasePersistence(db, PersistenceOptions.builder().baseDir(dir.resolve("r"))
                .fileOps(ops).build())) {
            assertThatThrownBy(() -> p.load(file)).isExactlyInstanceOf(PersistenceException.class)
                    .isNotInstanceOf(CorruptedStateException.class)
                    .hasMessageContaining("No space left on device")
                    .hasMessageContaining("scratch");
            assertThat(db.size()).isZero();
            ops.bytesLeft.set(Long.MAX_VALUE);
            p.load(file);
            assertThat(db.size()).isEqualTo(300);
        }
        try (var left = Files.list(dir.resolve("r"))) {
            assertThat(left.filter(f -> f.getFileName().toString().contains("decompressed"))).isEmpty();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"gzip"})
    void theScratchDirectoryAndItsSizeAreTheUsersChoice(String codec) throws IOException {
        Path file = savedSqlite(codec);
        Path scratch = Files.createDirectories(dir.resolve("my-scratch"));
        Path notADirectory = Files.writeString(dir.resolve("plain-file"), "x");
        VectorDB db = new VectorDB(8, Metric.COSINE);
        try (DatabasePersistence p = new DatabasePersistence(db, PersistenceOptions.builder().baseDir(dir.resolve("r"))
                .scratchDir(notADirectory.resolve("sub")).build())) {
            assertThatThrownBy(() -> p.load(file)).isExactlyInstanceOf(PersistenceException.class)
                    .hasMessageContaining("scratch");
        }
        try (DatabasePersistence p = new DatabasePersistence(db, PersistenceOptions.builder().baseDir(dir.resolve("r"))
                .scratchDir(scratch).maxScratchBytes(1000).build())) {
            assertThatThrownBy(() -> p.load(file)).isExactlyInstanceOf(PersistenceException.class)
                    .hasMessageContaining("more than the 1000 bytes of scratch space");
        }
        try (DatabasePersistence p = new DatabasePersistence(db, PersistenceOptions.builder().baseDir(dir.resolve("r"))
                .scratchDir(scratch).build())) {
            p.load(file);
        }
        assertThat(db.size()).isEqualTo(300);
        try (var left = Files.list(scratch)) {
            assertThat(left).isEmpty();
        }
    }

    /** The real file system, except that writes through {@link #create} fail once a byte budget is spent. */
    static final class DiskFullAfter extends ForwardingFileOps {
        final AtomicLong bytesLeft;

        DiskFullAfter(long bytes) {
            bytesLeft = new AtomicLong(bytes);
        }

        @Override
        public WritableFile create(Path file) throws IOException {
            WritableFile real = SYSTEM.create(file);
            OutputStream limited = new FilterOutputStream(real.stream()) {
                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    if (bytesLeft.addAndGet(-len) < 0) {
                        throw new IOException("No space left on device");
                    }
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
    }
}
