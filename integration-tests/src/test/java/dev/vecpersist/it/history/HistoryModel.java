package dev.vecpersist.it.history;

import dev.vecpersist.api.MetadataValues;
import dev.vecpersist.api.VectorEntry;
import dev.vecpersist.core.RetentionPolicy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the database and its directory must hold, as plain values: the current content, every
 * committed state in commit order (the last one is what {@code load()} must give), the snapshots
 * in the store's order (oldest first) with their content, the retention policy in force, and
 * whether the manager must report unsaved changes.
 * Contents are maps id -> entry; {@link VectorEntry#equals} compares vectors bit for bit.
 */
final class HistoryModel {

    /** A committed state: when the manager's clock dated it, and its content. */
    record Commit(Instant dated, Map<String, VectorEntry> content) {
    }

    /** A snapshot the model expects: the id the store issued, its name, time, user metadata and content. */
    record Snapshot(String id, String name, Instant timestamp, Map<String, Object> metadata,
                    Map<String, VectorEntry> content) {
    }

    private Map<String, VectorEntry> current = new TreeMap<>();
    private final List<Commit> commits = new ArrayList<>();
    private final List<Snapshot> snapshots = new ArrayList<>();
    private RetentionPolicy policy;
    /** What {@code hasUnsavedChanges()} must answer: true before the first save or load through a manager. */
    private boolean unsaved = true;

    HistoryModel(RetentionPolicy policy) {
        this.policy = policy;
    }

    Map<String, VectorEntry> current() {
        return current;
    }

    void put(VectorEntry e) {
        current.put(e.id(), new VectorEntry(e.id(), e.vector().clone(), MetadataValues.normalize(e.metadata())));
    }

    boolean remove(String id) {
        return current.remove(id) != null;
    }

    /** The current content becomes the database's (a load, a restore, a fresh database). */
    void replaceCurrent(Map<String, VectorEntry> content) {
        current = new TreeMap<>(content);
    }

    /** A save committed the current content, at {@code dated} by the manager's clock. */
    void commit(Instant dated) {
        commits.add(new Commit(dated, new TreeMap<>(current)));
    }

    /** {@return the latest committed content, or null before the first save} */
    Map<String, VectorEntry> committed() {
        return commits.isEmpty() ? null : commits.get(commits.size() - 1).content();
    }

    /** {@return every commit, oldest first (what point-in-time recovery will load by version or time)} */
    List<Commit> commits() {
        return commits;
    }

    /** A snapshot of the current content was created; the policy in force then runs, the new one counted newest. */
    void snapshotCreated(String id, String name, Instant timestamp, Map<String, Object> metadata) {
        snapshots.add(new Snapshot(id, name, timestamp, MetadataValues.normalize(metadata), new TreeMap<>(current)));
        snapshots.removeAll(toDelete());
    }

    /** {@return the snapshots, newest first (the store's order)} */
    List<Snapshot> snapshotsNewestFirst() {
        List<Snapshot> out = new ArrayList<>(snapshots);
        java.util.Collections.reverse(out);
        return out;
    }

    /** {@return the snapshots the policy in force does not keep, newest first} */
    List<Snapshot> toDelete() {
        List<Snapshot> newestFirst = snapshotsNewestFirst();
        List<Boolean> kept = ModelRetention.kept(newestFirst.stream().map(Snapshot::timestamp).toList(), policy);
        List<Snapshot> out = new ArrayList<>();
        for (int i = 0; i < newestFirst.size(); i++) {
            if (!kept.get(i)) {
                out.add(newestFirst.get(i));
            }
        }
        return out;
    }

    void deleteSnapshots(List<Snapshot> deleted) {
        snapshots.removeAll(deleted);
    }

    /** {@return the snapshot at {@code pick} modulo their number, or null when there is none} */
    Snapshot pickSnapshot(int pick) {
        return snapshots.isEmpty() ? null : snapshots.get(Math.floorMod(pick, snapshots.size()));
    }

    /** {@return a current id picked by {@code pick}, or null when the database is empty} */
    String pickId(int pick) {
        if (current.isEmpty()) {
            return null;
        }
        return new ArrayList<>(current.keySet()).get(Math.floorMod(pick, current.size()));
    }

    /** {@return whether the database changed since the last save or load through the manager in use} */
    boolean unsaved() {
        return unsaved;
    }

    /** Sets what {@code hasUnsavedChanges()} must answer from now on. */
    void unsaved(boolean changed) {
        unsaved = changed;
    }

    RetentionPolicy policy() {
        return policy;
    }

    void policy(RetentionPolicy policy) {
        this.policy = policy;
    }
}
