package dev.vecpersist.core;

import dev.vecpersist.api.PersistenceException;
import dev.vecpersist.api.SnapshotMetadata;
import dev.vecpersist.api.SnapshotStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Applies a {@link RetentionPolicy} to a snapshot store: lists, decides, deletes what the policy does not keep. */
public final class SnapshotPruner {

    private static final Logger LOG = LoggerFactory.getLogger(SnapshotPruner.class);

    private SnapshotPruner() {
    }

    /**
     * Prunes a store; see {@link #prune(SnapshotStore, RetentionPolicy, boolean, String)}.
     *
     * @param store  the store
     * @param policy which snapshots to keep
     * @param dryRun true to decide only: nothing is deleted
     * @return the decision; its deleted snapshots were deleted, or would be without {@code dryRun}
     */
    public static RetentionDecision prune(SnapshotStore store, RetentionPolicy policy, boolean dryRun) {
        return prune(store, policy, dryRun, null);
    }

    /**
     * Lists the store, decides with the policy and, unless {@code dryRun}, deletes every snapshot the
     * policy does not keep, in the order of the decision (newest first). Stops at the first delete
     * that fails, reporting what it had deleted.
     *
     * <p>Snapshots whose metadata the store cannot read are not listed, so they are neither counted
     * nor deleted. Safe: over a list missing some snapshots every rule keeps at least what it would
     * keep over the whole list (fewer snapshots ahead of each, fewer periods seen). Pieces are not
     * this method's business; the manager collects them only over a complete listing.
     *
     * @param store  the store
     * @param policy which snapshots to keep
     * @param dryRun true to decide only: nothing is deleted
     * @param newest the id of the snapshot just created, counted as the newest whatever the store's
     *               order (so no rule can delete it); null when there is none
     * @return the decision; its deleted snapshots were deleted, or would be without {@code dryRun}
     * @throws PersistenceException    when the store cannot be listed
     * @throws SnapshotPruneException  when a delete fails: what was deleted, what failed, what was not attempted
     */
    public static RetentionDecision prune(SnapshotStore store, RetentionPolicy policy, boolean dryRun, String newest) {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(policy, "policy");
        List<SnapshotMetadata> listed;
        try {
            listed = store.list();
        } catch (IOException e) {
            throw new PersistenceException("cannot list snapshots to prune: " + e.getMessage(), e);
        }
        RetentionDecision decision = policy.select(listed, newest);
        if (dryRun) {
            return decision;
        }
        List<SnapshotMetadata> done = new ArrayList<>();
        List<RetentionDecision.Deleted> toDelete = decision.deleted();
        for (int i = 0; i < toDelete.size(); i++) {
            RetentionDecision.Deleted d = toDelete.get(i);
            LOG.info("retention: deleting snapshot {} ('{}'): {}", d.snapshot().id(), d.snapshot().name(), d.reason());
            try {
                store.delete(d.snapshot().id());
            } catch (IOException | RuntimeException e) {
                List<SnapshotMetadata> rest = toDelete.subList(i + 1, toDelete.size()).stream()
                        .map(RetentionDecision.Deleted::snapshot).toList();
                throw new SnapshotPruneException(decision, done, d.snapshot(), rest, e);
            }
            done.add(d.snapshot());
        }
        return decision;
    }
}
