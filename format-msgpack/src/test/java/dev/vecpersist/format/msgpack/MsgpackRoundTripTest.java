package dev.vecpersist.format.msgpack;

import dev.vecpersist.api.ContentChecksum;
import dev.vecpersist.api.MetadataValues;
import dev.vecpersist.api.Metric;
import dev.vecpersist.api.StateHeader;
import dev.vecpersist.api.StateReader;
import dev.vecpersist.api.StateSink;
import dev.vecpersist.api.StateWriter;
import dev.vecpersist.api.StateSource;
import dev.vecpersist.api.VectorEntry;
import dev.vecpersist.testkit.StateFiles;
import dev.vecpersist.testkit.TestStates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Round trips through real files: the checksum computed while writing equals the stored one and
 * the one recomputed while reading, and everything loads back equal, type for type and bit for bit.
 */
class MsgpackRoundTripTest {

    private static final Instant CREATED = Instant.ofEpochMilli(1_700_000_000_123L);

    private final MsgpackStateFormat format = new MsgpackStateFormat();

    @TempDir
    Path dir;

    private StateHeader full(int dimension, long count) {
        return StateHeader.full(MsgpackStateFormat.VERSION, dimension, Metric.COSINE, count, CREATED);
    }

    /** Writes, reads back (StateFiles recomputes and compares the checksum), and compares everything. */
    private StateFiles.ReadState roundTrip(String name, StateHeader header, List<VectorEntry> entries,
                                           List<String> deletions) throws IOException {
        Path f = dir.resolve(name + ".msgpack");
        String written = StateFiles.write(format, f, header, entries, deletions);
        StateFiles.ReadState back = StateFiles.read(format, f);
        assertThat(back.checksum()).isEqualTo(written).startsWith(ContentChecksum.PREFIX);
        assertThat(back.header()).isEqualTo(header);
        assertThat(back.entries()).containsExactlyElementsOf(entries);
        assertThat(back.deletions()).containsExactlyElementsOf(deletions);
        for (int i = 0; i < entries.size(); i++) {
            assertSameBits(entries.get(i).vector(), back.entries().get(i).vector(), i);
            assertSameTypes(entries.get(i).metadata(), back.entries().get(i).metadata());
        }
        return back;
    }

