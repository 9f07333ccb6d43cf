package dev.vecpersist.format.json;

import dev.vecpersist.api.CorruptedStateException;
import dev.vecpersist.api.Metric;
import dev.vecpersist.api.StateHeader;
import dev.vecpersist.api.StateSink;
import dev.vecpersist.api.StateWriter;
import dev.vecpersist.api.VectorEntry;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** How the writer treats its sink and refuses what could not load. */
class JsonStateWriterTest {

    private static final StateHeader FULL = StateHeader.full(2, 3, Metric.COSINE, 1, Instant.ofEpochMilli(1));
    private static final StateHeader DELTA = new StateHeader(2, StateHeader.Kind.DELTA, 3, Metric.COSINE, 1, 1,
            Instant.ofEpochMilli(1), Map.of(), null);
    private static final VectorEntry ENTRY = new VectorEntry("a", new float[] {1, 2, 3});

    /** Records whether it was closed or flushed. */
    private static final class Sink extends ByteArrayOutputStream {
        boolean closed;
        int flushes;

        @Override
        public void close() {
            closed = true;
        }

        @Override
        public void flush() {
            flushes++;
        }
    }

    private static StateWriter writer(OutputStream out, StateHeader header) throws IOException {
        return new JsonStateFormat().newWriter(StateSink.ofStream(out, "sink"), header);
    }

    @Test
    void finishFlushesToTheSinkAndCloseLeavesItOpen() throws IOException {
        Sink sink = new Sink();
        try (StateWriter w = writer(sink, FULL)) {
            w.writeEntry(ENTRY);
            assertThat(sink.size()).as("buffered until finish").isZero();
            w.finish("crc32c:12345678");
            assertThat(sink.toString()).endsWith("\"checksum\":\"crc32c:12345678\"}");
            assertThat(sink.flushes).isPositive();
        }
        assertThat(sink.closed).isFalse();
        assertThat(RawRead.of(sink.toByteArray()).entries()).containsExactly(ENTRY);
    }

    @Test
    void entriesEncodedInParallelChunksComeOutInOrderAndCommaSeparated() throws IOException {
        int n = 3 * ParallelEntryEncoder.CHUNK_ENTRIES + 17;
        List<VectorEntry> written = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            written.add(new VectorEntry("e" + i, new float[] {i, -0.0f, Float.MIN_VALUE * i},
                    i % 2 == 0 ? Map.of() : Map.of("i", (long) i, "s", "x\"" + i)));
        }
        Sink sink = new Sink();
        try (StateWriter w = writer(sink, StateHeader.full(2, 3, Metric.COSINE, n, Instant.ofEpochMilli(1)))) {
            for (VectorEntry e : written) {
                w.writeEntry(e);
            }
            w.finish("crc32c:12345678");
        }
        String text = sink.toString();
        assertThat(text).doesNotContain(",,").doesNotContain("[,").doesNotContain(",]")
                .contains("\"vectors\":[{\"id\":\"e0\"");
        assertThat(RawRead.of(sink.toByteArray()).entries()).containsExactlyElementsOf(written);
    }

    @Test
    void anAbandonedStateDoesNotLookComplete() throws IOException {
        Sink sink = new Sink();
        try (StateWriter w = writer(sink, FULL)) {
            w.writeEntry(ENTRY);
        }
        assertThat(sink.closed).isFalse();
        // entries may still be with the encoder's threads, but nothing closes the arrays
        assertThat(sink.toString()).doesNotContain("checksum").doesNotEndWith("]}").doesNotEndWith("}}");
        assertThatThrownBy(() -> RawRead.of(sink.toByteArray())).isInstanceOf(CorruptedStateException.class)
                .hasMessageContaining("truncated");
    }

    @Test
    void refusesVectorsThatCouldNotLoad() throws IOException {
        try (StateWriter w = writer(new Sink(), FULL)) {
            assertThatThrownBy(() -> w.writeEntry(new VectorEntry("short", new float[] {1, 2})))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'short' has 2 components");
            assertThatThrownBy(() -> w.writeEntry(new VectorEntry("nan", new float[] {1, Float.NaN, 3})))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("non-finite component NaN at index 1");
            assertThatThrownBy(() -> w.writeEntry(new VectorEntry("inf", new float[] {1, 2, Float.NEGATIVE_INFINITY})))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("index 2");
        }
    }

    @Test
    void refusesEveryNonFiniteComponentAndAcceptsTheLargestFiniteOnes() throws IOException {
        float[] nonFinite = {Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN,
                Float.intBitsToFloat(0x7f80_0001), Float.intBitsToFloat(0xffc0_0000), Float.intBitsToFloat(0x7fff_ffff)};
        try (StateWriter w = writer(new Sink(), FULL)) {
            for (int i = 0; i < nonFinite.length; i++) {
                float[] v = {1, 2, 3};
                v[i % 3] = nonFinite[i];
                int index = i % 3;
                assertThatThrownBy(() -> w.writeEntry(new VectorEntry("bad", v)))
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("non-finite component")
                        .hasMessageContaining("at index " + index);
            }
            w.writeEntry(new VectorEntry("edges", new float[] {Float.MAX_VALUE, -Float.MAX_VALUE, Float.MIN_VALUE}));
        }
    }

    @Test
    void refusesMetadataOutsideTheValueModel() throws IOException {
        // entries are encoded on the encoder's threads: the refusal comes by finish() at the latest
        try (StateWriter w = writer(new Sink(), FULL)) {
            assertThatThrownBy(() -> {
                w.writeEntry(new VectorEntry("a", new float[] {1, 2, 3}, Map.of("when", Instant.EPOCH)));
                w.finish("crc32c:00000000");
            }).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'when'").hasMessageContaining("java.time.Instant");
        }
        try (StateWriter w = writer(new Sink(), FULL)) {
            assertThatThrownBy(() -> {
                w.writeEntry(new VectorEntry("a", new float[] {1, 2, 3}, Map.of("x", Map.of("y", Double.NaN))));
                w.finish("crc32c:00000000");
            }).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'x.y'");
        }
    }

    @Test
    void enforcesTheOrderOfEntriesDeletionsAndFinish() throws IOException {
        try (StateWriter w = writer(new Sink(), FULL)) {
            assertThatThrownBy(() -> w.writeDeletion("x")).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("only a delta");
        }
        try (StateWriter w = writer(new Sink(), DELTA)) {
            w.writeDeletion("x");
            assertThatThrownBy(() -> w.writeEntry(ENTRY)).isInstanceOf(IllegalStateException.class);
            w.finish("crc32c:00000000");
            assertThatThrownBy(() -> w.finish("crc32c:00000000")).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> w.writeDeletion("y")).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void aFileSinkIsRefused() {
        assertThatThrownBy(() -> new JsonStateFormat().newWriter(StateSink.ofFile(Path.of("x.json")), FULL))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("stream");
    }

    @Test
    void writesTheMetricInLowerCase() throws IOException {
        for (Metric metric : Metric.values()) {
            Sink sink = new Sink();
            try (StateWriter w = writer(sink, StateHeader.full(2, 1, metric, 0, Instant.EPOCH))) {
                w.finish("crc32c:00000000");
            }
            assertThat(sink.toString()).contains("\"metric\":\"" + metric.name().toLowerCase(java.util.Locale.ROOT) + "\"");
            assertThat(RawRead.of(sink.toByteArray()).header().metric()).isEqualTo(metric);
        }
        assertThat(List.of(Metric.values())).hasSize(3);
    }
}
