package dev.vecpersist.reliability;

import dev.vecpersist.api.Metric;
import dev.vecpersist.core.DatabasePersistence;
import dev.vecpersist.core.PersistenceOptions;
import dev.vecpersist.core.VectorDB;
import dev.vecpersist.core.VersionInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SIGKILL during compaction with history on (issue 20): a child JVM ({@link HistoryCrashWorker})
 * commits incremental saves with {@code keepLast(8)} and a compaction every third save, and is killed
 * at random moments. After every kill a fresh manager opens the directory (removing what the crash
 * left, which must spare every retained version's files) and loads every version it lists: each
 * must load and hold exactly what the worker acknowledged for that number, or, for a version the
 * worker did not get to acknowledge, the save it had in flight. Each child uses another format and
 * codec, so the chains mix them.
 */
class HistoryCrashTest {

    private static final String[][] PLUGINS = {{"msgpack", "none"}, {"json", "gzip"}, {"sqlite", "none"},
            {"msgpack", "lz4"}, {"json", "none"}, {"sqlite", "brotli"}};

    @TempDir
    Path dir;

    @Test
    void everyRetainedVersionLoadsWhatWasAcknowledgedAfterEveryKill() throws Exception {
        int kills = Trials.scaled(12);
        Random random = new Random(2020);
        Path base = dir.resolve("base");
        Path log = dir.resolve("log.txt");
        Map<Long, Integer> acknowledged = new HashMap<>();
        int versionsVerified = 0;
        int inFlightCommitted = 0;
        int compactionsSeen = 0;
        for (int kill = 0; kill < kills; kill++) {
            String[] plugin = PLUGINS[kill % PLUGINS.length];
            long linesBefore = Files.exists(log) ? Files.readAllLines(log).size() : 0;
            Process child = startChild(base, log, plugin, random.nextLong());
            waitUntilReady(child);
            awaitCommits(child, log, linesBefore, kill == 0 ? 1 : 0);
            Thread.sleep(50 + random.nextInt(600));
            child.destroyForcibly();          // SIGKILL on Linux
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();

            List<String> lines = Files.readAllLines(log);
            assertThat(lines).as("the child failed: %s", lines).noneMatch(l -> l.startsWith("failed"));
            Integer inFlight = null;
            for (String line : lines.subList((int) linesBefore, lines.size())) {
                String[] parts = line.split(" ");
                switch (parts[0]) {
                    case "begin" -> inFlight = Integer.parseInt(parts[1]);
                    case "end", "loaded" -> {
                        Integer before = acknowledged.put(Long.parseLong(parts[1]), Integer.parseInt(parts[2]));
                        assertThat(before == null || before == Integer.parseInt(parts[2]))
                                .as("version %s acknowledged with two contents", parts[1]).isTrue();
                        inFlight = null;
                    }
                    default -> throw new AssertionError("unexpected log line: " + line);
                }
            }
            long lastAcknowledged = acknowledged.keySet().stream().mapToLong(Long::longValue).max().orElse(0);

            VectorDB loaded = new VectorDB(HistoryCrashWorker.DIMENSION, Metric.COSINE);
            try (DatabasePersistence p = new DatabasePersistence(loaded,
                    PersistenceOptions.builder().baseDir(base).history(HistoryCrashWorker.HISTORY).build())) {
                List<VersionInfo> versions = p.listVersions();
                assertThat(versions).as("kill %d", kill).isNotEmpty().hasSizeLessThanOrEqualTo(8);
                long expectedNumber = versions.get(0).number();
                for (VersionInfo v : versions) {
                    assertThat(v.number()).as("versions are consecutive").isEqualTo(expectedNumber++);
                    p.loadVersion(v.number());
                    int fingerprint = Trials.fingerprint(Trials.contents(loaded));
                    Integer expected = acknowledged.get(v.number());
                    if (expected == null) {
                        // committed, but the kill came before the worker logged it: the save in flight
                        assertThat(v.number()).as("kill %d: unacknowledged version %d", kill, v.number())
                                .isEqualTo(lastAcknowledged + 1);
                        assertThat(fingerprint).as("kill %d: version %d is the save in flight", kill, v.number())
                                .isEqualTo(inFlight);
                        acknowledged.put(v.number(), fingerprint);
                        inFlightCommitted++;
                    } else {
                        assertThat(fingerprint).as("kill %d (%s/%s): version %d", kill, plugin[0], plugin[1], v.number())
                                .isEqualTo(expected);
                    }
                    if (v.kind() == VersionInfo.Kind.COMPACTION) {
                        compactionsSeen++;
                    }
                    versionsVerified++;
                }
            }
        }
        System.out.printf("history crash test: %d kills, %d retained versions loaded and verified (%d were the save in "
                + "flight), %d compaction versions among them%n", kills, versionsVerified, inFlightCommitted, compactionsSeen);
        assertThat(versionsVerified).isGreaterThan(kills * 2);
        assertThat(compactionsSeen).isPositive();
    }

    private static Process startChild(Path base, Path log, String[] plugin, long seed) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-cp", System.getProperty("java.class.path"),
                HistoryCrashWorker.class.getName(), base.toString(), log.toString(), plugin[0], plugin[1],
                Long.toString(seed)));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.PIPE).start();
    }

    /** Waits until the child has acknowledged {@code commits} saves since {@code linesBefore} (none: returns at once). */
    private static void awaitCommits(Process child, Path log, long linesBefore, int commits) throws Exception {
        for (int i = 0; i < 600 && commits > 0; i++) {
            List<String> lines = Files.readAllLines(log);
            if (lines.stream().skip(linesBefore).filter(l -> l.startsWith("end ")).count() >= commits) {
                return;
            }
            assertThat(child.isAlive()).as("the child died before its first save: %s", lines).isTrue();
            Thread.sleep(100);
        }
        if (commits > 0) {
            throw new AssertionError("the child completed no save in 60 s");
        }
    }

    private static void waitUntilReady(Process child) throws Exception {
        BufferedReader reader = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        String line;
        StringBuilder seen = new StringBuilder();
        while ((line = reader.readLine()) != null) {
            seen.append(line).append('\n');
            if (line.startsWith("ready")) {
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
