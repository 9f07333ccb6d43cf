package dev.vecpersist.testkit;

import dev.vecpersist.api.ContentChecksum;
import dev.vecpersist.api.CorruptedStateException;
import dev.vecpersist.api.Metric;
import dev.vecpersist.api.StateFormat;
import dev.vecpersist.api.StateHeader;
import dev.vecpersist.api.StateReader;
import dev.vecpersist.api.StateSink;
import dev.vecpersist.api.StateSource;
import dev.vecpersist.api.StateWriter;
import dev.vecpersist.api.VectorEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.ServiceLoader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * The behaviour every {@link StateFormat} must have. Extend it in the format's tests and return the
 * format under test; every test here then runs against it (Lucene's BaseIndexFileFormatTestCase idea).
 */
public abstract class StateFormatContract {

    @TempDir
    protected Path dir;

    /** The format under test. */
    protected abstract StateFormat format();

    protected StateHeader fullHeader(int dimension, Metric metric, long count) {
        return StateHeader.full(format().formatVersion(), dimension, metric, count, Instant.ofEpochMilli(1_700_000_000_123L));
    }

    protected Path file(String name) {
        return dir.resolve(name + "." + format().fileExtension());
    }

    protected StateFiles.ReadState roundTrip(String name, StateHeader header, List<VectorEntry> entries,
                                             List<String> deletions) throws IOException {
        Path f = file(name);
        String written = StateFiles.write(format(), f, header, entries, deletions);
        StateFiles.ReadState back = StateFiles.read(format(), f);
        assertThat(back.checksum()).isEqualTo(written);
        assertThat(back.header()).isEqualTo(header);
        assertThat(back.entries()).containsExactlyElementsOf(entries);
        assertThat(back.deletions()).containsExactlyElementsOf(deletions);
        return back;
    }

    @Test
    void isDiscoverableByServiceLoader() {
        assertThat(ServiceLoader.load(StateFormat.class).stream().map(p -> p.get().name()))
                .contains(format().name());
        assertThat(format().name()).matches("[a-z0-9][a-z0-9._-]*");
    }

    @Test
    void roundTripsAnEmptyState() throws IOException {
        roundTrip("empty", fullHeader(8, Metric.COSINE, 0), List.of(), List.of());
    }

    @Test
    void roundTripsOneEntry() throws IOException {
        List<VectorEntry> one = List.of(new VectorEntry("only", new float[] {1.5f, -2.25f, 0f}, Map.of("k", "v")));
        roundTrip("one", fullHeader(3, Metric.EUCLIDEAN, 1), one, List.of());
    }

    @Test
    void roundTripsManyEntriesWithMixedMetadata() throws IOException {
        List<VectorEntry> entries = TestStates.mixedMetadataEntries(1500, 64, 42);
        roundTrip("mixed", fullHeader(64, Metric.DOT, entries.size()), entries, List.of());
    }

    @Test
    void roundTripsUnicodeIds() throws IOException {
        List<VectorEntry> entries = TestStates.unicodeIdEntries(5);
        roundTrip("unicode", fullHeader(5, Metric.COSINE, entries.size()), entries, List.of());
    }

    @Test
    void roundTripsExtremeFloatsBitForBit() throws IOException {
        List<VectorEntry> entries = TestStates.extremeFloatEntries();
        StateFiles.ReadState back = roundTrip("extreme", fullHeader(4, Metric.EUCLIDEAN, entries.size()), entries, List.of());
        for (int i = 0; i < entries.size(); i++) {
            float[] expected = entries.get(i).vector();
            float[] actual = back.entries().get(i).vector();
            for (int d = 0; d < expected.length; d++) {
                assertThat(Float.floatToRawIntBits(actual[d])).as("entry %d component %d", i, d)
                        .isEqualTo(Float.floatToRawIntBits(expected[d]));
            }
        }
    }

    @Test
    void roundTripsHeaderUserMetadataAndIndexState() throws IOException {
        StateHeader header = new StateHeader(format().formatVersion(), StateHeader.Kind.FULL, 2, Metric.DOT, 1, 0,
                Instant.ofEpochMilli(1_234_567_890_123L), Map.of("owner", "tests", "n", 3L, "nested", Map.of("a", List.of(true))),
                new byte[] {0, 1, 2, (byte) 0xff, 127});
        roundTrip("header", header, List.of(new VectorEntry("a", new float[] {1, 2})), List.of());
    }

    @Test
    void roundTripsADeltaWithDeletions() throws IOException {
        List<VectorEntry> upserts = TestStates.entries(10, 6, 3);
        List<String> deletions = List.of("gone-1", "gone-2", "日本");
        StateHeader header = new StateHeader(format().formatVersion(), StateHeader.Kind.DELTA, 6, Metric.COSINE,
                upserts.size(), deletions.size(), Instant.ofEpochMilli(99), Map.of(), null);
        roundTrip("delta", header, upserts, deletions);
    }

    @Test
    void recognizesItsOwnOutputAndNotOthers() throws IOException {
        Path f = file("own");
        StateFiles.write(format(), f, fullHeader(4, Metric.COSINE, 2), TestStates.entries(2, 4, 1), List.of());
        byte[] head = head(f, 64);
        assertThat(format().recognizes(head, head.length)).as("own output").isTrue();

        byte[] gzip = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, 3};
        byte[] lz4 = {0x04, 0x22, 0x4d, 0x18, 0x64, 0x40, (byte) 0xa7};
        byte[] random = new byte[64];
        new Random(1).nextBytes(random);
        byte[] text = "hello, this is not a state file".getBytes(StandardCharsets.US_ASCII);
        for (byte[] other : List.of(gzip, lz4, random, text, new byte[0])) {
            assertThat(format().recognizes(other, other.length)).as("recognizes %s", Arrays.toString(other)).isFalse();
        }
    }

    @Test
    void truncatedFilesAreReportedAsCorrupt() throws IOException {
        Path f = file("whole");
        List<VectorEntry> entries = TestStates.mixedMetadataEntries(40, 8, 5);
        StateFiles.write(format(), f, fullHeader(8, Metric.COSINE, entries.size()), entries, List.of());
        byte[] bytes = Files.readAllBytes(f);
        Random random = new Random(11);
        List<Integer> lengths = new ArrayList<>(List.of(0, 1, bytes.length / 2, bytes.length - 1));
        for (int i = 0; i < 20; i++) {
            lengths.add(random.nextInt(bytes.length));
        }
        for (int length : lengths) {
            Path cut = dir.resolve("cut-" + length + "." + format().fileExtension());
            Files.write(cut, Arrays.copyOf(bytes, length));
            assertThatThrownBy(() -> StateFiles.read(format(), cut)).as("truncated to %d of %d bytes", length, bytes.length)
                    .isInstanceOf(CorruptedStateException.class);
        }
    }

    @Test
    void changedBytesLoadIdenticallyOrAreReportedAsCorrupt() throws IOException {
        Path f = file("original");
        List<VectorEntry> entries = TestStates.mixedMetadataEntries(20, 8, 9);
        StateHeader header = fullHeader(8, Metric.COSINE, entries.size());
        StateFiles.write(format(), f, header, entries, List.of());
        byte[] bytes = Files.readAllBytes(f);
        Random random = new Random(13);
        for (int trial = 0; trial < 60; trial++) {
            int offset = random.nextInt(bytes.length);
            byte[] changed = bytes.clone();
            changed[offset] ^= (byte) (1 + random.nextInt(255));
            Path bad = dir.resolve("flip-" + trial + "." + format().fileExtension());
            Files.write(bad, changed);
            try {
                StateFiles.ReadState back = StateFiles.read(format(), bad);
                assertThat(back.entries()).as("byte %d changed, load succeeded", offset).containsExactlyElementsOf(entries);
                assertThat(back.header()).isEqualTo(header);
            } catch (CorruptedStateException expected) {
                assertThat(expected.getMessage()).isNotBlank();
            } catch (Exception other) {
                fail("byte " + offset + " changed: expected CorruptedStateException, got " + other, other);
            }
        }
    }

    @Test
    void garbageIsReportedAsCorrupt() throws IOException {
        byte[] random = new byte[4096];
        new Random(17).nextBytes(random);
        Path f = dir.resolve("garbage." + format().fileExtension());
        Files.write(f, random);
        assertThatThrownBy(() -> StateFiles.read(format(), f)).isInstanceOf(CorruptedStateException.class)
                .hasMessageContaining(f.toString());
    }

    @Test
    void aWriterFlushesTheWholeStateByFinishAndNeverClosesTheStream() throws IOException {
        assumeStreamFormat();
        List<VectorEntry> entries = TestStates.mixedMetadataEntries(1500, 16, 23);
        StateHeader header = fullHeader(16, Metric.COSINE, entries.size());
        ContentChecksum checksum = new ContentChecksum(header);
        ClosingRecorder.Output out = new ClosingRecorder.Output();
        byte[] finished;
        try (StateWriter writer = format().newWriter(new StateSink.ToStream(out, "recorded"), header)) {
            for (VectorEntry e : entries) {
                checksum.addEntry(e);
                writer.writeEntry(e);
            }
            writer.finish(checksum.value());
            finished = out.bytes();
            assertThat(out.closed()).as("closed by finish()").isFalse();
        }
        assertThat(out.closed()).as("closed by the writer's close()").isFalse();
        assertThat(out.bytes()).as("the output is complete once finish() returns").isEqualTo(finished);
        StateFiles.ReadState back = StateFiles.read(format(), new ByteArrayInputStream(finished), file("recorded"));
        assertThat(back.entries()).containsExactlyElementsOf(entries);
        assertThat(back.checksum()).isEqualTo(checksum.value());
    }

    @Test
    void anAbandonedWriterLeavesTheStreamOpen() throws IOException {
        assumeStreamFormat();
        ClosingRecorder.Output out = new ClosingRecorder.Output();
        try (StateWriter writer = format().newWriter(new StateSink.ToStream(out, "abandoned"), fullHeader(4, Metric.COSINE, 2))) {
            writer.writeEntry(TestStates.entries(1, 4, 3).get(0));
        }
        assertThat(out.closed()).isFalse();
    }

    @Test
    void aReaderNeverClosesTheStream() throws IOException {
        assumeStreamFormat();
        List<VectorEntry> entries = TestStates.mixedMetadataEntries(300, 8, 29);
        byte[] content = written(fullHeader(8, Metric.DOT, entries.size()), entries);

        ClosingRecorder.Input whole = new ClosingRecorder.Input(content);
        assertThat(StateFiles.read(format(), whole, file("whole")).entries()).containsExactlyElementsOf(entries);
        assertThat(whole.closed()).as("closed after a whole read").isFalse();

        ClosingRecorder.Input early = new ClosingRecorder.Input(content);
        try (StateReader reader = format().newReader(new StateSource.FromStream(early, "early"))) {
            assertThat(reader.nextEntry()).isEqualTo(entries.get(0));
        }
        assertThat(early.closed()).as("closed by a reader closed half-way").isFalse();
    }

    @Test
    void aReaderThatFailsLeavesTheStreamOpen() throws IOException {
        assumeStreamFormat();
        List<VectorEntry> entries = TestStates.mixedMetadataEntries(300, 8, 31);
        byte[] content = written(fullHeader(8, Metric.COSINE, entries.size()), entries);

        ClosingRecorder.Input truncated = new ClosingRecorder.Input(Arrays.copyOf(content, content.length / 2));
        assertThatThrownBy(() -> StateFiles.read(format(), truncated, file("truncated")))
                .isInstanceOf(CorruptedStateException.class);
        assertThat(truncated.closed()).as("closed on a truncated body").isFalse();

        ClosingRecorder.Input headless = new ClosingRecorder.Input(Arrays.copyOf(content, 3));
        assertThatThrownBy(() -> format().newReader(new StateSource.FromStream(headless, "headless")))
                .isInstanceOf(CorruptedStateException.class);
        assertThat(headless.closed()).as("closed on a truncated header").isFalse();
    }

    /** The recorded-stream tests are about streams; a file format gets no stream to close. */
    private void assumeStreamFormat() {
        assumeFalse(format().needsFile(), "the format reads and writes files, not streams");
    }

    private byte[] written(StateHeader header, List<VectorEntry> entries) throws IOException {
        Path f = file("written-" + entries.size());
        StateFiles.write(format(), f, header, entries, List.of());
        return Files.readAllBytes(f);
    }

    protected static byte[] head(Path f, int max) throws IOException {
        byte[] all = Files.readAllBytes(f);
        return Arrays.copyOf(all, Math.min(max, all.length));
    }
}
