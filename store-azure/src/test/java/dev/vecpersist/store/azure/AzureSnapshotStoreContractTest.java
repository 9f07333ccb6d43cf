package dev.vecpersist.store.azure;

import com.azure.core.util.BinaryData;
import dev.vecpersist.api.SnapshotStore;
import dev.vecpersist.testkit.SnapshotStoreContract;

/** The shared snapshot store suite against Azurite: a fresh container and a prefix per test. */
class AzureSnapshotStoreContractTest extends SnapshotStoreContract {

    private static final String PREFIX = "team-a/db1";

    private AzuriteServer azurite;
    private String container;

    @Override
    protected SnapshotStore openStore() {
        azurite = AzuriteServer.shared();
        container = azurite.newContainer();
        return new AzureSnapshotStoreProvider().open(azurite.settings(container, AzureStoreSettings.PREFIX, PREFIX,
                "blockSizeMb", "1"));
    }

    private String metadataBlob(String id) {
        return PREFIX + "/snapshots/" + id + ".meta.json";
    }

    @Override
    protected byte[] readMetadataDocument(String id) {
        return azurite.container(container).getBlobClient(metadataBlob(id)).downloadContent().toBytes();
    }

    @Override
    protected void writeMetadataDocument(String id, byte[] document) {
        azurite.container(container).getBlobClient(metadataBlob(id)).upload(BinaryData.fromBytes(document), true);
    }
}
