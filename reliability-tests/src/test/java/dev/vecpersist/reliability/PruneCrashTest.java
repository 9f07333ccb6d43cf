package dev.vecpersist.reliability;

import dev.vecpersist.api.Metric;
import dev.vecpersist.api.SnapshotMetadata;
import dev.vecpersist.core.DatabasePersistence;
import dev.vecpersist.core.RetentionDecision;
import dev.vecpersist.core.VectorDB;
import dev.vecpersist.testkit.Fingerprints;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kills a {@link PruneCrashWorker} with SIGKILL, mostly while it prunes snapshots under a calendar
 * retention policy (the kill lands at a random point of a prune that has something to delete, timed
 * by the worker's previous prunes), sometimes at a random moment. After each kill, before anything else
 * opens the directory, the snapshot store's files are inspected; then it checks that:
 * <ul>
 *   <li>no snapshot is half there: a metadata file never outlives its data (the store deletes the
 *       metadata first), every complete pair is listed and nothing else; data left without metadata
 *       (a kill between the two deletes, or mid-creation) and temporary files are never listed, and
 *       the next owner of the directory removes them;</li>
 *   <li>every listed snapshot restores, verified, to the content the worker acknowledged for it (or,
 *       for the one snapshot a kill may have caught between its commit and its acknowledgement, the
 *       content it was taking);</li>
 *   <li>only a prune in flight deleted anything, and only snapshots its decision deletes, the newest
 *       first (the decision's order): a prefix of its deletions;</li>
 *   <li>pruning again finishes the job: what is kept is what the policy decides on the listed
 *       snapshots, and what the interrupted prune would have kept. Every other kill it is done in
 *       place; otherwise on a copy, and the next worker starts from the half-pruned store.</li>
 * </ul>
 * Default 16 kills ({@code -Dvecpersist.pruneCrash.kills=N} for a soak, times {@code -Dreliability.scale}).
 */
class PruneCrashTest {

    private static final String[][] PLUGINS = {{"json", "none"}, {"msgpack", "lz4"}, {"sqlite", "none"},
            {"json", "gzip"}, {"msgpack", "none"}, {"sqlite", "brotli"}};
    /** How long a prune is assumed to take per deletion before the first one has been measured. */
    private static final long FIRST_WINDOW_MICROS = 15_000;

    @TempDir
    Path dir;

    private final Random random = new Random(Long.getLong("vecpersist.pruneCrash.seed", 2026_12_01L));
    private final AcknowledgedSnapshots acked = new AcknowledgedSnapshots();
    private int killsMidPrune;
    private int partialPrunes;
    private int orphanDataFound;
    private int tempFilesFound;
    private int restored;
    private int inFlightCommitted;

    @Test
    void aPruneKilledAtAnyPointLosesNoKeptSnapshotAndPruningAgainFinishesIt() throws Exception {
        int kills = Trials.scaled(Integer.getInteger("vecpersist.pruneCrash.kills", 16));
        Path base = dir.resolve("base");
        for (int kill = 0; kill < kills; kill++) {
            String[] plugin = PLUGINS[kill % PLUGINS.length];
            Path log = dir.resolve("worker-" + kill + ".log");
            Files.createFile(log);
            try (ChildProcess child = ChildProcess.start(PruneCrashWorker.class, base.toString(), log.toString(),
                    plugin[0], plugin[1], Long.toString(random.nextLong()))) {
                child.awaitLine("ready", 1, 60);
                killSomewhere(child);
            }
            acked.replay(Files.readAllLines(log));
            String context = "kill " + kill + " (" + plugin[0] + "/" + plugin[1] + ", log " + log + ")";
            RetentionDecision interrupted = checkAfterKill(base, context);
            finishPrune(kill % 2 == 0 ? base : copyOf(base, dir.resolve("copy-" + kill)), interrupted, context);
        }
        System.out.printf("prune crash test: %d kills, %d during a prune (%d of them with the prune partly done), "
                        + "%d snapshots committed but not acknowledged, %d prunes completed by workers, %d snapshot "
                        + "restores verified, leftovers found: %d data files without metadata, %d temporary files%n",
                kills, killsMidPrune, partialPrunes, inFlightCommitted, acked.prunesReplayed(), restored,
                orphanDataFound, tempFilesFound);
        assertThat(partialPrunes).as("kills that landed between two deletes of a prune").isPositive();
        assertThat(restored).isPositive();
    }

    /**
     * Three kills in four land in a prune that has snapshots to delete: a random delay after it
     * began, up to 1.3 times what its deletes should take (the last prune's time per deletion).
     */
    private void killSomewhere(ChildProcess child) throws Exception {
        if (random.nextInt(4) != 0) {
            int planned = child.awaitCount("pruning ", 1, 120);
            long perDeletion = acked.microsPerDeletion() > 0 ? acked.microsPerDeletion() : FIRST_WINDOW_MICROS;
            LockSupport.parkNanos(random.nextLong(Math.max(planned * perDeletion * 13 / 10, 1000) * 1000));
        } else {
            Thread.sleep(50 + random.nextInt(1500));
        }
        child.kill();
    }

    /**
     * The checks after a kill; returns the decision of the prune the kill interrupted (null when
     * none was running or nothing was left to delete).
     */
    private RetentionDecision checkAfterKill(Path base, String context) {
        Path store = base.resolve("snapshots");
        StoreFiles found = StoreFiles.scan(store);
        assertThat(found.metadataWithoutData()).as("%s: snapshot metadata left without its data", context).isEmpty();
        orphanDataFound += found.dataWithoutMetadata().size();
        tempFilesFound += found.temporary().size();
        VectorDB db = new VectorDB(PruneCrashWorker.DIMENSION, Metric.COSINE);
        try (DatabasePersistence p = manager(db, base)) {
            List<SnapshotMetadata> listed = p.listSnapshots();
            Set<String> listedIds = ids(listed);
            assertThat(listedIds).as("%s: the snapshots listed are exactly the complete ones on disk", context)
                    .isEqualTo(found.complete());
            StoreFiles cleaned = StoreFiles.scan(store);
            assertThat(cleaned.dataWithoutMetadata()).as("%s: leftovers after the owner opened the store", context).isEmpty();
            assertThat(cleaned.temporary()).as("%s: temporary files after the owner opened the store", context).isEmpty();

            String committedInFlight = adoptInFlightSnapshot(p, db, listed, context);
            RetentionDecision interrupted = checkDeletions(listedIds, committedInFlight, context);
            for (SnapshotMetadata s : listed) {
                p.restoreSnapshot(s.id());
                assertThat(Fingerprints.of(db)).as("%s: snapshot %s restores to the content acknowledged", context, s.id())
                        .isEqualTo(acked.get(s.id()).fingerprint());
                restored++;
            }
            acked.retainOnly(listedIds);
            return interrupted;
        }
    }

    /**
     * A listed snapshot the worker did not acknowledge: only the one it was taking, committed just
     * before the kill, and only with the content it was taking. Returns its id, or null.
     */
    private String adoptInFlightSnapshot(DatabasePersistence p, VectorDB db, List<SnapshotMetadata> listed,
                                         String context) {
        List<SnapshotMetadata> unknown = listed.stream().filter(s -> acked.get(s.id()) == null).toList();
        if (unknown.isEmpty()) {
            return null;
        }
        assertThat(acked.inFlight()).as("%s: listed but never acknowledged: %s", context, unknown)
                .isInstanceOf(AcknowledgedSnapshots.Snapshotting.class);
        assertThat(unknown).as("%s: snapshots listed but never acknowledged", context).hasSize(1);
        AcknowledgedSnapshots.Snapshotting s = (AcknowledgedSnapshots.Snapshotting) acked.inFlight();
        SnapshotMetadata m = unknown.get(0);
        assertThat(listed.get(0).id()).as("%s: the snapshot in flight is the newest listed", context).isEqualTo(m.id());
        p.restoreSnapshot(m.id());
        assertThat(Fingerprints.of(db)).as("%s: the snapshot in flight restores to its content", context)
                .isEqualTo(s.fingerprint());
        acked.add(new AcknowledgedSnapshots.Ack(m.id(), s.fingerprint(), m.timestamp()), false);
        inFlightCommitted++;
        return m.id();
    }

    /** Acknowledged snapshots that are gone: only a prune in flight deletes, a prefix of its decision's deletions. */
    private RetentionDecision checkDeletions(Set<String> listedIds, String committedInFlight, String context) {
        List<String> missing = acked.ids().stream().filter(id -> !listedIds.contains(id)).toList();
        boolean pruning = acked.inFlight() instanceof AcknowledgedSnapshots.Pruning
                || committedInFlight != null && ((AcknowledgedSnapshots.Snapshotting) acked.inFlight()).prunes();
        if (pruning) {
            killsMidPrune++;
        }
        if (!pruning) {
            assertThat(missing).as("%s: acknowledged snapshots gone while no prune ran", context).isEmpty();
            return null;
        }
        RetentionDecision decision = acked.decide(committedInFlight);
        List<String> toDelete = decision.deletedIds();
        assertThat(missing.size()).as("%s: deleted %s, but the prune deletes only %s", context, missing, toDelete)
                .isLessThanOrEqualTo(toDelete.size());
        assertThat(new HashSet<>(missing)).as("%s: a prune deletes newest first, in its decision's order %s", context, toDelete)
                .isEqualTo(new HashSet<>(toDelete.subList(0, missing.size())));
        if (!missing.isEmpty() && missing.size() < toDelete.size()) {
            partialPrunes++;
        }
        return toDelete.isEmpty() ? null : decision;
    }

    /** Prunes again: what stays is what the policy decides now, and what the interrupted prune would have kept. */
    private void finishPrune(Path base, RetentionDecision interrupted, String context) {
        VectorDB db = new VectorDB(PruneCrashWorker.DIMENSION, Metric.COSINE);
        try (DatabasePersistence p = manager(db, base)) {
            List<SnapshotMetadata> before = p.listSnapshots();
            List<String> expected = PruneCrashWorker.POLICY.select(before).keptIds();
            RetentionDecision done = p.pruneSnapshots(false);
            assertThat(done.keptIds()).as("%s: the prune after the crash keeps what the policy decides", context)
                    .isEqualTo(expected);
            assertThat(p.listSnapshots()).extracting(SnapshotMetadata::id)
                    .as("%s: the snapshots left after pruning again", context).containsExactlyElementsOf(expected);
            if (interrupted != null) {
                assertThat(expected).as("%s: finishing the interrupted prune keeps what it would have", context)
                        .isEqualTo(interrupted.keptIds());
            }
            if (base.equals(dir.resolve("base"))) {
                acked.retainOnly(expected);
            }
        }
    }

    private static DatabasePersistence manager(VectorDB db, Path base) {
        return new DatabasePersistence(db, PruneCrashWorker.options(base, "json", "none", Clock.systemUTC(),
                PruneCrashWorker.POLICY));
    }

    private static Set<String> ids(List<SnapshotMetadata> snapshots) {
        Set<String> ids = new HashSet<>();
        snapshots.forEach(s -> ids.add(s.id()));
        return ids;
    }

    private static Path copyOf(Path from, Path to) throws java.io.IOException {
        List<Path> all;
        try (Stream<Path> files = Files.walk(from)) {
            all = new ArrayList<>(files.toList());
        }
        for (Path f : all) {
            Path target = to.resolve(from.relativize(f).toString());
            if (Files.isDirectory(f)) {
                Files.createDirectories(target);
            } else {
                Files.copy(f, target);
            }
        }
        return to;
    }
}
