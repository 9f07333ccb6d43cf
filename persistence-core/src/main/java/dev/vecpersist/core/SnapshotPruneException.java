package dev.vecpersist.core;

import dev.vecpersist.api.PersistenceException;
import dev.vecpersist.api.SnapshotMetadata;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A prune that stopped at a failing delete: which snapshots it had deleted, which one failed, which
 * it did not attempt. The snapshots it kept are untouched; pruning again finishes the work.
 */
public final class SnapshotPruneException extends PersistenceException {

    private final transient RetentionDecision decision;
    private final transient List<SnapshotMetadata> deleted;
    private final transient SnapshotMetadata failed;
    private final transient List<SnapshotMetadata> notAttempted;

    /**
     * Describes the stop.
     *
     * @param decision     what the policy decided
     * @param deleted      the snapshots deleted before the failure, in the order deleted
     * @param failed       the snapshot whose delete failed
     * @param notAttempted the snapshots still to delete after it
     * @param cause        the failure
     */
    public SnapshotPruneException(RetentionDecision decision, List<SnapshotMetadata> deleted, SnapshotMetadata failed,
                                  List<SnapshotMetadata> notAttempted, Throwable cause) {
        super(message(deleted, failed, notAttempted, cause), cause);
        this.decision = Objects.requireNonNull(decision, "decision");
        this.deleted = List.copyOf(deleted);
        this.failed = Objects.requireNonNull(failed, "failed");
        this.notAttempted = List.copyOf(notAttempted);
    }

    private static String message(List<SnapshotMetadata> deleted, SnapshotMetadata failed,
                                  List<SnapshotMetadata> notAttempted, Throwable cause) {
        return "pruning snapshots stopped: deleted " + deleted.size() + ids(deleted)
                + "; deleting " + failed.id() + " ('" + failed.name() + "') failed: " + cause.getMessage()
                + "; not attempted " + notAttempted.size() + ids(notAttempted);
    }

    private static String ids(List<SnapshotMetadata> snapshots) {
        return snapshots.isEmpty() ? "" : " (" + snapshots.stream().map(SnapshotMetadata::id).collect(Collectors.joining(", ")) + ")";
    }

    /**
     * What the policy decided.
     *
     * @return the decision the prune was carrying out
     */
    public RetentionDecision decision() {
        return decision;
    }

    /**
     * The snapshots deleted before the failure.
     *
     * @return them, in the order deleted
     */
    public List<SnapshotMetadata> deleted() {
        return deleted;
    }

    /**
     * The snapshot whose delete failed; it may be partly deleted (its metadata gone, so no longer listed).
     *
     * @return the snapshot
     */
    public SnapshotMetadata failed() {
        return failed;
    }

    /**
     * The snapshots the prune would have deleted after the failing one; they still exist.
     *
     * @return them, in the order they would have been deleted
     */
    public List<SnapshotMetadata> notAttempted() {
        return notAttempted;
    }
}
