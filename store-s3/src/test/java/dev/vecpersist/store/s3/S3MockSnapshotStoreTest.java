package dev.vecpersist.store.s3;

/** {@link S3SnapshotStoreTests} against S3Mock. */
class S3MockSnapshotStoreTest extends S3SnapshotStoreTests {
    @Override
    S3TestServer server() {
        return S3MockServer.shared();
    }
}
