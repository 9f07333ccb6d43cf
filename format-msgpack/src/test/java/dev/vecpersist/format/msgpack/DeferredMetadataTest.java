package dev.vecpersist.format.msgpack;

import dev.vecpersist.api.CorruptedStateException;
import dev.vecpersist.api.DeferredMetadata;
import dev.vecpersist.api.Metric;
import dev.vecpersist.api.PersistenceException;
import dev.vecpersist.api.StateHeader;
import dev.vecpersist.api.StateReader;
import dev.vecpersist.api.StateSource;
import dev.vecpersist.api.VectorEntry;
import dev.vecpersist.testkit.StateFiles;
import dev.vecpersist.testkit.TestStates;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Deferred metadata ({@link StateReader#deferMetadata()}): the entries' metadata, decoded later in
 * file order (as the library's second thread does), gives exactly what the reader's own decoding
 * gives: the same entries, and for damaged content the same first error, with the same message,
 * entry and byte offset; whatever the stream hands over per read.
 */
class DeferredMetadataTest {

    private final MsgpackStateFormat format = new MsgpackStateFormat();

    @TempDir
    Path dir;

    private byte[] original;
    private List<VectorEntry> entries;
    /** The same with one map too long to frame ({@link MetadataExtent#MAX_BYTES}) between the others. */
    private byte[] withALargeMap;
    private List<VectorEntry> entriesWithALargeMap;

    @BeforeEach
    void writeOriginal() throws IOException {
        entries = new ArrayList<>(TestStates.mixedMetadataEntries(4, 4, 7));
        entries.add(new VectorEntry("plain", new float[] {5, 6, 7, 8}, Map.of()));
        original = write("original", entries);
        entriesWithALargeMap = new ArrayList<>(entries);
        Map<String, Object> large = new LinkedHashMap<>();
        large.put("text", "x".repeat(MetadataExtent.MAX_BYTES + 10));
        entriesWithALargeMap.add(2, new VectorEntry("large", new float[] {1, 2, 3, 4}, large));
        withALargeMap = write("large", entriesWithALargeMap);
    }

    private byte[] write(String name, List<VectorEntry> content) throws IOException {
        StateHeader header = new StateHeader(MsgpackStateFormat.VERSION, StateHeader.Kind.DELTA, 4, Metric.DOT,
                content.size(), 1, Instant.ofEpochMilli(1_700_000_000_000L), Map.of(), null);
        Path f = dir.resolve(name + ".msgpack");
        StateFiles.write(format, f, header, content, List.of("gone"));
        return Files.readAllBytes(f);
    }

    /** What a load sees: the entries read and decoded, then the first problem in file order, or "ok". */
    private String outcome(byte[] content, boolean defer, int piece) throws IOException {
        List<VectorEntry> read = new ArrayList<>();
        String failure = null;
        try (StateReader reader = format.newReader(StateSource.ofStream(new Trickle(content, piece), "damaged"))) {
            if (defer) {
                assertThat(reader.deferMetadata()).isTrue();
            }
            try {
                for (VectorEntry e = reader.nextEntry(); e != null; e = reader.nextEntry()) {
                    read.add(e);
                }
                while (reader.nextDeletion() != null) {
                    // read through
                }
                reader.storedChecksum();
            } catch (CorruptedStateException e) {
                failure = e.getMessage();
            }
        } catch (PersistenceException e) {
            return "header: " + e;
        }
        StringBuilder seen = new StringBuilder();
        for (VectorEntry e : read) {
            Map<String, Object> metadata = e.metadata();
            if (metadata instanceof DeferredMetadata deferred) {
                try {
                    metadata = deferred.decode(); // an earlier entry's problem comes first
                } catch (CorruptedStateException problem) {
                    return seen + " | " + problem.getMessage();
                }
            }
            seen.append(new VectorEntry(e.id(), e.vector(), Map.copyOf(withoutNulls(metadata)))).append(';');
        }
        return seen + " | " + (failure == null ? "ok" : failure);
    }

    private static Map<String, Object> withoutNulls(Map<String, Object> m) {
        Map<String, Object> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(k, v == null ? "<nil>" : v));
        return out;
    }

    @Test
    void anUndamagedFileReadsTheSameAndItsMetadataIsDeferredUnlessTooLongToFrame() throws IOException {
        try (StateReader reader = format.newReader(StateSource.ofStream(new ByteArrayInputStream(withALargeMap), "f"))) {
            reader.deferMetadata();
            List<VectorEntry> read = new ArrayList<>();
            for (VectorEntry e = reader.nextEntry(); e != null; e = reader.nextEntry()) {
                read.add(e);
            }
            assertThat(read).containsExactlyElementsOf(entriesWithALargeMap);
            assertThat(read.get(0).metadata()).isInstanceOf(DeferredMetadata.class);
            assertThat(read.get(2).metadata()).as("too long to frame").isNotInstanceOf(DeferredMetadata.class);
            assertThat(read.get(3).metadata()).isInstanceOf(DeferredMetadata.class);
            assertThat(reader.nextDeletion()).isEqualTo("gone");
            assertThat(reader.storedChecksum()).isNotNull();
        }
        assertThat(outcome(original, true, Integer.MAX_VALUE)).isEqualTo(outcome(original, false, Integer.MAX_VALUE))
                .endsWith(" | ok");
    }

    @Test
    void aMapTooLongToFrameDamagedOrCutGivesTheSameAsTheReadersOwnDecoding() throws IOException {
        int large = indexOf(withALargeMap, "xxxxxxxx".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        for (int offset : new int[] {large - 40, large - 12, large - 6, large - 3, large - 1, large + 5000,
                large + MetadataExtent.MAX_BYTES + 9, large + MetadataExtent.MAX_BYTES + 10, large + MetadataExtent.MAX_BYTES + 30}) {
            for (int piece : new int[] {Integer.MAX_VALUE, 1000, 7}) {
                byte[] damaged = withALargeMap.clone();
                damaged[offset] ^= (byte) 0x80;
                assertThat(outcome(damaged, true, piece)).as("byte %d, %d per read", offset, piece)
                        .isEqualTo(outcome(damaged, false, piece));
                byte[] cut = java.util.Arrays.copyOf(withALargeMap, offset);
                assertThat(outcome(cut, true, piece)).as("cut to %d, %d per read", offset, piece)
                        .isEqualTo(outcome(cut, false, piece)).doesNotEndWith(" | ok");
            }
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (java.util.Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return i;
            }
        }
        throw new AssertionError("not found");
    }

    @Test
    void everyChangedByteGivesTheSameEntriesAndTheSameFirstError() throws IOException {
        int differentErrors = 0;
        for (int offset = 0; offset < original.length; offset++) {
            for (int pattern : new int[] {0x01, 0x80, 0xff, 0x10}) {
                byte[] damaged = original.clone();
                damaged[offset] ^= (byte) pattern;
                String expected = outcome(damaged, false, Integer.MAX_VALUE);
                assertThat(outcome(damaged, true, Integer.MAX_VALUE)).as("byte %d ^ %02x", offset, pattern)
                        .isEqualTo(expected);
                if (!expected.endsWith(" | ok")) {
                    differentErrors++;
                }
            }
        }
        assertThat(differentErrors).as("damage the reader notices").isGreaterThan(original.length);
    }

    @Test
    void everyTruncationGivesTheSameEntriesAndTheSameError() throws IOException {
        for (int length = 0; length < original.length; length++) {
            byte[] cut = java.util.Arrays.copyOf(original, length);
            assertThat(outcome(cut, true, Integer.MAX_VALUE)).as("cut to %d", length)
                    .isEqualTo(outcome(cut, false, Integer.MAX_VALUE)).doesNotEndWith(" | ok");
        }
    }

    @Test
    void aStreamHandingOverFewBytesPerReadGivesTheSameAsOneHandingOverAll() throws IOException {
        for (int piece : new int[] {1, 2, 3, 7, 64, 1000}) {
            assertThat(outcome(original, true, piece)).as("%d bytes per read", piece)
                    .isEqualTo(outcome(original, false, Integer.MAX_VALUE));
            for (int offset = 0; offset < original.length; offset += 5) {
                byte[] damaged = original.clone();
                damaged[offset] ^= (byte) 0x80;
                assertThat(outcome(damaged, true, piece)).as("%d bytes per read, byte %d", piece, offset)
                        .isEqualTo(outcome(damaged, false, piece));
            }
        }
    }

    /** A stream that hands over at most {@code piece} bytes per read. */
    private static final class Trickle extends InputStream {
        private final byte[] content;
        private final int piece;
        private int at;

        Trickle(byte[] content, int piece) {
            this.content = content;
            this.piece = piece;
        }

        @Override
        public int read() {
            return at < content.length ? content[at++] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (at == content.length) {
                return -1;
            }
            int n = Math.min(Math.min(len, piece), content.length - at);
            System.arraycopy(content, at, b, off, n);
            at += n;
            return n;
        }
    }
}
