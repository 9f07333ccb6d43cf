package dev.vecpersist.store.s3;

import dev.vecpersist.api.SnapshotStore;
import dev.vecpersist.testkit.SnapshotStoreContract;

/** The shared snapshot store suite, against a real S3 server: a fresh bucket and a prefix per test. */
class S3SnapshotStoreContractTest extends SnapshotStoreContract {

    @Override
    protected SnapshotStore openStore() {
        S3MockServer s3 = S3MockServer.shared();
        return new S3SnapshotStoreProvider().open(s3.settings(s3.newBucket(), S3StoreSettings.PREFIX, "team-a/db1"));
    }
}