    private static void assertSameBits(float[] expected, float[] actual, int entry) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int d = 0; d < expected.length; d++) {
            assertThat(Float.floatToRawIntBits(actual[d])).as("entry %d component %d", entry, d)
                    .isEqualTo(Float.floatToRawIntBits(expected[d]));
        }
    }

    /** equals() already holds; this also checks classes (Long stays Long, Double stays Double) and key order. */
    private static void assertSameTypes(Object expected, Object actual) {
        if (expected == null) {
            assertThat(actual).isNull();
        } else if (expected instanceof Map<?, ?> m) {
            assertThat(actual).isInstanceOf(Map.class);
            List<Object> actualKeys = new ArrayList<>(((Map<?, ?>) actual).keySet());
            assertThat(actualKeys).containsExactlyElementsOf(new ArrayList<Object>(m.keySet()));
            for (Map.Entry<?, ?> e : m.entrySet()) {
                assertSameTypes(e.getValue(), ((Map<?, ?>) actual).get(e.getKey()));
            }
        } else if (expected instanceof List<?> l) {
            assertThat(actual).isInstanceOf(List.class);
            for (int i = 0; i < l.size(); i++) {
                assertSameTypes(l.get(i), ((List<?>) actual).get(i));
            }
        } else {
            assertThat(actual).isExactlyInstanceOf(expected.getClass()).isEqualTo(expected);
        }
    }

    @Test
    void anEmptyState() throws IOException {
        StateFiles.ReadState back = roundTrip("empty", full(8, 0), List.of(), List.of());
        assertThat(back.entries()).isEmpty();
    }

    @Test
    void oneEntry() throws IOException {
        roundTrip("one", full(3, 1), List.of(new VectorEntry("only", new float[] {1.5f, -2.25f, 0f}, Map.of("k", "v"))),
                List.of());
    }

    @Test
    void tenThousandBy384WithMixedMetadata() throws IOException {
        List<VectorEntry> entries = TestStates.mixedMetadataEntries(10_000, 384, 42);
        roundTrip("big", full(384, entries.size()), entries, List.of());
    }

    /**
     * A 15 MB state read through a stream that returns fewer bytes than asked, in irregular amounts
     * (one byte, odd sizes, more than the reader's 1 MiB buffer): the unpacker's buffer is refilled
     * part-way and vectors straddle its refills; every entry comes back bit for bit.
     */
    @Test
    void aLargeStateReadInIrregularShortReads() throws IOException {
        List<VectorEntry> entries = TestStates.mixedMetadataEntries(10_000, 384, 43);
        Path f = dir.resolve("short-reads.msgpack");
        String written = StateFiles.write(format, f, full(384, entries.size()), entries, List.of());
        int[] sizes = {1, 4_093, 65_537, 1 << 20, (1 << 20) + 3, 777};
        StateFiles.ReadState back;
        try (InputStream file = Files.newInputStream(f);
             InputStream shortReads = new java.io.FilterInputStream(file) {
                 private int next;

                 @Override
                 public int read(byte[] b, int off, int len) throws IOException {
                     return super.read(b, off, Math.min(len, sizes[next++ % sizes.length]));
                 }
             }) {
            back = StateFiles.read(format, shortReads, f);
        }
        assertThat(back.checksum()).isEqualTo(written);
        assertThat(back.entries()).containsExactlyElementsOf(entries);
        for (int i = 0; i < entries.size(); i++) {
            assertSameBits(entries.get(i).vector(), back.entries().get(i).vector(), i);
        }
    }

    @Test
    void unicodeIdsIncludingAstralPlaneCharacters() throws IOException {
        List<VectorEntry> entries = new ArrayList<>(TestStates.unicodeIdEntries(4));
        entries.add(new VectorEntry("\uD834\uDD1E music \uD83D\uDE80 \uD840\uDC00 \uDBFF\uDFFF", new float[] {1, 2, 3, 4},
                Map.of("\uD83D\uDD11 key", "\uD83D\uDE00 value \uFFFD genuine replacement char")));
        entries.add(new VectorEntry("\uD83D\uDE00".repeat(1000), new float[] {0, 0, 0, 0})); // 4000 bytes of UTF-8
        roundTrip("unicode", full(4, entries.size()), entries, List.of());
    }

    @Test
    void theLongestIdAndStringAllowed() throws IOException {
        // straight through the format: ContentChecksum overflows its buffer on ids beyond ~4 KiB (reported)
        String id = "\u00e9".repeat(MsgpackLayout.MAX_ID_BYTES / 2);
        String text = "x".repeat(MsgpackLayout.MAX_STRING_BYTES);
        VectorEntry entry = new VectorEntry(id, new float[] {1}, Map.of("text", text));
        Path f = dir.resolve("longest.msgpack");
        try (OutputStream out = Files.newOutputStream(f);
             StateWriter w = format.newWriter(StateSink.ofStream(out, f.toString()), full(1, 1))) {
            w.writeEntry(entry);
            w.finish("crc32c:00000000");
        }
        try (InputStream in = Files.newInputStream(f); StateReader r = format.newReader(StateSource.ofStream(in, f.toString()))) {
            assertThat(r.nextEntry()).isEqualTo(entry);
            assertThat(r.nextEntry()).isNull();
            assertThat(r.storedChecksum()).isEqualTo("crc32c:00000000");
        }
    }

    @Test
    void extremeFloatsBitForBit() throws IOException {
        List<VectorEntry> entries = new ArrayList<>(TestStates.extremeFloatEntries());
        entries.add(new VectorEntry("subnormals", new float[] {Float.intBitsToFloat(1), Float.intBitsToFloat(0x007fffff),
                -Float.intBitsToFloat(0x00400000), Math.nextDown(Float.MIN_NORMAL)}, Map.of("minus-zero", -0.0d)));
        roundTrip("extreme", full(4, entries.size()), entries, List.of());
    }

    @Test
    void nestedMetadataToTheDeepestLevelAllowed() throws IOException {
        Object deepest = "bottom";
        for (int level = MetadataValues.MAX_DEPTH; level > 1; level--) {
            deepest = level % 2 == 0 ? Map.of("m" + level, deepest) : List.of(deepest, (long) level);
        }
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("deep", deepest);
        assertThat(MetadataValues.normalize(metadata)).isEqualTo(metadata); // exactly at the limit
        List<VectorEntry> entries = List.of(new VectorEntry("deep", new float[] {1}, metadata));
        roundTrip("nested", full(1, 1), entries, List.of());
    }

    @Test
    void everyMetadataTypeKeepsItsClassAndKeyOrder() throws IOException {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("z-first", "order is file order, not sorted");
        metadata.put("long-min", Long.MIN_VALUE);
        metadata.put("long-max", Long.MAX_VALUE);
        metadata.put("small", 7L);
        metadata.put("negative", -33L);
        metadata.put("uint32", 4_000_000_000L);
        metadata.put("double", 0.1);
        metadata.put("double-min", Double.MIN_VALUE);
        metadata.put("double-max", -Double.MAX_VALUE);
        metadata.put("integral-double", 3.0);
        metadata.put("true", true);
        metadata.put("false", false);
        metadata.put("null", null);
        metadata.put("empty-string", "");
        metadata.put("list", Arrays.asList(1L, null, "s", 2.5, List.of(), Map.of()));
        metadata.put("a-last", Map.of("inner", List.of(Map.of("x", 1L))));
        roundTrip("types", full(2, 1), List.of(new VectorEntry("t", new float[] {1, 2}, metadata)), List.of());
    }

    @Test
    void metadataEncodedByOtherWritersReadsIntoTheModel() throws IOException {
        // what Python or another library may write: float32, ints of every width, str16
        byte[] content = Handcrafted.state(1, 1, 1, p -> {
            p.packArrayHeader(3).packString("a").packBinaryHeader(4).writePayload(new byte[4]);
            p.packMapHeader(8);
            p.packString("f32").packFloat(0.25f);
            p.packString("u64-max").packBigInteger(java.math.BigInteger.valueOf(Long.MAX_VALUE));
            p.writePayload(new byte[] {(byte) 0xa3, 'u', '6', '4'}).writePayload(new byte[] {(byte) 0xcf, 0, 0, 0, 0, 0, 0, 0, 5});
            p.packString("i8").writePayload(new byte[] {(byte) 0xd0, (byte) 0xff});
            p.packString("u16").writePayload(new byte[] {(byte) 0xcd, 0, 7});
            p.packString("str16").writePayload(new byte[] {(byte) 0xda, 0, 2, 'h', 'i'});
            p.packString("i64").writePayload(new byte[] {(byte) 0xd3, (byte) 0x80, 0, 0, 0, 0, 0, 0, 0});
            p.packString("f64-int").packDouble(2.0);
            Handcrafted.trailer(p, "crc32c:whatever");
        });
        try (StateReader reader = format.newReader(StateSource.ofStream(new java.io.ByteArrayInputStream(content), "foreign"))) {
            Map<String, Object> metadata = reader.nextEntry().metadata();
            assertThat(new ArrayList<>(metadata.keySet())).containsExactly("f32", "u64-max", "u64", "i8", "u16", "str16", "i64", "f64-int");
            assertThat(metadata.get("f32")).isExactlyInstanceOf(Double.class).isEqualTo(0.25);
            assertThat(metadata.get("u64-max")).isExactlyInstanceOf(Long.class).isEqualTo(Long.MAX_VALUE);
            assertThat(metadata.get("u64")).isExactlyInstanceOf(Long.class).isEqualTo(5L);
            assertThat(metadata.get("i8")).isExactlyInstanceOf(Long.class).isEqualTo(-1L);
            assertThat(metadata.get("u16")).isExactlyInstanceOf(Long.class).isEqualTo(7L);
            assertThat(metadata.get("str16")).isEqualTo("hi");
            assertThat(metadata.get("i64")).isExactlyInstanceOf(Long.class).isEqualTo(Long.MIN_VALUE);
            assertThat(metadata.get("f64-int")).isExactlyInstanceOf(Double.class).isEqualTo(2.0);
        }
    }

    @Test
    void aDeltaWithDeletions() throws IOException {
        List<VectorEntry> upserts = TestStates.entries(25, 16, 3);
        List<String> deletions = List.of("gone-1", "gone-2", "日本", "\uD83D\uDE80", "vec-3");
        StateHeader header = new StateHeader(MsgpackStateFormat.VERSION, StateHeader.Kind.DELTA, 16, Metric.EUCLIDEAN,
                upserts.size(), deletions.size(), CREATED, Map.of("base", "state-0000000001"), null);
        roundTrip("delta", header, upserts, deletions);
    }

    @Test
    void aDeltaOfDeletionsOnly() throws IOException {
        StateHeader header = new StateHeader(MsgpackStateFormat.VERSION, StateHeader.Kind.DELTA, 2, Metric.DOT,
                0, 2, CREATED, Map.of(), null);
        roundTrip("deletions-only", header, List.of(), List.of("a", "b"));
    }

    @Test
    void headerUserMetadataAndALargeIndexState() throws IOException {
        byte[] index = new byte[3 << 20]; // larger than one read chunk
        new Random(5).nextBytes(index);
        Map<String, Object> user = new LinkedHashMap<>();
        user.put("owner", "tests");
        user.put("n", 3L);
        user.put("nested", Map.of("a", List.of(true, 1.25)));
        StateHeader header = new StateHeader(MsgpackStateFormat.VERSION, StateHeader.Kind.FULL, 2, Metric.DOT, 1, 0,
                Instant.ofEpochMilli(-1), user, index);
        StateFiles.ReadState back = roundTrip("index", header, List.of(new VectorEntry("a", new float[] {1, 2})), List.of());
        assertThat(back.header().indexState()).isEqualTo(index);
        assertSameTypes(user, back.header().userMetadata());
    }

    @Test
    void aReaderCanSkipEntriesAndStillFindTheChecksum() throws IOException {
        Path f = dir.resolve("skip.msgpack");
        List<VectorEntry> entries = TestStates.entries(5, 4, 1);
        StateHeader header = new StateHeader(MsgpackStateFormat.VERSION, StateHeader.Kind.DELTA, 4, Metric.COSINE,
                entries.size(), 1, CREATED, Map.of(), null);
        String written = StateFiles.write(format, f, header, entries, List.of("x"));
        try (InputStream in = Files.newInputStream(f);
             StateReader reader = format.newReader(StateSource.ofStream(in, f.toString()))) {
            assertThat(reader.nextEntry()).isEqualTo(entries.get(0));
            assertThat(reader.storedChecksum()).isEqualTo(written);
            assertThat(reader.nextEntry()).isNull();
            assertThat(reader.nextDeletion()).isNull();
        }
    }

    @Test
    void theReaderLeavesTheCallersStreamOpen() throws IOException {
        Path f = dir.resolve("open.msgpack");
        StateFiles.write(format, f, full(2, 1), List.of(new VectorEntry("a", new float[] {1, 2})), List.of());
        boolean[] closed = {false};
        try (InputStream in = new java.io.FilterInputStream(Files.newInputStream(f)) {
            @Override
            public void close() throws IOException {
                closed[0] = true;
                super.close();
            }
        }) {
            try (StateReader reader = format.newReader(StateSource.ofStream(in, f.toString()))) {
                while (reader.nextEntry() != null) {
                    // read all
                }
                reader.storedChecksum();
            }
            assertThat(closed[0]).isFalse();
        }
    }
}
