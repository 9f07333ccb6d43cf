package dev.vecpersist.store.azure;

import dev.vecpersist.api.SnapshotStore;
import dev.vecpersist.testkit.SnapshotStoreContract;

/** The shared snapshot store suite against Azurite: a fresh container and a prefix per test. */
class AzureSnapshotStoreContractTest extends SnapshotStoreContract {

    @Override
    protected SnapshotStore openStore() {
        AzuriteServer azurite = AzuriteServer.shared();
        return new AzureSnapshotStoreProvider().open(azurite.settings(azurite.newContainer(), AzureStoreSettings.PREFIX, "team-a/db1", "blockSizeMb", "1"));
    }
}
