package dev.vecpersist.store.s3;

/** The shared snapshot store suite against s3rver, with the store's default upload settings. */
class S3rverSnapshotStoreContractTest extends S3StoreContractTests {

    @Override
    S3TestServer server() {
        return S3rverServer.shared();
    }
}
