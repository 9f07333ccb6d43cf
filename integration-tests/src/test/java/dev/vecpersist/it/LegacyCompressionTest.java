package dev.vecpersist.it;

import dev.vecpersist.api.Metric;
import dev.vecpersist.api.CorruptedStateException;
import dev.vecpersist.api.VectorEntry;
import dev.vecpersist.core.DatabasePersistence;
import dev.vecpersist.core.PersistenceOptions;
import dev.vecpersist.core.StateInspector;
import dev.vecpersist.core.VectorDB;
import dev.vecpersist.testkit.TestStates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Files compressed by the command-line tools in their less common modes (issue 23, item 5): an LZ4
 * legacy frame ({@code lz4 -l}) loads; a brotli large-window stream is refused with a message that
 * says how to recompress, not as an unrecognisable file. The fixtures are described in
 * {@code src/test/resources/README-fixtures.md}.
 */
class LegacyCompressionTest {

    @TempDir
    Path dir;

    private Path fixture(String name) throws IOException {
        Path file = dir.resolve(name.replace('/', '-'));
        try (InputStream in = getClass().getResourceAsStream("/" + name)) {
            Files.copy(in, file);
        }
        return file;
    }

    @Test
    void anLz4LegacyFrameFileLoads() throws IOException {
        Path file = fixture("lz4-legacy/state.json.lz4");
        assertThat(new StateInspector().encoding(file)).containsExactly("json", "lz4");
        VectorDB db = new VectorDB(4, Metric.COSINE);
        try (DatabasePersistence p = new DatabasePersistence(db, PersistenceOptions.builder().baseDir(dir.resolve("w")).build())) {
            p.load(file);
        }
        List<VectorEntry> loaded = new ArrayList<>();
        db.snapshot().forEach(loaded::add);
        assertThat(loaded).isEqualTo(TestStates.entries(10, 4, 1));
        assertThat(new StateInspector().verify(file).checksumState()).isEqualTo("VERIFIED");
    }

    @Test
    void aBrotliLargeWindowFileIsRefusedWithAPreciseMessage() throws IOException {
        Path file = fixture("brotli-large-window/state.json.br");
        VectorDB db = new VectorDB(4, Metric.COSINE);
        db.insertBatch(TestStates.entries(3, 4, 7));
        try (DatabasePersistence p = new DatabasePersistence(db, PersistenceOptions.builder().baseDir(dir.resolve("w")).build())) {
            // corrupt content by RFC 7932 (whose reserved bits it starts with), with the likely cause named
            assertThatThrownBy(() -> p.load(file)).isInstanceOf(CorruptedStateException.class)
                    .hasMessage(file + ": starts like a brotli large-window stream (brotli --large_window): brotli "
                            + "large-window format is not supported, recompress with brotli without --large_window; "
                            + "otherwise the file is damaged");
        }
        assertThat(db.size()).as("the database is unchanged").isEqualTo(3);
    }
}
