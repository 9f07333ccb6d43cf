package dev.vecpersist.core;

import dev.vecpersist.api.Metric;
import dev.vecpersist.core.crypto.Envelope;
import dev.vecpersist.core.io.ForwardingFileOps;
import dev.vecpersist.testkit.TestStates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Looking at a state file's head (its format and codec, its encryption key id) reads about the head,
 * not the 1 MiB a whole-file read buffers at once: a load looks twice before it reads the file.
 */
class StateFileHeadTest {

    @TempDir
    Path dir;

    @Test
    void detectingTheFormatAndReadingTheKeyIdReadOnlyTheHead() throws IOException {
        VectorDB db = new VectorDB(64, Metric.COSINE);
        db.insertBatch(TestStates.entries(3000, 64, 1));
        Path file;
        try (DatabasePersistence p = new DatabasePersistence(db, PersistenceOptions.builder().baseDir(dir).format("json").build())) {
            file = p.save(dir.resolve("state.json"));
        }
        assertThat(Files.size(file)).as("larger than a whole-file read's buffer").isGreaterThan(2L << 20);
        CountingFileOps ops = new CountingFileOps();
        StateFileReader reader = new StateFileReader(Plugins.discover(), ops);

        assertThat(reader.detect(file).format().name()).isEqualTo("json");
        assertThat(ops.read.get()).isPositive().isLessThanOrEqualTo(ContentDetector.HEAD_BYTES);

        ops.read.set(0);
        assertThat(reader.keyIdOf(file)).isNull();
        assertThat(ops.read.get()).isPositive().isLessThanOrEqualTo(Envelope.MAX_LENGTH);
    }

    /** The real file system, counting the bytes read from the files it opens. */
    private static final class CountingFileOps extends ForwardingFileOps {
        final AtomicLong read = new AtomicLong();

        @Override
        public InputStream open(Path file) throws IOException {
            return new FilterInputStream(SYSTEM.open(file)) {
                @Override
                public int read() throws IOException {
                    int b = super.read();
                    if (b >= 0) {
                        read.incrementAndGet();
                    }
                    return b;
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    int n = super.read(b, off, len);
                    if (n > 0) {
                        read.addAndGet(n);
                    }
                    return n;
                }
            };
        }

    }
}
