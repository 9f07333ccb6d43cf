package dev.vecpersist.core;

import dev.vecpersist.api.Metric;
import dev.vecpersist.api.ProgressListener;
import dev.vecpersist.core.io.AtomicFile;
import dev.vecpersist.core.io.StaleTemps;
import dev.vecpersist.testkit.TestStates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A standalone {@code save(path)} killed in mid-write leaves a temporary file beside the target
 * (issue 23, item 4): the next save or load of that target removes it, as long as no live process
 * owns it.
 */
class StaleTempsTest {

    @TempDir
    Path dir;

    @Test
    void theNextSaveOrLoadOfATargetRemovesWhatAKilledSaveLeftBesideIt() throws Exception {
        Path target = dir.resolve("state.json");
        Path leftover = killMidSave(target);
        assertThat(leftover.getFileName().toString()).startsWith(".state.json" + AtomicFile.TEMP_MARKER);
        assertThat(StaleTemps.of(target)).containsExactly(leftover);

        // a temporary file this (live) process owns is kept: it may be a save in flight
        Path live = AtomicFile.tempSibling(target, "");
        Files.writeString(live, "in flight");
        Path otherTarget = dir.resolve("other.json");
        Path othersLeftover = killMidSave(otherTarget);

        VectorDB db = new VectorDB(4, Metric.COSINE);
        db.insertBatch(TestStates.entries(20, 4, 2));
        try (DatabasePersistence p = new DatabasePersistence(db, PersistenceOptions.builder().baseDir(dir.resolve("w")).build())) {
            p.save(target);
            assertThat(leftover).doesNotExist();
            assertThat(live).exists();
            assertThat(othersLeftover).as("a temporary file of another target").exists();

            Path again = killMidSave(target);
            assertThat(again).exists();
            p.load(target);
            assertThat(again).doesNotExist();
            assertThat(db.size()).isEqualTo(20);
        }
        assertThat(live).exists();
        assertThat(StaleTemps.in(dir)).containsExactly(othersLeftover);
    }

    @Test
    void theOwnerIsReadFromTheName() {
        Path temp = AtomicFile.tempSibling(dir.resolve("x.bin"), ".scratch");
        assertThat(StaleTemps.ownerOf(temp)).hasValue(ProcessHandle.current().pid());
        // a name without a process id (written by an older version) has no owner
        assertThat(StaleTemps.ownerOf(dir.resolve(".x.bin.tmp-12345678-1234-1234-1234-123456789012"))).isEmpty();
    }

    /** Starts a child JVM saving {@code target}, kills it (SIGKILL) in mid-write, returns its temporary file. */
    private Path killMidSave(Path target) throws Exception {
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), SaveAndHang.class.getName(), target.toString(),
                dir.resolve("child-" + System.nanoTime()).toString())
                .redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null && !line.equals("writing")) {
                // the child's log lines
            }
            assertThat(line).as("the child reached mid-write").isEqualTo("writing");
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        String prefix = "." + target.getFileName() + AtomicFile.TEMP_MARKER + child.pid() + "-";
        try (Stream<Path> files = Files.list(target.getParent())) {
            List<Path> left = files.filter(f -> f.getFileName().toString().startsWith(prefix)).toList();
            assertThat(left).hasSize(1);
            return left.get(0);
        }
    }

    /** Runs in the child JVM: saves 5,000 entries to {@code args[0]} and hangs half way through. */
    public static final class SaveAndHang {
        public static void main(String[] args) {
            VectorDB db = new VectorDB(4, Metric.COSINE);
            db.insertBatch(TestStates.entries(5000, 4, 3));
            ProgressListener hang = p -> {
                if (p.current() >= 2500) {
                    System.out.println("writing");
                    System.out.flush();
                    try {
                        Thread.sleep(Long.MAX_VALUE);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            };
            try (DatabasePersistence p = new DatabasePersistence(db,
                    PersistenceOptions.builder().baseDir(Path.of(args[1])).batchSize(100).build())) {
                p.save(Path.of(args[0]), hang);
            }
        }
    }
}
