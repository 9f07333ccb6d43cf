package dev.vecpersist.reliability;

import dev.vecpersist.api.Metric;
import dev.vecpersist.api.SnapshotMetadata;
import dev.vecpersist.api.VectorEntry;
import dev.vecpersist.core.DatabasePersistence;
import dev.vecpersist.core.PersistenceOptions;
import dev.vecpersist.core.VectorDB;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kills a saving child JVM with SIGKILL at random moments, then checks that a fresh manager loads
 * exactly the last completed save, or the save that was in flight (it may have committed before
 * the kill): never an error, never a mix. Every snapshot listed must restore.
 */
class CrashTest {

    private static final String[][] PLUGINS = {{"msgpack", "none"}, {"json", "gzip"}, {"sqlite", "none"},
            {"msgpack", "lz4"}, {"json", "none"}, {"sqlite", "brotli"}};

    @TempDir
    Path dir;

    @Test
    void theLastCompletedSaveSurvivesEveryKill() throws Exception {
        int kills = Trials.scaled(50);
        Random random = new Random(2026);
        Path base = dir.resolve("base");
        Path log = dir.resolve("log.txt");
        int verifiedStates = 0;
        int inFlightCommitted = 0;
        int snapshotsRestored = 0;
        for (int kill = 0; kill < kills; kill++) {
            String[] plugin = PLUGINS[kill % PLUGINS.length];
            boolean empty = !Files.exists(base.resolve("MANIFEST.json"));
            long logLines = Files.exists(log) ? Files.readAllLines(log).size() : 0;
            Process child = startChild(base, log, plugin, random.nextLong());
            waitUntilReady(child);
            if (empty) {
                // nothing committed yet: let the first save complete, however slow the machine, so that
                // every later child starts from a committed state and the kills land in its saves
                awaitFirstSave(child, log, logLines);
            }
            Thread.sleep(20 + random.nextInt(400));
            child.destroyForcibly();          // SIGKILL on Linux
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();

            List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
            assertThat(lines).as("the child failed: %s", lines).noneMatch(l -> l.startsWith("failed"));
            Integer lastEnd = null;
            Integer inFlight = null;
            for (String line : lines) {
                String[] parts = line.split(" ");
                if (parts[0].equals("end") && !parts[1].equals("snapshot")) {
                    lastEnd = Integer.parseInt(parts[2]);
                    inFlight = null;
                } else if (parts[0].equals("begin")) {
                    inFlight = parts[1].equals("snapshot") ? null : Integer.parseInt(parts[2]);
                } else if (parts[0].equals("end")) {
                    inFlight = null;
                }
            }
            if (lastEnd == null && inFlight == null) {
                continue; // killed before its first save completed or began: nothing to check yet
            }
            VectorDB loaded = new VectorDB(CrashWorker.DIMENSION, Metric.COSINE);
            try (DatabasePersistence p = new DatabasePersistence(loaded, PersistenceOptions.builder().baseDir(base).build())) {
                if (lastEnd == null && !Files.exists(p.manifestFile())) {
                    continue; // the first save was in flight and did not commit
                }
                p.load();
                int fingerprint = Trials.fingerprint(Trials.contents(loaded));
                Set<Integer> allowed = new HashSet<>();
                if (lastEnd != null) {
                    allowed.add(lastEnd);
                }
                if (inFlight != null) {
                    allowed.add(inFlight);
                }
                assertThat(allowed).as("kill %d (%s/%s): loaded state must be the last completed save or the one in flight",
                        kill, plugin[0], plugin[1]).contains(fingerprint);
                verifiedStates++;
                if (inFlight != null && fingerprint == inFlight) {
                    inFlightCommitted++;
                }
                for (SnapshotMetadata s : p.listSnapshots()) {
                    VectorDB restored = new VectorDB(CrashWorker.DIMENSION, Metric.COSINE);
                    try (DatabasePersistence q = new DatabasePersistence(restored,
                            PersistenceOptions.builder().baseDir(dir.resolve("restore")).build())) {
                        q.importFrom(dev.vecpersist.core.ImportOptions.from(base.resolve("snapshots").resolve(s.id() + ".data")).build());
                    }
                    List<VectorEntry> content = Trials.contents(restored);
                    assertThat((long) Trials.fingerprint(content)).as("snapshot %s", s.name())
                            .isEqualTo(s.metadata().get("fingerprint"));
                    snapshotsRestored++;
                }
            }
        }
        System.out.printf("crash test: %d kills, %d loads verified (%d found the in-flight save committed), "
                + "%d snapshot restores verified%n", kills, verifiedStates, inFlightCommitted, snapshotsRestored);
        assertThat(verifiedStates).isGreaterThan(kills / 2);
    }

    private static Process startChild(Path base, Path log, String[] plugin, long seed) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-cp", System.getProperty("java.class.path"),
                CrashWorker.class.getName(), base.toString(), log.toString(), plugin[0], plugin[1], Long.toString(seed)));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.PIPE).start();
    }

    private static void awaitFirstSave(Process child, Path log, long linesBefore) throws Exception {
        for (int i = 0; i < 600; i++) {
            List<String> lines = Files.readAllLines(log);
            if (lines.stream().skip(linesBefore).anyMatch(l -> l.startsWith("end "))) {
                return;
            }
            assertThat(child.isAlive()).as("the child died before its first save: %s", lines).isTrue();
            Thread.sleep(100);
        }
        throw new AssertionError("the child completed no save in 60 s");
    }

    private static void waitUntilReady(Process child) throws Exception {
        BufferedReader reader = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        String line;
        StringBuilder seen = new StringBuilder();
        while ((line = reader.readLine()) != null) {
            seen.append(line).append('\n');
            if (line.startsWith("ready")) {
                // keep draining in the background so the child never blocks on a full pipe
                Thread drain = new Thread(() -> {
                    try {
                        child.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
                    } catch (java.io.IOException ignored) {
                        // the child was killed
                    }
                });
                drain.setDaemon(true);
                drain.start();
                return;
            }
        }
        throw new AssertionError("the child exited before it was ready:\n" + seen);
    }

}
