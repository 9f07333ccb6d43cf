package dev.vecpersist.it;

import dev.vecpersist.api.Metric;
import dev.vecpersist.api.Progress;
import dev.vecpersist.api.SnapshotMetadata;
import dev.vecpersist.api.StateFingerprint;
import dev.vecpersist.api.VectorEntry;
import dev.vecpersist.core.DatabasePersistence;
import dev.vecpersist.core.PersistenceOptions;
import dev.vecpersist.core.VectorDB;
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

/** Incremental restores (of a snapshot, of the committed chain) give what full ones do, in every format x codec. */
class IncrementalRestoreMatrixTest {

    private static final int DIMENSION = 16;

    @TempDir
    Path dir;

    private DatabasePersistence manager(VectorDB db, String format, String codec) {
        return new DatabasePersistence(db, PersistenceOptions.builder().baseDir(dir.resolve(format + "-" + codec))
                .format(format).compression(codec).incrementalRestoreRatio(0.1).build());
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
        db.insert(new VectorEntry("id-200", new float[DIMENSION], Map.of("back", true)));
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
    void incrementalAndFullRestoresAgree(String format, String codec) {
        VectorDB db = filled();
        List<VectorEntry> atSnapshot = contents(db);
        SnapshotMetadata s;
        List<VectorEntry> committed;
        try (DatabasePersistence p = manager(db, format, codec)) {
            s = p.createSnapshot("s");
            change(db, 0);
            List<Progress> restore = new ArrayList<>();
            p.restoreSnapshot(s.id(), true, restore::add);
            assertThat(operations(restore)).containsExactly("restore-incremental");
            assertSameState(db, atSnapshot);

            p.save();
            change(db, 1);
            p.saveIncremental();
            committed = contents(db);
            change(db, 2);
            List<Progress> load = new ArrayList<>();
            p.load(load::add);
            assertThat(operations(load)).containsExactly("load-incremental");
            assertSameState(db, committed);
        }
        VectorDB restored = new VectorDB(DIMENSION, Metric.DOT);
        try (DatabasePersistence p = manager(restored, format, codec)) {
            List<Progress> restore = new ArrayList<>();
            p.restoreSnapshot(s.id(), true, restore::add);
            assertThat(operations(restore)).containsExactly("restore");
        }
        assertSameState(restored, atSnapshot);
        VectorDB loaded = new VectorDB(DIMENSION, Metric.DOT);
        try (DatabasePersistence p = manager(loaded, format, codec)) {
            List<Progress> load = new ArrayList<>();
            p.load(load::add);
            assertThat(operations(load)).containsExactly("load");
        }
        assertSameState(loaded, committed);
    }
}
