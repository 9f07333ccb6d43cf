package dev.vecpersist.reliability;

import dev.vecpersist.api.Metric;
import dev.vecpersist.api.SnapshotMetadata;
import dev.vecpersist.api.SnapshotPiece;
import dev.vecpersist.core.DatabasePersistence;
import dev.vecpersist.core.VectorDB;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kills a child JVM with SIGKILL at random moments while it takes differential snapshots with
 * changes in between ({@link DiffSnapshotWorker}); after each kill every listed snapshot must
 * restore, verified, to exactly the content the worker announced for it, and the newest acknowledged
 * snapshot must be listed. Pieces a kill left unreferenced are collected by the next snapshot.
 */
class DiffSnapshotCrashTest {

    @TempDir
    Path dir;

    @Test
    void aDifferentialSnapshotKilledAtAnyMomentLeavesEveryListedSnapshotRestorable() throws Exception {
        Path base = dir.resolve("base");
        Random random = new Random(23);
        Map<String, Integer> announced = new HashMap<>();
        int kills = Trials.scaled(6);
        int restored = 0;
        int deltas = 0;
        int midSnapshot = 0;
        for (int kill = 0; kill < kills; kill++) {
            Path log = dir.resolve("child-" + kill + ".log");
            Process child = start(base, kill, log);
            waitUntilReady(child, log);
            Thread.sleep(300 + random.nextInt(1500));
            child.destroyForcibly(); // SIGKILL on Linux
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();

            String newestAck = null;
            List<String> lines = Files.readAllLines(log);
            if (!lines.isEmpty() && lines.get(lines.size() - 1).startsWith("taking")) {
                midSnapshot++; // the kill landed while a snapshot was being made
            }
            for (String line : lines) {
                String[] f = line.split(" ");
                if (f[0].equals("taking")) {
                    announced.put(f[1], Integer.parseInt(f[2]));
                } else if (f[0].equals("ack")) {
                    newestAck = f[2];
                }
            }
            VectorDB db = new VectorDB(DiffSnapshotWorker.DIMENSION, Metric.COSINE);
            try (DatabasePersistence p = new DatabasePersistence(db, DiffSnapshotWorker.options(base))) {
                List<SnapshotMetadata> snapshots = p.listSnapshots();
                if (newestAck != null) {
                    assertThat(snapshots).extracting(SnapshotMetadata::id).as("kill %d", kill).contains(newestAck);
                }
                for (SnapshotMetadata s : snapshots) {
                    assertThat(s.isDifferential()).isTrue();
                    assertThat(announced).as("kill %d: snapshot %s was announced", kill, s.name()).containsKey(s.name());
                    db.clear();
                    p.restoreSnapshot(s.id());
                    assertThat(Trials.fingerprint(Trials.contents(db))).as("kill %d: snapshot %s", kill, s.name())
                            .isEqualTo(announced.get(s.name()));
                    restored++;
                    deltas += s.pieces().size() - 1;
                }
            }
        }
        VectorDB db = new VectorDB(DiffSnapshotWorker.DIMENSION, Metric.COSINE);
        try (DatabasePersistence p = new DatabasePersistence(db, DiffSnapshotWorker.options(base))) {
            p.restoreSnapshot(p.listSnapshots().get(0).id());
            p.createSnapshot("final");
            Set<String> referenced = new HashSet<>();
            for (SnapshotMetadata s : p.listSnapshots()) {
                s.pieces().stream().map(SnapshotPiece::id).forEach(referenced::add);
            }
            try (Stream<Path> pieces = Files.list(base.resolve("snapshots").resolve("pieces"))) {
                assertThat(pieces.map(f -> f.getFileName().toString().replace(".piece", "")))
                        .as("only referenced pieces remain, no temporaries").containsExactlyInAnyOrderElementsOf(referenced);
            }
        }
        assertThat(deltas).as("some snapshots were deltas").isPositive();
        System.out.printf("differential snapshot crash test: %d kills (%d while a snapshot was being made), %d snapshots "
                + "announced, %d restores verified (%d delta pieces among them)%n", kills, midSnapshot, announced.size(),
                restored, deltas);
    }

    private static Process start(Path base, int run, Path log) throws Exception {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                DiffSnapshotWorker.class.getName(), base.toString(), String.valueOf(run));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static void waitUntilReady(Process child, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (Files.exists(log) && Files.readString(log).contains("ready")) {
                return;
            }
            if (!child.isAlive()) {
                throw new AssertionError("the child exited before it was ready:\n" + Files.readString(log));
            }
            Thread.sleep(10);
        }
        throw new AssertionError("the child did not get ready within 60 s");
    }
}
