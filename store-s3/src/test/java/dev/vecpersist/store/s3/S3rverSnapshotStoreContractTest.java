package dev.vecpersist.store.s3;

import dev.vecpersist.api.SnapshotStore;
import dev.vecpersist.testkit.SnapshotStoreContract;

/** The shared snapshot store suite against s3rver, with the store's default upload settings. */
class S3rverSnapshotStoreContractTest extends SnapshotStoreContract {

    @Override
    protected SnapshotStore openStore() {
        S3rverServer s3 = S3rverServer.shared();
        return new S3SnapshotStoreProvider().open(s3.settings(s3.newBucket(), S3StoreSettings.PREFIX, "team-a/db1"));
    }
}
