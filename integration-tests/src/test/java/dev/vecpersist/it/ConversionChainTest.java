package dev.vecpersist.it;

import dev.vecpersist.api.Metric;
import dev.vecpersist.api.StateHeader;
import dev.vecpersist.api.VectorEntry;
import dev.vecpersist.core.DatabasePersistence;
import dev.vecpersist.core.ExportOptions;
import dev.vecpersist.core.ImportOptions;
import dev.vecpersist.core.PersistenceOptions;
import dev.vecpersist.core.StateInspector;
import dev.vecpersist.core.VectorDB;
import dev.vecpersist.testkit.TestStates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static dev.vecpersist.it.AllFormatsAndCodecsTest.contents;
import static org.assertj.core.api.Assertions.assertThat;

/** JSON -> MessagePack -> SQLite -> JSON keeps header, entries, vectors (bit for bit) and metadata types. */
class ConversionChainTest {

    @TempDir
    Path dir;

    @Test
    void conversionKeepsEverything() {
        List<VectorEntry> entries = new java.util.ArrayList<>(TestStates.mixedMetadataEntries(200, 16, 7));
        entries.addAll(TestStates.extremeFloatEntriesPadded(16));
        entries.addAll(TestStates.unicodeIdEntries(16));
        VectorDB original = new VectorDB(16, Metric.EUCLIDEAN);
        original.insertBatch(entries);

        VectorDB current = original;
        Path previous = null;
        String[][] chain = {{"json", "none"}, {"msgpack", "lz4"}, {"sqlite", "gzip"}, {"json", "brotli"}};
        int step = 0;
        for (String[] hop : chain) {
            VectorDB next = new VectorDB(16, Metric.EUCLIDEAN);
            if (previous != null) {
                try (DatabasePersistence p = new DatabasePersistence(next, options("import-" + step))) {
                    p.importFrom(ImportOptions.from(previous).build());
                }
                assertThat(contents(next)).containsExactlyElementsOf(contents(original));
            } else {
                next = current;
            }
            Path out = dir.resolve("hop-" + step++ + "." + hop[0]);
            try (DatabasePersistence p = new DatabasePersistence(next, options("export-" + step))) {
                p.export(ExportOptions.to(out).format(hop[0]).compression(hop[1]).build());
            }
            StateHeader header = new StateInspector().inspect(out, 0).header();
            assertThat(header.dimension()).isEqualTo(16);
            assertThat(header.metric()).isEqualTo(Metric.EUCLIDEAN);
            assertThat(header.entryCount()).isEqualTo(entries.size());
            previous = out;
            current = next;
        }
        VectorDB last = new VectorDB(16, Metric.EUCLIDEAN);
        try (DatabasePersistence p = new DatabasePersistence(last, options("last"))) {
            p.importFrom(ImportOptions.from(previous).build());
        }
        List<VectorEntry> back = contents(last);
        // equals() compares metadata values with their types: Long 1 is not Double 1.0
        assertThat(back).containsExactlyElementsOf(contents(original));
        for (int i = 0; i < back.size(); i++) {
            float[] a = back.get(i).vector();
            float[] b = contents(original).get(i).vector();
            for (int d = 0; d < a.length; d++) {
                assertThat(Float.floatToRawIntBits(a[d])).isEqualTo(Float.floatToRawIntBits(b[d]));
            }
        }
    }

    private PersistenceOptions options(String name) {
        return PersistenceOptions.builder().baseDir(dir.resolve(name)).build();
    }
}
