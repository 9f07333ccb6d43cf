package dev.vecpersist.it.history;

import dev.vecpersist.api.MetadataValues;
import dev.vecpersist.api.VectorEntry;
import dev.vecpersist.core.RetentionPolicy;
import dev.vecpersist.core.VersionInfo;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the database and its directory must hold, as plain values: the current content, every
 * retained version in commit order with its number, time and kind (the last one is what
 * {@code load()} must give; {@link ModelHistoryPolicy} decides which are retained), the snapshots
 * in the store's order (oldest first) with their content, the retention policy in force, and
 * whether the manager must report unsaved changes.
 * Contents are maps id -> entry; {@link VectorEntry#equals} compares vectors bit for bit.
 */
final class HistoryModel {

    /**
     * A committed state, a version: its number, when the manager's clock dated it, its kind when the
     * model can tell (null for an incremental save, which may be a delta, a compaction or a full
     * save), and its content.
     */
    record Commit(long number, Instant dated, VersionInfo.Kind kind, Map<String, VectorEntry> content) {
    }

    /** A snapshot the model expects: the id the store issued, its name, time, user metadata and content. */
    record Snapshot(String id, String name, Instant timestamp, Map<String, Object> metadata,
                    Map<String, VectorEntry> content) {
    }

    private Map<String, VectorEntry> current = new TreeMap<>();
    /** The versions the history policy retains, oldest first. */
    private final List<Commit> commits = new ArrayList<>();
    /** Every version ever committed, retained or not, oldest first. */
    private final List<Commit> everCommitted = new ArrayList<>();
    private final ModelHistoryPolicy history;
    /** Whether the database was loaded from a retained version other than the latest (and not changed by a commit since). */
    private boolean holdsOlderVersion;
    /** Commits at which the two readings of keepFor with a stepped-back clock differ (see {@link ModelHistoryPolicy}). */
    private int steppedBackClockMattered;
    private final List<Snapshot> snapshots = new ArrayList<>();
    private RetentionPolicy policy;
    /** What {@code hasUnsavedChanges()} must answer: true before the first save or load through a manager. */
    private boolean unsaved = true;

    HistoryModel(RetentionPolicy policy, ModelHistoryPolicy history) {
        this.policy = policy;
        this.history = history;
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

    /**
     * A commit of the current content, at {@code dated} by the manager's clock: the next number, then
     * the history policy drops the oldest versions it does not keep.
     *
     * @return the new version
     */
    Commit commit(Instant dated, VersionInfo.Kind kind) {
        Commit c = new Commit(everCommitted.size() + 1L, dated, kind, new TreeMap<>(current));
        everCommitted.add(c);
        commits.add(c);
        List<Instant> times = commits.stream().map(Commit::dated).toList();
        if (history.readingsDiffer(times, dated)) {
            steppedBackClockMattered++;
        }
        int drop = history.dropCount(times, dated);
        commits.subList(0, drop).clear();
        holdsOlderVersion = false;
        return c;
    }

    /** {@return how many commits the two readings of keepFor with a stepped-back clock would have retained differently} */
    int steppedBackClockMattered() {
        return steppedBackClockMattered;
    }

    /** {@return the number the next commit gets} */
    long nextNumber() {
        return everCommitted.size() + 1L;
    }

    /** {@return the retained version {@code number}, or null when there is none such} */
    Commit retained(long number) {
        return commits.stream().filter(c -> c.number() == number).findFirst().orElse(null);
    }

    /** {@return the version loadAsOf(time) loads: the newest retained one committed at or before time, or null} */
    Commit asOf(Instant time) {
        Commit found = null;
        for (Commit c : commits) {
            if (!c.dated().isAfter(time)) {
                found = c;
            }
        }
        return found;
    }

    /** {@return a number no retained version has: 0, negative, past the latest, or one the policy dropped} */
    long unknownNumber(int pick) {
        List<Commit> dropped = everCommitted.stream().filter(c -> !commits.contains(c)).toList();
        return switch (Math.floorMod(pick, 4)) {
            case 0 -> 0;
            case 1 -> -1 - pick % 3;
            case 2 -> nextNumber() + pick % 3;
            default -> dropped.isEmpty() ? Long.MAX_VALUE : dropped.get(Math.floorMod(pick / 4, dropped.size())).number();
        };
    }

    /** The database now holds retained version {@code c} (loaded by number or time). */
    void loadedVersion(Commit c) {
        replaceCurrent(c.content());
        holdsOlderVersion = c != commits.get(commits.size() - 1);
    }

    /** {@return whether the database holds a version older than the latest, loaded since the last commit} */
    boolean holdsOlderVersion() {
        return holdsOlderVersion;
    }

    /** The database stopped holding a loaded older version (a load of the latest, a restore, a new manager). */
    void forgetOlderVersion() {
        holdsOlderVersion = false;
    }

    /** {@return the latest committed content, or null before the first save} */
    Map<String, VectorEntry> committed() {
        return commits.isEmpty() ? null : commits.get(commits.size() - 1).content();
    }

    /** {@return the retained versions, oldest first (what listVersions must list)} */
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

    /** {@return the retained version at {@code pick} modulo their number, or null before the first commit} */
    Commit pickVersion(int pick) {
        return commits.isEmpty() ? null : commits.get(Math.floorMod(pick, commits.size()));
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
