package dev.vecpersist.store.azure;

import dev.vecpersist.api.ChainStore;
import dev.vecpersist.api.PersistenceException;

import java.util.Map;

/**
 * Registers {@link AzureChainStore} under the name {@value AzureSnapshotStore#NAME}, so that
 * {@code PersistenceOptions.builder().publishTo("azure", settings)} and
 * {@code DatabasePersistence.followRemote(db, "azure", settings, options)} select it. The settings are
 * those of {@link AzureStoreSettings}, as for the snapshot store.
 */
public final class AzureChainStoreProvider implements ChainStore.Provider {

    @Override
    public String name() {
        return AzureSnapshotStore.NAME;
    }

    /**
     * @throws PersistenceException naming the setting when one is missing or invalid, or when the
     *                              container cannot be reached
     */
    @Override
    public ChainStore open(Map<String, String> settings) {
        return AzureChainStore.open(AzureStoreSettings.parse(settings));
    }
}
