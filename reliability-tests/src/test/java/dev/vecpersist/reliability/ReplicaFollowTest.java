package dev.vecpersist.reliability;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One writer JVM commits (incremental saves, compaction every fourth) while two follower JVMs follow
 * the directory read-only: every version a follower held must be one the writer committed, with the
 * same content, and after the writer stops each follower holds the writer's final state.
 */
class ReplicaFollowTest {

    @TempDir
    Path dir;

    @Test
    void followersOnlyEverHoldCommittedVersionsAndConverge() throws Exception {
        Path base = dir.resolve("data");
        Path stop = dir.resolve("stop");
        int rounds = Trials.scaled(60);
        List<Process> followers = new ArrayList<>();
        List<Path> followerLogs = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Path log = dir.resolve("follower-" + i + ".log");
            followerLogs.add(log);
            // the first polls find nothing committed yet
            followers.add(start(ReplicaWorkers.Follower.class, dir.resolve("follower-" + i + ".out"),
                    base.toString(), log.toString(), stop.toString(), i == 0 ? "5" : "20"));
        }
        Path writerLog = dir.resolve("writer.log");
        Process writer = start(ReplicaWorkers.Writer.class, dir.resolve("writer.out"), base.toString(),
                writerLog.toString(), Integer.toString(rounds), "42");
        boolean writerDone = writer.waitFor(120, TimeUnit.SECONDS);
        Files.createFile(stop);
        for (Process f : followers) {
            assertThat(f.waitFor(60, TimeUnit.SECONDS)).as("follower exits").isTrue();
        }
        assertThat(writerDone).as("writer finishes").isTrue();
        assertThat(writer.exitValue()).as("writer: " + Files.readString(dir.resolve("writer.out"))).isZero();

        Map<String, String> committed = new LinkedHashMap<>();
        for (String line : Files.readAllLines(writerLog)) {
            String[] f = line.split(" ");
            committed.put(f[1], f[2]);
        }
        assertThat(committed).hasSize(rounds);
        String lastVersion = new ArrayList<>(committed.keySet()).get(committed.size() - 1);

        int incremental = 0;
        int full = 0;
        for (int i = 0; i < followers.size(); i++) {
            assertThat(followers.get(i).exitValue()).as("follower " + i + ": "
                    + Files.readString(dir.resolve("follower-" + i + ".out"))).isZero();
            List<String> lines = Files.readAllLines(followerLogs.get(i));
            int held = 0;
            String previous = null;
            for (String line : lines) {
                String[] f = line.split(" ");
                switch (f[0]) {
                    case "HELD" -> {
                        held++;
                        assertThat(committed).as("follower %d held %s", i, f[1]).containsEntry(f[1], f[2]);
                        if (previous != null) {
                            assertThat(order(f[1])).as("versions only move forward").isGreaterThan(order(previous));
                        }
                        previous = f[1];
                        if (f[3].equals("full")) {
                            full++;
                        } else {
                            incremental++;
                        }
                    }
                    case "FINAL" -> {
                        assertThat(f[1]).as("follower %d converges", i).isEqualTo(lastVersion);
                        assertThat(f[2]).isEqualTo(committed.get(lastVersion));
                    }
                    case "ERROR" -> assertThat(line).as("only 'the directory kept changing' may be reported")
                            .startsWith("ERROR changing");
                    default -> throw new AssertionError("unexpected line " + line);
                }
            }
            assertThat(lines).last().asString().startsWith("FINAL");
            assertThat(held).as("follower %d followed several versions", i).isGreaterThan(3);
        }
        System.out.printf("replica follow test: %d commits, followers applied %d versions incrementally and %d in full%n",
                committed.size(), incremental, full);
        assertThat(incremental).as("new deltas applied incrementally").isPositive();
        assertThat(full).as("new bases (compaction) reloaded").isGreaterThan(2);
    }

    /** "gen+deltas" as one sortable number. */
    private static long order(String version) {
        String[] p = version.split("\\+");
        return Long.parseLong(p[0]) * 1_000_000 + Long.parseLong(p[1]);
    }

    private static Process start(Class<?> main, Path output, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-cp", System.getProperty("java.class.path"),
                main.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
    }
}
