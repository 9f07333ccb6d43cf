package dev.vecpersist.reliability;

import dev.vecpersist.api.SnapshotMetadata;
import dev.vecpersist.core.RetentionDecision;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the {@link PruneCrashWorker}s acknowledged, replayed from their logs: the snapshots that must
 * exist (oldest first, the store's creation order), each with the fingerprint of its content and its
 * timestamp, and the operation in flight when the last child was killed.
 */
final class AcknowledgedSnapshots {

    /** One acknowledged snapshot. */
    record Ack(String id, String fingerprint, Instant timestamp) {
    }

    /** The operation a killed child had begun and not acknowledged. */
    sealed interface InFlight {
    }

    /** A snapshot of content {@code fingerprint}; {@code prunes} when its manager applied {@link PruneCrashWorker#POLICY}. */
    record Snapshotting(String fingerprint, boolean prunes) implements InFlight {
    }

    /** A {@code pruneSnapshots(false)}. */
    record Pruning() implements InFlight {
    }

    private final Map<String, Ack> existing = new LinkedHashMap<>();
    private InFlight inFlight;
    private long lastPruneMicros;
    private int lastPruneDeleted;
    private int prunesReplayed;

    /** Replays one child's log: what it acknowledged, and what it had begun when it was killed. */
    void replay(List<String> lines) {
        inFlight = null;
        for (String line : lines) {
            String[] parts = line.split(" ");
            switch (parts[0] + " " + parts[1]) {
                case "begin snapshot" -> inFlight = new Snapshotting(parts[2], parts[3].equals("policy"));
                case "begin prune" -> inFlight = new Pruning();
                case "end prune" -> {
                    List<String> deleted = decide(null).deletedIds();
                    assertThat(parts[3].equals("-") ? List.of() : List.of(parts[3].split(",")))
                            .as("the ids the worker's prune deleted, replayed from its log").isEqualTo(deleted);
                    deleted.forEach(existing::remove);
                    lastPruneMicros = Long.parseLong(parts[2]);
                    lastPruneDeleted = deleted.size();
                    prunesReplayed++;
                    inFlight = null;
                }
                default -> {
                    assertThat(parts[0]).as("log line '%s'", line).isEqualTo("snap");
                    Snapshotting s = (Snapshotting) inFlight;
                    assertThat(parts[2]).isEqualTo(s.fingerprint());
                    add(new Ack(parts[1], parts[2], Instant.parse(parts[3])), s.prunes());
                    inFlight = null;
                }
            }
        }
    }

    /** Records a snapshot that committed; applies the policy when its manager did ({@code prunes}). */
    void add(Ack ack, boolean prunes) {
        existing.put(ack.id(), ack);
        if (prunes) {
            decide(ack.id()).deletedIds().forEach(existing::remove);
        }
    }

    /** {@link PruneCrashWorker#POLICY}'s decision on the acknowledged snapshots, {@code justCreated} counted newest. */
    RetentionDecision decide(String justCreated) {
        return PruneCrashWorker.POLICY.select(asListed(), justCreated);
    }

    /** The acknowledged snapshots as a store lists them, newest first (only ids and timestamps are real). */
    List<SnapshotMetadata> asListed() {
        List<SnapshotMetadata> out = new ArrayList<>();
        existing.values().forEach(a -> out.add(0, new SnapshotMetadata(a.id(), "", a.timestamp(), 0,
                PruneCrashWorker.DIMENSION, "json", "none", 0, "", Map.of())));
        return out;
    }

    Ack get(String id) {
        return existing.get(id);
    }

    Collection<String> ids() {
        return existing.keySet();
    }

    /** Forgets every snapshot not in {@code listed}, after checking that the store deleted them. */
    void retainOnly(Collection<String> listed) {
        existing.keySet().retainAll(listed);
    }

    InFlight inFlight() {
        return inFlight;
    }

    /** {@return how long the last completed prune took per snapshot it deleted, or 0 before one deleted any} */
    long microsPerDeletion() {
        return lastPruneDeleted == 0 ? 0 : lastPruneMicros / lastPruneDeleted;
    }

    int prunesReplayed() {
        return prunesReplayed;
    }
}
