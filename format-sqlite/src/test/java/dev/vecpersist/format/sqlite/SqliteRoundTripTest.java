package dev.vecpersist.format.sqlite;

import dev.vecpersist.api.ContentChecksum;
import dev.vecpersist.api.Metric;
import dev.vecpersist.api.MetadataValues;
import dev.vecpersist.api.StateHeader;
import dev.vecpersist.api.VectorEntry;
import dev.vecpersist.testkit.StateFiles;
import dev.vecpersist.testkit.TestStates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** Writes states to real database files and reads them back: equal content, equal checksums. */
class SqliteRoundTripTest {

    private static final Instant CREATED = Instant.ofEpochMilli(1_700_000_000_123L);

    @TempDir
    Path dir;

    private StateFiles.ReadState roundTrip(StateHeader header, List<VectorEntry> entries, List<String> deletions)
            throws IOException {
        Path f = dir.resolve("state-" + System.nanoTime() + ".sqlite");
        String written = StateFiles.write(SqliteFiles.FORMAT, f, header, entries, deletions);
        assertThat(written).startsWith(ContentChecksum.PREFIX);
        StateFiles.ReadState back = StateFiles.read(SqliteFiles.FORMAT, f); // recomputes the checksum and compares
        assertThat(back.checksum()).isEqualTo(written);
        assertThat(back.header()).isEqualTo(header);
        assertThat(back.entries()).containsExactlyElementsOf(entries);
        assertThat(back.deletions()).containsExactlyElementsOf(deletions);
        return back;
    }

    private static StateHeader full(int dimension, Metric metric, long count) {
        return StateHeader.full(SqliteStateFormat.VERSION, dimension, metric, count, CREATED);
    }

    @Test
    void emptyState() throws IOException {
        roundTrip(full(3, Metric.COSINE, 0), List.of(), List.of());
    }

    @Test
    void oneEntryWithoutMetadata() throws IOException {
        roundTrip(full(2, Metric.DOT, 1), List.of(new VectorEntry("a", new float[] {0.5f, -1f})), List.of());
    }

