package dev.vecpersist.store.s3;

/** {@link S3VerificationTests} against S3rver. */
class S3rverVerificationTest extends S3VerificationTests {
    @Override
    S3TestServer server() {
        return S3rverServer.shared();
    }

    @Override
    boolean keepsChecksums() {
        return false;
    }
}
