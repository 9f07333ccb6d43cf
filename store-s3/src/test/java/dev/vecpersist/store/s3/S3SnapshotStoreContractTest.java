package dev.vecpersist.store.s3;

/** The shared snapshot store suite against S3Mock. */
class S3SnapshotStoreContractTest extends S3StoreContractTests {

    @Override
    S3TestServer server() {
        return S3MockServer.shared();
    }
}
