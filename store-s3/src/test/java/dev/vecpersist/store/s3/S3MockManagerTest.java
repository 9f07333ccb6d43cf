package dev.vecpersist.store.s3;

/** {@link S3ManagerTests} against S3Mock. */
class S3MockManagerTest extends S3ManagerTests {
    @Override
    S3TestServer server() {
        return S3MockServer.shared();
    }
}
