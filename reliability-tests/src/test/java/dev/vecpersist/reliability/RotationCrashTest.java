package dev.vecpersist.reliability;

import dev.vecpersist.api.Metric;
import dev.vecpersist.api.SnapshotMetadata;
import dev.vecpersist.api.SnapshotPiece;
import dev.vecpersist.api.VectorEntry;
import dev.vecpersist.core.DatabasePersistence;
import dev.vecpersist.core.SnapshotMode;
import dev.vecpersist.core.VectorDB;
import dev.vecpersist.testkit.TestStates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kills a child JVM with SIGKILL at random moments while it rotates keys ({@code reencrypt()} in a
 * loop, see {@link RotationWorker}), then checks that the committed chain loads the original
 * content with both keys configured, that every snapshot (full and differential) restores its
 * content, and that a completed rotation afterwards leaves exactly the original snapshots and the
 * pieces they list, all under the new primary key.
 */
class RotationCrashTest {

    @TempDir
    Path dir;

    @Test
    void aRotationKilledAtAnyMomentLeavesALoadableState() throws Exception {
        Path base = dir.resolve("base");
        VectorDB db = new VectorDB(RotationWorker.DIMENSION, Metric.COSINE);
        db.insertBatch(TestStates.mixedMetadataEntries(3000, RotationWorker.DIMENSION, 11));
        try (DatabasePersistence p = new DatabasePersistence(db, RotationWorker.options(base, RotationWorker.K1_FIRST))) {
            p.save();
            db.delete("vec-5");
            db.insertBatch(TestStates.entries(500, RotationWorker.DIMENSION, 12));
            p.saveIncremental();
            p.createSnapshot("a", Map.of());
            p.createSnapshot("b", Map.of());
        }
        List<VectorEntry> expected = Trials.contents(db);
        int expectedFingerprint = Trials.fingerprint(expected);
        // differential snapshots too: "c" a base piece, "d" that piece and a delta
        Map<String, List<VectorEntry>> snapshotContents = new java.util.HashMap<>(Map.of("a", expected, "b", expected,
                "c", expected));
        try (DatabasePersistence p = new DatabasePersistence(db, RotationWorker.options(base, RotationWorker.K1_FIRST)
                .toBuilder().snapshotMode(SnapshotMode.DIFFERENTIAL).build())) {
            p.createSnapshot("c", Map.of());
            db.delete("vec-7");
            db.insertBatch(TestStates.entries(200, RotationWorker.DIMENSION, 13));
            p.createSnapshot("d", Map.of());
            snapshotContents.put("d", Trials.contents(db));
        }
        Random random = new Random(19);
        int kills = Trials.scaled(8);
        int midRotation = 0;
        int bothCopies = 0;
        for (int kill = 0; kill < kills; kill++) {
            Path log = dir.resolve("child-" + kill + ".log");
            Process child = start(base, log);
            waitUntilReady(child, log);
            Thread.sleep(random.nextInt(3000));
            child.destroyForcibly(); // SIGKILL on Linux
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();

            if (keyIdsOnDisk(base).size() > 1) {
                midRotation++; // files under both keys: the kill interrupted a rotation
            }
            VectorDB loaded = new VectorDB(RotationWorker.DIMENSION, Metric.COSINE);
            try (DatabasePersistence p = new DatabasePersistence(loaded, RotationWorker.options(base, RotationWorker.K2_FIRST))) {
                p.load();
                assertThat(Trials.fingerprint(Trials.contents(loaded))).as("kill %d: the chain", kill)
                        .isEqualTo(expectedFingerprint);
                List<SnapshotMetadata> snapshots = p.listSnapshots();
                // an interrupted snapshot rotation may leave the old and the new copy of one snapshot
                assertThat(snapshots).extracting(SnapshotMetadata::name).contains("a", "b", "c", "d").hasSizeBetween(4, 5);
                bothCopies += snapshots.size() - 4;
                for (SnapshotMetadata s : snapshots) {
                    loaded.clear();
                    p.restoreSnapshot(s.id());
                    assertThat(Trials.contents(loaded)).as("kill %d: snapshot %s", kill, s.name())
                            .isEqualTo(snapshotContents.get(s.name()));
                }
            }
        }
        VectorDB loaded = new VectorDB(RotationWorker.DIMENSION, Metric.COSINE);
        try (DatabasePersistence p = new DatabasePersistence(loaded, RotationWorker.options(base, RotationWorker.K2_FIRST))) {
            p.reencrypt();
            List<SnapshotMetadata> snapshots = p.listSnapshots();
            assertThat(snapshots).extracting(SnapshotMetadata::name).containsExactlyInAnyOrder("a", "b", "c", "d");
            // the pieces left are exactly those listed (shared: 2), all under k2 like every other file
            assertThat(piecesOnDisk(base)).containsExactlyInAnyOrderElementsOf(snapshots.stream()
                    .flatMap(s -> s.pieces().stream()).map(SnapshotPiece::id).distinct().toList()).hasSize(2);
            assertThat(keyIdsOnDisk(base)).containsExactly("k2");
        }
        // after a completed rotation the older key can be dropped
        try (DatabasePersistence p = new DatabasePersistence(loaded, RotationWorker.options(base,
                dev.vecpersist.core.crypto.EncryptionKeys.of("k2", EncryptedCorruptionMatrixTest.key(2))))) {
            p.load();
            assertThat(Trials.fingerprint(Trials.contents(loaded))).isEqualTo(expectedFingerprint);
            for (SnapshotMetadata s : p.listSnapshots()) {
                p.restoreSnapshot(s.id());
                assertThat(Trials.contents(loaded)).as("snapshot %s", s.name()).isEqualTo(snapshotContents.get(s.name()));
            }
        }
        System.out.printf("rotation crash test: %d kills (%d left files under both keys, %d both copies of a snapshot), "
                + "the chain and every snapshot loaded after each%n", kills, midRotation, bothCopies);
    }

    /** The key ids of the state and snapshot files in the directory, read from their envelopes. */
    private static java.util.Set<String> keyIdsOnDisk(Path base) throws java.io.IOException {
        java.util.Set<String> ids = new java.util.HashSet<>();
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.walk(base)) {
            for (Path f : files.filter(java.nio.file.Files::isRegularFile).toList()) {
                String name = f.getFileName().toString();
                // a differential snapshot's own data file is empty: its state is in its pieces
                if ((name.startsWith("state-") || name.endsWith(".data") || name.endsWith(".piece"))
                        && java.nio.file.Files.size(f) > 0) {
                    try (java.io.InputStream in = new java.io.BufferedInputStream(java.nio.file.Files.newInputStream(f))) {
                        ids.add(dev.vecpersist.core.crypto.Envelope.readKeyId(in, f));
                    }
                }
            }
        }
        return ids;
    }

    /** The ids of the committed pieces of the snapshot store. */
    private static List<String> piecesOnDisk(Path base) throws java.io.IOException {
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(base.resolve("snapshots").resolve("pieces"))) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".piece"))
                    .map(n -> n.substring(0, n.length() - ".piece".length())).toList();
        }
    }

    private static Process start(Path base, Path log) throws Exception {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                RotationWorker.class.getName(), base.toString());
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static void waitUntilReady(Process child, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (java.nio.file.Files.exists(log) && java.nio.file.Files.readString(log).contains("ready")) {
                return;
            }
            if (!child.isAlive()) {
                throw new AssertionError("the child exited before it was ready:\n" + java.nio.file.Files.readString(log));
            }
            Thread.sleep(10);
        }
        throw new AssertionError("the child did not get ready within 60 s");
    }
}
