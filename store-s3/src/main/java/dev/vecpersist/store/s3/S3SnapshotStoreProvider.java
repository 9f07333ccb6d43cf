package dev.vecpersist.store.s3;

import dev.vecpersist.api.PersistenceException;
import dev.vecpersist.api.SnapshotStore;

import java.util.Map;

/**
 * Registers {@link S3SnapshotStore} under the name {@value S3SnapshotStore#NAME}, so that
 * {@code PersistenceOptions.builder().snapshotStore("s3").snapshotStoreSettings(Map.of("bucket", ...))}
 * selects it. The settings are those of {@link S3StoreSettings}.
 */
public final class S3SnapshotStoreProvider implements SnapshotStore.Provider {

    @Override
    public String name() {
        return S3SnapshotStore.NAME;
    }

    /**
     * @throws PersistenceException naming the setting when one is missing or invalid, or when the
     *                              bucket cannot be reached
     */
    @Override
    public SnapshotStore open(Map<String, String> settings) {
        return S3SnapshotStore.open(S3StoreSettings.parse(settings));
    }
}
