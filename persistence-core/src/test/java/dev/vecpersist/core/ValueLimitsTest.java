package dev.vecpersist.core;

import dev.vecpersist.api.Metric;
import dev.vecpersist.api.PersistableDatabase;
import dev.vecpersist.api.PersistenceException;
import dev.vecpersist.api.ValueLimits;
import dev.vecpersist.api.VectorEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.vecpersist.core.DbAssertions.assertSameContent;
import static dev.vecpersist.core.DbAssertions.contents;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 14, cases 2 and 3: what insert accepts is exactly what every format can write and read
 * back; the rest is refused where it enters, naming the limit.
 */
class ValueLimitsTest {

    @TempDir
    Path dir;

    @SuppressWarnings("unchecked")
    private static VectorEntry entry(String id, Map<String, ?> metadata) {
        return new VectorEntry(id, new float[] {1, 2}, (Map<String, Object>) metadata);
    }

    private static void refused(VectorDB db, VectorEntry e, String limitWords) {
        assertThatThrownBy(() -> db.insert(e)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(limitWords);
        assertThatThrownBy(() -> db.insertBatch(List.of(e))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(limitWords);
        assertThat(db.size()).isZero();
    }

    @Test
    void idsAtTheLimitInUtf8BytesAreAcceptedOneByteMoreIsRefused() {
        VectorDB db = new VectorDB(2, Metric.COSINE);
        String atLimit = "é".repeat(ValueLimits.MAX_ID_BYTES / 2); // 2 bytes each
        db.insert(entry(atLimit, Map.of()));
        db.clear();
        refused(db, entry(atLimit + "x", Map.of()), "more than the limit of " + ValueLimits.MAX_ID_BYTES + " bytes");
    }

    @ParameterizedTest
    @ValueSource(strings = {"k\uD800", "\uDC00k", "a\uDBFF\uDBFFb"})
    void unpairedSurrogatesAreRefusedInIdsKeysAndStringValues(String bad) {
        VectorDB db = new VectorDB(2, Metric.COSINE);
        refused(db, entry(bad, Map.of()), "unpaired surrogate");
        refused(db, entry("ok", Map.of(bad, 1L)), "unpaired surrogate");
        refused(db, entry("ok", Map.of("k", bad)), "unpaired surrogate");
        refused(db, entry("ok", Map.of("k", List.of(Map.of("deep", bad)))), "unpaired surrogate");
        // a proper pair (U+1F600) is fine
        assertThatCode(() -> db.insert(entry("\uD83D\uDE00", Map.of("\uD83D\uDE00", "\uD83D\uDE00")))).doesNotThrowAnyException();
    }

    @Test
    void theIssuesOversizedValuesAreRefusedAtInsert() {
        VectorDB db = new VectorDB(2, Metric.COSINE);
        // a 60,000-char key: json and sqlite used to save it and then fail to load ("Name length exceeds")
        refused(db, entry("a", Map.of("k".repeat(60_000), 1L)), "limit of " + ValueLimits.MAX_KEY_BYTES);
        // a 17 MiB string and a 1.1M-item list: msgpack used to save them and then fail to load
        refused(db, entry("a", Map.of("s", "x".repeat(17 << 20))), "limit of " + ValueLimits.MAX_STRING_BYTES);
        refused(db, entry("a", Map.of("l", Collections.nCopies(1_100_000, 1L))), "limit of " + ValueLimits.MAX_CONTAINER);
        // dimension 1,100,000: msgpack and sqlite used to save it, and then refuse to load it
        assertThatThrownBy(() -> new VectorDB(1_100_000, Metric.COSINE)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("limit is 1.." + ValueLimits.MAX_DIMENSION);
        assertThatCode(() -> new VectorDB(ValueLimits.MAX_DIMENSION, Metric.DOT)).doesNotThrowAnyException();
    }

    @Test
    void keysStringsContainersAndDepthAtTheirLimitsAreAccepted() {
        VectorDB db = new VectorDB(2, Metric.COSINE);
        Object deepest = "leaf";
        for (int i = 1; i < ValueLimits.MAX_DEPTH; i++) {
            deepest = Map.of("d", deepest);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("k".repeat(ValueLimits.MAX_KEY_BYTES), 1L);
        m.put("s", "x".repeat(ValueLimits.MAX_STRING_BYTES));
        m.put("l", Collections.nCopies(ValueLimits.MAX_CONTAINER, 1L));
        m.put("deep", deepest);
        db.insert(entry("at-limits", m));
        assertThat(db.size()).isOne();
        refused(new VectorDB(2, Metric.COSINE), entry("b", Map.of("deep", Map.of("one-more", deepest))), "limit of "
                + ValueLimits.MAX_DEPTH + " levels");
        refused(new VectorDB(2, Metric.COSINE), entry("b", Map.of("k".repeat(ValueLimits.MAX_KEY_BYTES + 1), 1L)),
                "limit of " + ValueLimits.MAX_KEY_BYTES);
    }

    @Test
    void metadataLargerThanTheTotalLimitIsRefused() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("a", "x".repeat(ValueLimits.MAX_STRING_BYTES));
        m.put("b", "x".repeat(ValueLimits.MAX_STRING_BYTES)); // two strings at the limit: more than 32 MiB in all
        refused(new VectorDB(2, Metric.COSINE), entry("big", m), "limit of " + ValueLimits.MAX_METADATA_SIZE + " bytes");
    }

    /** The checksum's buffer overflowed on long ids: such a database could never be saved. */
    @Test
    void longIdsSaveAndLoad() {
        VectorDB db = new VectorDB(384, Metric.COSINE);
        db.insert(new VectorEntry("i".repeat(2_601), new float[384], Map.of()));
        db.insert(new VectorEntry("j".repeat(ValueLimits.MAX_ID_BYTES), new float[384], Map.of()));
        try (DatabasePersistence p = new DatabasePersistence(db, PersistenceOptions.builder().baseDir(dir).build())) {
            p.save();
        }
        VectorDB back = new VectorDB(384, Metric.COSINE);
        try (DatabasePersistence q = new DatabasePersistence(back, PersistenceOptions.builder().baseDir(dir).build())) {
            q.load();
        }
        assertSameContent(back, contents(db));
    }

    @Test
    void snapshotsThatCouldNotBeListedLaterAreRefusedUpFront() {
        VectorDB db = new VectorDB(2, Metric.COSINE);
        db.insert(entry("a", Map.of()));
        try (DatabasePersistence p = new DatabasePersistence(db, PersistenceOptions.builder().baseDir(dir).build())) {
            assertThatThrownBy(() -> p.createSnapshot("s", Map.of("k".repeat(60_000), 1L)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("limit of " + ValueLimits.MAX_KEY_BYTES);
            assertThatThrownBy(() -> p.createSnapshot("n".repeat(17 << 20)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("snapshot name");
            assertThatThrownBy(() -> p.createSnapshot("bad\uD800")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("unpaired surrogate");
            assertThat(p.listSnapshots()).isEmpty();
            String longest = "n".repeat(ValueLimits.MAX_ID_BYTES);
            p.createSnapshot(longest, Map.of("k".repeat(ValueLimits.MAX_KEY_BYTES), "v"));
            assertThat(p.listSnapshots()).singleElement().satisfies(s -> assertThat(s.name()).isEqualTo(longest));
        }
    }

    /**
     * A database that is not a VectorDB may hand the writer anything: the save must fail with a
     * typed exception naming the entry, before the rename, and leave the previous state.
     */
    @Test
    void writersRefuseWhatCannotBeReadBackAndThePreviousStateStays() {
        List<VectorEntry> rows = new ArrayList<>(List.of(new VectorEntry("fine", new float[] {1, 2}, Map.of())));
        PersistableDatabase db = new ListDatabase(2, rows);
        try (DatabasePersistence p = new DatabasePersistence(db, PersistenceOptions.builder().baseDir(dir).build())) {
            Path first = p.save();
            rows.add(new VectorEntry("k\uD800", new float[] {1, 2}, Map.of()));
            assertThatThrownBy(p::save).isExactlyInstanceOf(PersistenceException.class)
                    .hasMessageContaining("cannot save entry 1").hasMessageContaining("unpaired surrogate");
            rows.set(1, new VectorEntry("ok", new float[] {1, 2}, Map.of("s", "x\uDC00")));
            assertThatThrownBy(p::save).isExactlyInstanceOf(PersistenceException.class).hasMessageContaining("entry 'ok'");
            assertThatThrownBy(() -> p.createSnapshot("s")).isInstanceOf(PersistenceException.class)
                    .hasMessageContaining("unpaired surrogate");
            assertThat(p.committedFiles()).containsExactly(first);
            try (var files = Files.list(dir)) {
                assertThat(files.map(f -> f.getFileName().toString())).containsExactlyInAnyOrder(
                        first.getFileName().toString(), "MANIFEST.json", "snapshots", ".vecpersist.lock");
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }
}