    @Test
    void tenThousandBy384WithMixedMetadataAndLargePages() throws Exception {
        List<VectorEntry> entries = TestStates.mixedMetadataEntries(10_000, 384, 21);
        Path f = dir.resolve("large.sqlite");
        StateHeader header = full(384, Metric.COSINE, entries.size());
        String written = StateFiles.write(SqliteFiles.FORMAT, f, header, entries, List.of());
        StateFiles.ReadState back = StateFiles.read(SqliteFiles.FORMAT, f);
        assertThat(back.checksum()).isEqualTo(written);
        assertThat(back.entries()).containsExactlyElementsOf(entries);
        Map<String, Object> meta = back.entries().get(9_999).metadata();
        assertThat(meta.get("index")).isInstanceOf(Long.class).isEqualTo(9_999L);
        assertThat(new ArrayList<>(meta.keySet())).as("keys in insertion order")
                .containsExactly("index", "big", "negative", "ratio", "label", "tags", "empty", "emptyList", "nested");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + f); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("PRAGMA page_size")) {
            r.next();
            assertThat(r.getInt(1)).isEqualTo(65536);
        }
        // raw float32 plus little overhead: 10,000 x 1,536 bytes = 15.4 MB
        assertThat(Files.size(f)).isLessThan(20_000_000L);
    }

    @Test
    void smallStatesMakeSmallFiles() throws IOException {
        Path f = dir.resolve("small.sqlite");
        SqliteFiles.write(f, full(4, Metric.DOT, 3), TestStates.entries(3, 4, 1));
        assertThat(Files.size(f)).isLessThanOrEqualTo(8 * 4096L);
    }

    @Test
    void unicodeIds() throws IOException {
        List<VectorEntry> entries = TestStates.unicodeIdEntries(4);
        roundTrip(full(4, Metric.EUCLIDEAN, entries.size()), entries, List.of());
    }

    @Test
    void nestedMetadataToTheDepthLimit() throws IOException {
        Object value = "bottom";
        for (int depth = 2; depth <= MetadataValues.MAX_DEPTH; depth++) {
            value = depth % 2 == 0 ? Map.of("level", value) : List.of(value, (long) depth);
        }
        Map<String, Object> deep = Map.of("deep", value);
        assertThat(MetadataValues.normalize(deep)).isEqualTo(deep);
        Map<String, Object> mixed = new LinkedHashMap<>();
        mixed.put("null", null);
        mixed.put("bool", true);
        mixed.put("min", Long.MIN_VALUE);
        mixed.put("tiny", Double.MIN_VALUE);
        mixed.put("whole double", 3.0);
        mixed.put("list", List.of(List.of(), Map.of("k", List.of(1L, 2.5, "x"))));
        List<VectorEntry> entries = List.of(new VectorEntry("deep", new float[] {1}, deep), new VectorEntry("mixed", new float[] {2}, mixed));
        StateFiles.ReadState back = roundTrip(full(1, Metric.DOT, 2), entries, List.of());
        assertThat(back.entries().get(1).metadata().get("whole double")).isInstanceOf(Double.class);
    }

    @Test
    void extremeAndRandomFloatsBitForBit() throws IOException {
        List<VectorEntry> entries = new ArrayList<>(TestStates.extremeFloatEntries());
        Random random = new Random(5);
        for (int i = 0; i < 500; i++) {
            float[] v = new float[4];
            for (int d = 0; d < v.length; d++) {
                float f;
                do {
                    f = Float.intBitsToFloat(random.nextInt());
                } while (!Float.isFinite(f));
                v[d] = f;
            }
            entries.add(new VectorEntry("r" + i, v));
        }
        StateFiles.ReadState back = roundTrip(full(4, Metric.EUCLIDEAN, entries.size()), entries, List.of());
        for (int i = 0; i < entries.size(); i++) {
            for (int d = 0; d < 4; d++) {
                assertThat(Float.floatToRawIntBits(back.entries().get(i).vector()[d])).as("entry %d component %d", i, d)
                        .isEqualTo(Float.floatToRawIntBits(entries.get(i).vector()[d]));
            }
        }
    }

    @Test
    void headerUserMetadataAndIndexState() throws IOException {
        byte[] index = new byte[100_000];
        new Random(2).nextBytes(index);
        StateHeader header = new StateHeader(SqliteStateFormat.VERSION, StateHeader.Kind.FULL, 2, Metric.EUCLIDEAN, 1, 0,
                CREATED, Map.of("owner", "tests", "nested", Map.of("a", List.of(true, 1L))), index);
        roundTrip(header, List.of(new VectorEntry("a", new float[] {1, 2})), List.of());
        roundTrip(new StateHeader(SqliteStateFormat.VERSION, StateHeader.Kind.FULL, 2, Metric.DOT, 0, 0, CREATED,
                Map.of(), new byte[0]), List.of(), List.of()); // empty, not absent
    }

    @Test
    void deltasWithDeletions() throws IOException {
        List<VectorEntry> upserts = TestStates.entries(2_500, 8, 4);
        List<String> deleted = new ArrayList<>(List.of("gone-1", "日本", "vec-3-old"));
        for (int i = 0; i < 1_500; i++) {
            deleted.add("d" + i); // more than one batch
        }
        roundTrip(new StateHeader(SqliteStateFormat.VERSION, StateHeader.Kind.DELTA, 8, Metric.COSINE, upserts.size(),
                deleted.size(), CREATED, Map.of(), null), upserts, deleted);
        roundTrip(new StateHeader(SqliteStateFormat.VERSION, StateHeader.Kind.DELTA, 8, Metric.COSINE, 0, 2, CREATED,
                Map.of(), null), List.of(), List.of("x", "y"));
        roundTrip(new StateHeader(SqliteStateFormat.VERSION, StateHeader.Kind.DELTA, 8, Metric.COSINE, 0, 0, CREATED,
                Map.of(), null), List.of(), List.of());
    }

    @Test
    void pathsWithCharactersThatMeanSomethingInUris() throws IOException {
        Path odd = Files.createDirectories(dir.resolve("a dir?x=1#frag%20;mode=ro"));
        Path f = odd.resolve("state?journal_mode=WAL.sqlite");
        List<VectorEntry> entries = TestStates.entries(5, 3, 1);
        String written = SqliteFiles.write(f, SqliteFiles.full(3, entries.size()), entries);
        assertThat(Files.exists(f)).isTrue();
        assertThat(StateFiles.read(SqliteFiles.FORMAT, f).checksum()).isEqualTo(written);
        try (var listing = Files.list(odd)) {
            assertThat(listing.map(p -> p.getFileName().toString())).containsExactly("state?journal_mode=WAL.sqlite");
        }
    }
}
