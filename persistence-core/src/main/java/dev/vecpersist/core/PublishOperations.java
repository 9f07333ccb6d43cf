package dev.vecpersist.core;

import dev.vecpersist.api.PersistenceException;

import java.time.Duration;

/**
 * A writer's publishing to the chain store of {@link PersistenceOptions#publishTo()}, which replicas
 * on other machines follow ({@link DatabasePersistence#followRemote}). Commits publish by themselves;
 * a failed publish never fails or undoes the local commit. Type a component that watches or retries
 * publishing as {@code PublishOperations} to say so.
 *
 * <p>With {@link PersistenceOptions.Builder#publishTo} a writer publishes every commit to an object store
 * (the new state files, verified, then the manifest, last; superseded files are deleted after a grace
 * period). A failed publish never fails or undoes the local commit: see {@link #publishStatus()},
 * {@link #publishLag()} and {@link #publish()}. See docs/replicas.md.
 */
public interface PublishOperations {

    /**
     * Publishes the commit in force to the chain store of {@link PersistenceOptions#publishTo()} now,
     * if the store does not hold it yet (after a failed publish: uploads what the store lacks, then
     * the manifest), and deletes the superseded files whose grace period is over. Commits publish by
     * themselves; this is for retrying after a failure without waiting for the next commit.
     *
     * @throws PersistenceException  when publishing fails; the store keeps the version it held
     * @throws IllegalStateException when the options publish nowhere
     */
    void publish();

    /**
     * Where publishing to {@link PersistenceOptions#publishTo()} stands: the version last published,
     * since when a commit waits to be published and the last failure.
     *
     * @return the status
     * @throws IllegalStateException when the options publish nowhere
     */
    PublishStatus publishStatus();

    /**
     * How long the oldest commit not yet published has waited (zero when the store holds the commit
     * in force): it grows while publishing fails, so it can be alerted on.
     *
     * @return the lag, never negative
     * @throws IllegalStateException when the options publish nowhere
     */
    Duration publishLag();
}
