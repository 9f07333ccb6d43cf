package dev.vecpersist.it;

import dev.vecpersist.api.Metric;
import dev.vecpersist.api.Progress;
import dev.vecpersist.api.SnapshotMetadata;
import dev.vecpersist.api.StateFingerprint;
import dev.vecpersist.api.VectorEntry;
import dev.vecpersist.core.DatabasePersistence;
import dev.vecpersist.core.HistoryPolicy;
import dev.vecpersist.core.PersistenceOptions;
import dev.vecpersist.core.SnapshotMode;
import dev.vecpersist.core.VectorDB;
import dev.vecpersist.core.VersionInfo;
import dev.vecpersist.testkit.TestStates;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Incremental restores of differential snapshots (only the later pieces) and of committed versions (only
 * the later deltas) give what full ones do, in every format x codec; older or other-lineage targets are
 * restored in full.
 */
class IncrementalRestorePiecesMatrixTest {

    private static final int DIMENSION = 16;

    @TempDir
    Path dir;

    private DatabasePersistence manager(VectorDB db, String format, String codec) {
        return new DatabasePersistence(db, PersistenceOptions.builder().baseDir(dir.resolve(format + "-" + codec))
                .format(format).compression(codec).incrementalRestoreRatio(0.1).snapshotMode(SnapshotMode.DIFFERENTIAL)
                .history(HistoryPolicy.keepLast(10)).build());
    }

    private static List<VectorEntry> contents(VectorDB db) {
        List<VectorEntry> out = new ArrayList<>();
        db.snapshot().forEach(out::add);
        return out;
    }

    private static VectorDB filled() {
        VectorDB db = new VectorDB(DIMENSION, Metric.DOT);
        db.insertBatch(TestStates.mixedMetadataEntries(300, DIMENSION, 1));
        db.insertBatch(TestStates.unicodeIdEntries(DIMENSION));
        db.insertBatch(TestStates.extremeFloatEntriesPadded(DIMENSION));
        return db;
    }

    /** About 3% of the entries: updated, deleted, inserted, deleted and re-inserted. */
    private static void change(VectorDB db, int round) {
        for (int i = 0; i < 3; i++) {
            float[] v = new float[DIMENSION];
            v[i] = -0.0f;
            v[DIMENSION - 1] = Float.MIN_VALUE * (round + 1);
            db.insert(new VectorEntry("id-" + (i + 10 * round), v, Map.of("round", (long) round, "x", -0.0)));
            db.delete("id-" + (100 + i + 10 * round));
            db.insert(new VectorEntry("added-" + round + "-" + i, v, Map.of()));
        }
        db.delete("id-200");
        db.insert(new VectorEntry("id-200", new float[DIMENSION], Map.of("back", round)));
    }

    private static Set<String> operations(List<Progress> reports) {
        Set<String> ops = new LinkedHashSet<>();
        reports.forEach(r -> ops.add(r.operation()));
        return ops;
    }

    private static void assertSameState(VectorDB db, List<VectorEntry> expected) {
        assertThat(contents(db)).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(StateFingerprint.of(db.snapshot())).isEqualTo(StateFingerprint.of(expected));
    }

    @ParameterizedTest(name = "{0} + {1}")
    @MethodSource("dev.vecpersist.it.Matrix#formatsAndCodecs")
    void differentialSnapshotsRestoreTheirLaterPiecesIncrementally(String format, String codec) {
        VectorDB db = filled();
        List<VectorEntry> atFirst = contents(db);
        SnapshotMetadata third;
        List<VectorEntry> atThird;
        try (DatabasePersistence p = manager(db, format, codec)) {
            SnapshotMetadata first = p.createSnapshot("first");
            change(db, 1);
            p.createSnapshot("second");
            change(db, 2);
            atThird = contents(db);
            third = p.createSnapshot("third");
            assertThat(third.pieces()).hasSize(3);

            List<Progress> older = new ArrayList<>();
            p.restoreSnapshot(first.id(), true, older::add); // older than the state held: in full
            assertThat(operations(older)).doesNotContain("restore-incremental");
            assertSameState(db, atFirst);

            change(db, 3);
            List<Progress> later = new ArrayList<>();
            p.restoreSnapshot(third.id(), true, later::add);
            assertThat(operations(later)).containsExactly("restore-incremental");
            assertSameState(db, atThird);
        }
        VectorDB fresh = new VectorDB(DIMENSION, Metric.DOT);
        try (DatabasePersistence p = manager(fresh, format, codec)) {
            List<Progress> full = new ArrayList<>();
            p.restoreSnapshot(third.id(), true, full::add); // nothing known: in full, the same state
            assertThat(operations(full)).doesNotContain("restore-incremental");
        }
        assertSameState(fresh, atThird);
    }

    @ParameterizedTest(name = "{0} + {1}")
    @MethodSource("dev.vecpersist.it.Matrix#formatsAndCodecs")
    void laterVersionsLoadOnlyTheDeltasBetween(String format, String codec) {
        VectorDB db = filled();
        List<VectorEntry> v3;
        long n3;
        try (DatabasePersistence p = manager(db, format, codec)) {
            p.save();
            List<VectorEntry> v1 = contents(db);
            change(db, 1);
            p.saveIncremental();
            change(db, 2);
            p.saveIncremental();
            v3 = contents(db);
            List<VersionInfo> versions = p.listVersions();
            assertThat(versions).hasSize(3);
            n3 = versions.get(2).number();

            List<Progress> older = new ArrayList<>();
            p.loadVersion(versions.get(0).number(), older::add);
            assertThat(operations(older)).containsExactly("load");
            assertSameState(db, v1);

            change(db, 3);
            List<Progress> later = new ArrayList<>();
            p.loadVersion(n3, later::add);
            assertThat(operations(later)).containsExactly("load-incremental");
            assertSameState(db, v3);
        }
        VectorDB fresh = new VectorDB(DIMENSION, Metric.DOT);
        try (DatabasePersistence p = manager(fresh, format, codec)) {
            List<Progress> full = new ArrayList<>();
            p.loadVersion(n3, full::add);
            assertThat(operations(full)).containsExactly("load");
        }
        assertSameState(fresh, v3);
    }
}
