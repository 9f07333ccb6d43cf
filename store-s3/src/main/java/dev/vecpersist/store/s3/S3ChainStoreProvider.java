package dev.vecpersist.store.s3;

import dev.vecpersist.api.ChainStore;
import dev.vecpersist.api.PersistenceException;

import java.util.Map;

/**
 * Registers {@link S3ChainStore} under the name {@value S3SnapshotStore#NAME}, so that
 * {@code PersistenceOptions.builder().publishTo("s3", settings)} and
 * {@code DatabasePersistence.followRemote(db, "s3", settings, options)} select it. The settings are
 * those of {@link S3StoreSettings}, as for the snapshot store.
 */
public final class S3ChainStoreProvider implements ChainStore.Provider {

    @Override
    public String name() {
        return S3SnapshotStore.NAME;
    }

    /**
     * @throws PersistenceException naming the setting when one is missing or invalid, or when the
     *                              bucket cannot be reached
     */
    @Override
    public ChainStore open(Map<String, String> settings) {
        return S3ChainStore.open(S3StoreSettings.parse(settings));
    }
}
