package dev.vecpersist.store.s3;

/** {@link S3VerificationTests} against S3Mock. */
class S3MockVerificationTest extends S3VerificationTests {
    @Override
    S3TestServer server() {
        return S3MockServer.shared();
    }

    @Override
    boolean keepsChecksums() {
        return true;
    }
}
