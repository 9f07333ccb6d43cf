package dev.vecpersist.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 15, item 3: {@code vecpersist snapshots list} run in a loop beside a process that creates
 * snapshots must neither fail nor make a snapshot fail or vanish (read-only commands never delete),
 * and {@code snapshots delete} is refused while that process owns the directory.
 */
class SnapshotsRaceTest {

    private static final int ITERATIONS = 200;

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void listingInALoopBesideASnapshottingProcessLosesNothing() throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        CountDownLatch firstSnapshot = new CountDownLatch(1);
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                SnapshottingProcess.class.getName(), dir.toString()).redirectErrorStream(true).start();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    lines.add(line);
                    if (line.startsWith("CREATED")) {
                        firstSnapshot.countDown();
                    }
                }
            } catch (java.io.IOException e) {
                lines.add("READER " + e);
            }
        });
        reader.start();
        List<String> cliFailures = new ArrayList<>();
        int createdDuringLoop;
        CliTest.Result delete;
        try {
            assertThat(firstSnapshot.await(5, TimeUnit.MINUTES)).as("the child started snapshotting: %s", lines).isTrue();
            int before = created(lines).size();
            for (int i = 0; i < ITERATIONS; i++) {
                CliTest.Result r = CliTest.run("snapshots", "list", "--dir", dir.toString());
                if (r.code() != 0) {
                    cliFailures.add(r.err());
                }
                Thread.sleep(2); // lets the child's snapshots interleave with the listings
            }
            createdDuringLoop = created(lines).size() - before;
            delete = CliTest.run("snapshots", "delete", "--dir", dir.toString(), created(lines).get(0));
        } finally {
            try (OutputStream stop = child.getOutputStream()) {
                stop.write('\n');
            }
            assertThat(child.waitFor(5, TimeUnit.MINUTES)).isTrue();
            reader.join();
        }
        List<String> created = created(lines);
        List<String> failed = lines.stream().filter(l -> l.startsWith("FAILED")).toList();
        CliTest.Result finalList = CliTest.run("snapshots", "list", "--dir", dir.toString());
        List<String> lost = created.stream().filter(id -> !finalList.out().contains(id)).toList();
        System.out.printf("snapshots race: %d listings, %d CLI failures, %d snapshots created (%d during the listings), "
                + "%d failed, %d lost%n", ITERATIONS, cliFailures.size(), created.size(), createdDuringLoop, failed.size(),
                lost.size());
        assertThat(createdDuringLoop).as("snapshots were being created while listing").isPositive();
        assertThat(cliFailures).isEmpty();
        assertThat(failed).isEmpty();
        assertThat(lost).isEmpty();
        assertThat(finalList.out()).contains(created.size() + " snapshot(s)");
        assertThat(delete.code()).as("delete while the directory is owned").isEqualTo(VecPersistCli.FAILED);
        assertThat(delete.err()).contains("in use");
    }

    private static List<String> created(List<String> lines) {
        return lines.stream().filter(l -> l.startsWith("CREATED ")).map(l -> l.substring("CREATED ".length())).toList();
    }
}
