package dev.vecpersist.store.azure;

import dev.vecpersist.api.PersistenceException;
import dev.vecpersist.api.SnapshotStore;

import java.nio.file.Path;
import java.util.Map;

/**
 * Registers {@link AzureSnapshotStore} under the name {@value AzureSnapshotStore#NAME}, so that
 * {@code PersistenceOptions.builder().snapshotStore("azure").snapshotStoreSettings(Map.of("container", ...))}
 * selects it. The settings are those of {@link AzureStoreSettings}; the base directory is not used.
 */
public final class AzureSnapshotStoreProvider implements SnapshotStore.Provider {

    @Override
    public String name() {
        return AzureSnapshotStore.NAME;
    }

    /**
     * @throws PersistenceException naming the setting when one is missing or invalid, or when the
     *                              container cannot be reached
     */
    @Override
    public SnapshotStore open(Map<String, String> settings) {
        return AzureSnapshotStore.open(AzureStoreSettings.parse(settings));
    }
}
