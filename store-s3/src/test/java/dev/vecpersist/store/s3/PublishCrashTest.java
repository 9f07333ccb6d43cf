package dev.vecpersist.store.s3;

import dev.vecpersist.api.DirectoryChangingException;
import dev.vecpersist.api.Metric;
import dev.vecpersist.core.DatabasePersistence;
import dev.vecpersist.core.PersistenceOptions;
import dev.vecpersist.core.ReplicaListener;
import dev.vecpersist.core.VectorDB;
import dev.vecpersist.testkit.Fingerprints;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A writer JVM publishing to S3Mock is killed with SIGKILL 20 times, at varying moments of its
 * commit-and-publish loop, while a replica in this JVM follows the bucket: the replica only ever holds
 * versions the writer committed whole (their fingerprints are in the writer's log), and once a new
 * writer resumes and finishes, it holds the writer's final state.
 *
 * <p>History (2026-12-01): it failed in 4 of its first 7 runs, on a manifest read torn by S3Mock's
 * non-atomic overwrite (replicas now re-read a damaged manifest before reporting it), and on replica
 * polls that waited a whole socket timeout for a GET S3Mock held while a killed writer's PUT was
 * open (the replica now uses a 2 s socket timeout; such a poll fails and the next one retries). After
 * those changes it passed 7 of 7 runs before joining the default build.
 */
class PublishCrashTest {

    private static final int KILLS = 20;

    @TempDir
    Path dir;

    @Test
    void aReplicaNeverHoldsAPartialVersionAndConvergesAfterTheWriterResumes() throws Exception {
        S3TestServer s3 = S3MockServer.shared();
        String bucket = s3.newBucket();
        String endpoint = s3.endpoint().toString();
        Path base = dir.resolve("data");
        Path log = dir.resolve("writer.log");
        Files.createFile(log);

        record Held(String version, String fingerprint, boolean full) {
        }
        List<Held> held = new CopyOnWriteArrayList<>();
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        VectorDB copy = new VectorDB(PublishWorker.DIMENSION, Metric.COSINE);
        PersistenceOptions cache = PersistenceOptions.builder().baseDir(dir.resolve("cache")).build();
        // a replica should not wait a whole default socket timeout on a request a killed writer left
        // S3Mock stuck on: it fails that poll fast and the next one retries
        Map<String, String> replicaSettings = new HashMap<>(PublishWorker.settings(endpoint, bucket));
        replicaSettings.put(S3StoreSettings.SOCKET_TIMEOUT_MS, "2000");
        try (DatabasePersistence replica = DatabasePersistence.followRemote(copy, "s3", replicaSettings, cache)) {
            replica.addReplicaListener(new ReplicaListener() {
                @Override
                public void onApplied(Applied a) {
                    // on the follow thread, right after the switch: nothing else writes to copy
                    held.add(new Held(a.version().toString(), Fingerprints.of(copy), a.full()));
                }

                @Override
                public void onError(Throwable error) {
                    errors.add(error);
                }
            });
            replica.follow(Duration.ofMillis(20));

            int killedWhileBehind = 0;
            for (int kill = 0; kill < KILLS; kill++) {
                int before = count(log, "COMMIT");
                Process writer = start(dir.resolve("writer-" + kill + ".out"), base, log, endpoint, bucket, 0, kill);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (count(log, "COMMIT") == before && writer.isAlive() && System.nanoTime() < deadline) {
                    Thread.sleep(5);
                }
                assertThat(writer.isAlive()).as("writer %d runs: %s", kill,
                        Files.readString(dir.resolve("writer-" + kill + ".out"))).isTrue();
                Thread.sleep((kill * 53L) % 400); // kill at a different point of the loop each time
                writer.destroyForcibly(); // SIGKILL
                assertThat(writer.waitFor(10, TimeUnit.SECONDS)).isTrue();
                if (lastPending(log) != null && !lastPending(log).equals(lastCommitted(log))) {
                    killedWhileBehind++; // between its save starting and its publish returning
                }
            }

            Process last = start(dir.resolve("writer-final.out"), base, log, endpoint, bucket, 6, KILLS);
            assertThat(last.waitFor(60, TimeUnit.SECONDS)).as("the resumed writer finishes").isTrue();
            assertThat(last.exitValue()).as(Files.readString(dir.resolve("writer-final.out"))).isZero();
            replica.stopFollowing();
            replica.refresh();

            Set<String> pending = new HashSet<>();
            Map<String, String> committed = new HashMap<>();
            String lastVersion = null;
            for (String line : Files.readAllLines(log)) {
                String[] f = line.split(" ");
                if (f[0].equals("PENDING")) {
                    pending.add(f[1]);
                } else {
                    committed.put(f[1], f[2]);
                    lastVersion = f[1];
                }
            }
            assertThat(held).as("the replica followed").hasSizeGreaterThan(KILLS);
            for (Held h : held) {
                assertThat(pending).as("version %s held by the replica is content the writer committed", h.version())
                        .contains(h.fingerprint());
                if (committed.containsKey(h.version())) {
                    assertThat(h.fingerprint()).as("version %s", h.version()).isEqualTo(committed.get(h.version()));
                }
            }
            assertThat(replica.version().orElseThrow().toString()).as("converged").isEqualTo(lastVersion);
            assertThat(Fingerprints.of(copy)).isEqualTo(committed.get(lastVersion));
            // a failed poll is fine (the next one retries) when the store kept changing, or when the store
            // timed out a request (S3Mock holds a GET of the manifest while a killed writer's PUT of it
            // is still open); never a corrupt or partial state
            assertThat(errors).as("only 'the store kept changing' or a timed-out request")
                    .allSatisfy(e -> assertThat(e instanceof DirectoryChangingException
                            || String.valueOf(e.getMessage()).contains("timed out")).as(e.toString()).isTrue());
            long full = held.stream().filter(Held::full).count();
            System.out.printf("publish crash test: %d kills (%d between a save and its publish), %d commits logged, "
                    + "replica applied %d versions (%d in full), %d polls failed%n", KILLS, killedWhileBehind,
                    committed.size(), held.size(), full, errors.size());
            assertThat(full).as("compactions reloaded").isGreaterThan(1);
            assertThat(held.size() - full).as("deltas applied incrementally").isPositive();
        }
    }

    private static int count(Path log, String kind) throws Exception {
        return (int) Files.readAllLines(log).stream().filter(l -> l.startsWith(kind + " ")).count();
    }

    private static String lastPending(Path log) throws Exception {
        return last(log, "PENDING", 1);
    }

    private static String lastCommitted(Path log) throws Exception {
        return last(log, "COMMIT", 2);
    }

    private static String last(Path log, String kind, int field) throws Exception {
        String found = null;
        for (String line : Files.readAllLines(log)) {
            String[] f = line.split(" ");
            if (f[0].equals(kind) && f.length > field) {
                found = f[field];
            }
        }
        return found;
    }

    private static Process start(Path output, Path base, Path log, String endpoint, String bucket, int rounds,
                                 long seed) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-XX:+UseSerialGC",
                "-Daws.disableEc2Metadata=true", "-cp", System.getProperty("java.class.path"),
                PublishWorker.class.getName(), base.toString(), log.toString(), endpoint, bucket,
                Integer.toString(rounds), Long.toString(seed)));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
    }
}
