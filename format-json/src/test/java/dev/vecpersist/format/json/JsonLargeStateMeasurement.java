package dev.vecpersist.format.json;

import dev.vecpersist.api.ContentChecksum;
import dev.vecpersist.api.Metric;
import dev.vecpersist.api.StateFormat;
import dev.vecpersist.api.StateHeader;
import dev.vecpersist.api.StateReader;
import dev.vecpersist.api.StateSource;
import dev.vecpersist.api.VectorEntry;
import dev.vecpersist.testkit.StateFiles;
import dev.vecpersist.testkit.TestStates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Times writing and reading a 100K x 384 state (metadata {index, category, timestamp}) to a local
 * file, the way the manager does: checksum computed while writing, recomputed while streaming the
 * read. Not part of the default run (slow; the class name matches no surefire pattern, and it needs
 * {@code -Dvecpersist.measure=true}):
 * {@code mvn -pl format-json surefire:test -Dtest=JsonLargeStateMeasurement -Dvecpersist.measure=true}.
 */
@EnabledIfSystemProperty(named = "vecpersist.measure", matches = "true")
class JsonLargeStateMeasurement {

    @TempDir
    Path dir;

    @Test
    void writeAndReadA100kBy384State() throws IOException {
        measure(new JsonStateFormat(), dir, Integer.getInteger("vecpersist.measure.count", 100_000));
    }

    static void measure(StateFormat format, Path dir, int count) throws IOException {
        List<VectorEntry> entries = TestStates.entries(count, 384, 1);
        StateHeader header = StateHeader.full(format.formatVersion(), 384, Metric.COSINE, count, Instant.now());
        for (int run = 1; run <= 5; run++) {
            Path f = dir.resolve("large-" + run + "." + format.fileExtension());
            long t0 = System.nanoTime();
            String written = StateFiles.write(format, f, header, entries, List.of());
            long t1 = System.nanoTime();
            String read = streamAndChecksum(format, f);
            long t2 = System.nanoTime();
            assertThat(read).isEqualTo(written);
            System.out.printf("%s run %d: %,d x 384: write %,d ms, read %,d ms, %,d bytes%n", format.name(), run, count,
                    (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000, Files.size(f));
            Files.delete(f);
        }
    }

    /** Reads every entry once, keeping none, and returns the recomputed checksum. */
    private static String streamAndChecksum(StateFormat format, Path f) throws IOException {
        try (InputStream in = format.needsFile() ? null : new BufferedInputStream(Files.newInputStream(f), 1 << 16);
             StateReader reader = format.newReader(in == null ? StateSource.ofFile(f, f.toString()) : StateSource.ofStream(in, f.toString()))) {
            ContentChecksum checksum = new ContentChecksum(reader.header());
            for (VectorEntry e = reader.nextEntry(); e != null; e = reader.nextEntry()) {
                checksum.addEntry(e);
            }
            assertThat(reader.storedChecksum()).isEqualTo(checksum.value());
            return checksum.value();
        }
    }
}
