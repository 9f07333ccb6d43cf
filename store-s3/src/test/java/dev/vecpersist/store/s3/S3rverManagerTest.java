package dev.vecpersist.store.s3;

/** {@link S3ManagerTests} against S3rver. */
class S3rverManagerTest extends S3ManagerTests {
    @Override
    S3TestServer server() {
        return S3rverServer.shared();
    }
}
