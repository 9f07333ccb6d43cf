package dev.vecpersist.it;

import dev.vecpersist.api.CorruptedStateException;
import dev.vecpersist.api.Metric;
import dev.vecpersist.api.SnapshotMetadata;
import dev.vecpersist.api.SnapshotPiece;
import dev.vecpersist.api.VectorEntry;
import dev.vecpersist.core.DatabasePersistence;
import dev.vecpersist.core.PersistenceOptions;
import dev.vecpersist.core.SnapshotMode;
import dev.vecpersist.core.VectorDB;
import dev.vecpersist.testkit.TestStates;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static dev.vecpersist.it.AllFormatsAndCodecsTest.contents;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Differential snapshots over every format x every codec on the classpath: a chain of base and delta
 * pieces (with a new base by maxDeltas) restores each snapshot exactly, also in a manager configured
 * for another format and codec, and a damaged piece fails the restore without touching the database.
 */
class DifferentialSnapshotMatrixTest {

    private static final int DIM = 16;

    @TempDir
    Path dir;

    private PersistenceOptions options(Path base, String format, String codec) {
        return PersistenceOptions.builder().baseDir(base).format(format).compression(codec).batchSize(50)
                .snapshotMode(SnapshotMode.DIFFERENTIAL).maxDeltas(3).maxSnapshots(20).build();
    }

    @ParameterizedTest(name = "{0} + {1}")
    @MethodSource("dev.vecpersist.it.Matrix#formatsAndCodecs")
    void aChainOfPiecesRestoresEverySnapshotExactly(String format, String codec) throws IOException {
        Path base = dir.resolve("base");
        VectorDB db = new VectorDB(DIM, Metric.COSINE);
        db.insertBatch(TestStates.mixedMetadataEntries(300, DIM, 1));
        db.insertBatch(TestStates.unicodeIdEntries(DIM));
        db.insertBatch(TestStates.extremeFloatEntriesPadded(DIM));
        Map<String, List<VectorEntry>> acknowledged = new LinkedHashMap<>();
        Random random = new Random(format.hashCode() * 31L + codec.hashCode());
        List<SnapshotMetadata> taken = new ArrayList<>();
        try (DatabasePersistence p = new DatabasePersistence(db, options(base, format, codec))) {
            for (int round = 0; round < 6; round++) {
                if (round > 0) {
                    change(db, random, round);
                }
                SnapshotMetadata s = p.createSnapshot("round-" + round);
                taken.add(s);
                acknowledged.put(s.id(), contents(db));
            }
        }
        assertThat(taken).extracting(s -> s.pieces().size()).containsExactly(1, 2, 3, 4, 1, 2);
        assertThat(taken.get(3).pieces().subList(0, 3)).isEqualTo(taken.get(2).pieces());
        assertThat(taken).allSatisfy(s -> {
            assertThat(s.format()).isEqualTo(format);
            assertThat(s.compression()).isEqualTo(codec);
        });

        VectorDB fresh = new VectorDB(DIM, Metric.COSINE);
        // another manager, configured for another format and codec, restores them all the same
        try (DatabasePersistence p = new DatabasePersistence(fresh, options(base, "json", "none"))) {
            for (SnapshotMetadata s : taken) {
                p.restoreSnapshot(s.id());
                assertThat(contents(fresh)).as(s.name()).containsExactlyElementsOf(acknowledged.get(s.id()));
            }
            SnapshotPiece delta = taken.get(2).pieces().get(2);
            Path file = base.resolve("snapshots").resolve("pieces").resolve(delta.id() + ".piece");
            byte[] bytes = Files.readAllBytes(file);
            bytes[bytes.length - 3] ^= 0x01;
            Files.write(file, bytes);
            List<VectorEntry> before = contents(fresh);
            assertThatThrownBy(() -> p.restoreSnapshot(taken.get(3).id())).isInstanceOf(CorruptedStateException.class)
                    .hasMessageContaining(delta.id());
            assertThat(contents(fresh)).containsExactlyElementsOf(before);
            p.restoreSnapshot(taken.get(5).id()); // its own base: untouched by the damage
            assertThat(contents(fresh)).containsExactlyElementsOf(acknowledged.get(taken.get(5).id()));
        }
    }

    /** Inserts, updates, deletes and re-inserts a few entries. */
    private static void change(VectorDB db, Random random, int round) {
        List<VectorEntry> now = contents(db);
        for (int i = 0; i < 5; i++) {
            db.insert(new VectorEntry("r" + round + "-" + i, TestStates.randomVector(random, DIM),
                    Map.of("round", (long) round, "tag", "t" + i)));
        }
        VectorEntry updated = now.get(random.nextInt(now.size()));
        db.insert(new VectorEntry(updated.id(), TestStates.randomVector(random, DIM), Map.of("updated", true)));
        for (int i = 0; i < 3; i++) {
            db.delete(now.get(random.nextInt(now.size())).id());
        }
        VectorEntry again = now.get(random.nextInt(now.size()));
        db.delete(again.id());
        db.insert(again); // re-inserted: moves to the end
    }
}
