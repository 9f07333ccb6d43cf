package dev.vecpersist.format.msgpack;

import dev.vecpersist.api.CorruptedStateException;
import dev.vecpersist.api.MetadataValues;
import dev.vecpersist.api.Metric;
import dev.vecpersist.api.StateHeader;
import dev.vecpersist.api.StateSink;
import dev.vecpersist.api.StateWriter;
import dev.vecpersist.api.VectorEntry;
import dev.vecpersist.testkit.StateFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The writer's contract: stream ownership, ordering, counts, and refusing what could not load back. */
class MsgpackStateWriterTest {

    private final MsgpackStateFormat format = new MsgpackStateFormat();

    @TempDir
    Path dir;

    private static StateHeader full(int dimension, long count) {
        return StateHeader.full(1, dimension, Metric.COSINE, count, Instant.EPOCH);
    }

    private static StateHeader delta(long entries, long deletions) {
        return new StateHeader(1, StateHeader.Kind.DELTA, 2, Metric.COSINE, entries, deletions, Instant.EPOCH, Map.of(), null);
    }

    private StateWriter writer(OutputStream out, StateHeader header) throws IOException {
        return format.newWriter(StateSink.ofStream(out, "test"), header);
    }

    @Test
    void finishFlushesButNeverClosesTheSink() throws IOException {
        boolean[] closed = {false};
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        OutputStream sink = new FilterOutputStream(bytes) {
            @Override
            public void close() {
                closed[0] = true;
            }
        };
        try (StateWriter w = writer(sink, full(2, 1))) {
            w.writeEntry(new VectorEntry("a", new float[] {1, 2}));
            w.finish("crc32c:00000000");
            assertThat(bytes.size()).isGreaterThan(MsgpackLayout.MAGIC.length);
        }
        assertThat(closed[0]).isFalse();
    }

    @Test
    void anAbandonedWriterLeavesNoCompleteState() throws IOException {
        Path f = dir.resolve("abandoned.msgpack");
        try (OutputStream out = Files.newOutputStream(f); StateWriter w = writer(out, full(2, 2))) {
            w.writeEntry(new VectorEntry("a", new float[] {1, 2}));
            // closed without finish()
        }
        assertThatThrownBy(() -> StateFiles.read(format, f)).isInstanceOf(CorruptedStateException.class);
    }

    @Test
    void countsMustMatchTheHeader() throws IOException {
        try (StateWriter w = writer(new ByteArrayOutputStream(), full(2, 1))) {
            assertThatThrownBy(() -> w.finish("x")).isInstanceOf(IllegalStateException.class).hasMessageContaining("1 entries, 0 were written");
            w.writeEntry(new VectorEntry("a", new float[] {1, 2}));
            assertThatThrownBy(() -> w.writeEntry(new VectorEntry("b", new float[] {1, 2})))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("one more");
            w.finish("x");
            assertThatThrownBy(() -> w.finish("x")).isInstanceOf(IllegalStateException.class);
        }
        try (StateWriter w = writer(new ByteArrayOutputStream(), delta(1, 1))) {
            assertThatThrownBy(() -> w.writeDeletion("d")).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("1 entries, 0 were written");
            w.writeEntry(new VectorEntry("a", new float[] {1, 2}));
            assertThatThrownBy(() -> w.finish("x")).isInstanceOf(IllegalStateException.class).hasMessageContaining("1 deletions, 0");
            w.writeDeletion("d");
            assertThatThrownBy(() -> w.writeDeletion("e")).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> w.writeEntry(new VectorEntry("b", new float[] {1, 2}))).isInstanceOf(IllegalStateException.class);
            w.finish("x");
        }
        try (StateWriter w = writer(new ByteArrayOutputStream(), full(2, 0))) {
            assertThatThrownBy(() -> w.writeDeletion("d")).isInstanceOf(IllegalStateException.class).hasMessageContaining("delta");
        }
    }

    @Test
    void refusesVectorsThatCouldNotLoad() throws IOException {
        try (StateWriter w = writer(new ByteArrayOutputStream(), full(2, 3))) {
            assertThatThrownBy(() -> w.writeEntry(new VectorEntry("short", new float[] {1})))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 components, the header says 2");
            assertThatThrownBy(() -> w.writeEntry(new VectorEntry("nan", new float[] {1, Float.NaN})))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("non-finite component NaN at index 1");
            assertThatThrownBy(() -> w.writeEntry(new VectorEntry("inf", new float[] {Float.NEGATIVE_INFINITY, 1})))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-Infinity");
        }
    }

    @Test
    void refusesIdsAndMetadataBeyondTheReadersLimits() throws IOException {
        try (StateWriter w = writer(new ByteArrayOutputStream(), full(1, 1))) {
            assertThatThrownBy(() -> w.writeEntry(new VectorEntry("x".repeat(MsgpackLayout.MAX_ID_BYTES + 1), new float[] {1})))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("65537 bytes of UTF-8, more than the limit of 65536");
            // 3 bytes of UTF-8 per char: within the limit in chars, beyond it in bytes
            assertThatThrownBy(() -> w.writeEntry(new VectorEntry("日".repeat(30_000), new float[] {1})))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("90000 bytes");
            assertThatThrownBy(() -> w.writeEntry(new VectorEntry("lone-\uD800", new float[] {1})))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unpaired surrogate U+D800 at index 5");
        }
        Object tooDeep = "leaf";
        for (int i = 0; i < MetadataValues.MAX_DEPTH; i++) {
            tooDeep = Map.of("k", tooDeep);
        }
        Object[] bad = {tooDeep, Double.NaN, Float.POSITIVE_INFINITY, new byte[1], 'c', Map.of(1, "non-string key"),
                "lone \uDFFF", List.of(new Object())};
        for (Object value : bad) {
            try (StateWriter w = writer(new ByteArrayOutputStream(), full(1, 1))) {
                assertThatThrownBy(() -> w.writeEntry(new VectorEntry("e", new float[] {1}, Map.of("v", value))))
                        .as("value %s", value).isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("entry 'e': ");
                assertThatThrownBy(() -> w.finish("x")).as("after a failed entry").isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("abandon");
            }
        }
        // the header refuses it when built (StateHeader checks the value model), so no writer ever sees it
        assertThatThrownBy(() -> writer(new ByteArrayOutputStream(), new StateHeader(1, StateHeader.Kind.FULL, 1, Metric.DOT,
                0, 0, Instant.EPOCH, Map.of("bad", Double.NaN), null)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'bad'");
        assertThatThrownBy(() -> writer(new ByteArrayOutputStream(), full(MsgpackLayout.MAX_DIMENSION + 1, 0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dimension");
    }

    @Test
    void refusesAFileSink() {
        assertThatThrownBy(() -> format.newWriter(StateSink.ofFile(dir.resolve("f")), full(1, 0)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void deletionIdsAreCheckedLikeEntryIds() throws IOException {
        try (StateWriter w = writer(new ByteArrayOutputStream(), delta(0, 1))) {
            assertThatThrownBy(() -> w.writeDeletion("lone \uDBFF"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("deleted id").hasMessageContaining("unpaired");
        }
    }
}
