package dev.vecpersist.store.s3;

/** {@link S3SnapshotStoreTests} against S3rver. */
class S3rverSnapshotStoreTest extends S3SnapshotStoreTests {
    @Override
    S3TestServer server() {
        return S3rverServer.shared();
    }
}
