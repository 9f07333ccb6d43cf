package dev.vecpersist.testkit;

import dev.vecpersist.api.CorruptedStateException;
import dev.vecpersist.api.Metric;
import dev.vecpersist.api.StateFormat;
import dev.vecpersist.api.StateHeader;
import dev.vecpersist.api.VectorEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

    protected static byte[] head(Path f, int max) throws IOException {
        byte[] all = Files.readAllBytes(f);
        return Arrays.copyOf(all, Math.min(max, all.length));
    }
}
