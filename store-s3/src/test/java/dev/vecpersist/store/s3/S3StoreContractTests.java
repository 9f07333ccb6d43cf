package dev.vecpersist.store.s3;

import dev.vecpersist.api.SnapshotStore;
import dev.vecpersist.testkit.SnapshotStoreContract;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * The shared snapshot store suite against a real S3 server, a fresh bucket and a prefix per test,
 * with direct access to the metadata objects. One subclass per server.
 */
abstract class S3StoreContractTests extends SnapshotStoreContract {

    private static final String PREFIX = "team-a/db1";

    private S3TestServer s3;
    private String bucket;

    /** The server of the subclass. */
    abstract S3TestServer server();

    @Override
    protected SnapshotStore openStore() {
        s3 = server();
        bucket = s3.newBucket();
        return new S3SnapshotStoreProvider().open(s3.settings(bucket, S3StoreSettings.PREFIX, PREFIX));
    }

    private static String metadataKey(String id) {
        return PREFIX + "/snapshots/" + id + ".meta.json";
    }

    @Override
    protected byte[] readMetadataDocument(String id) {
        return s3.client().getObjectAsBytes(r -> r.bucket(bucket).key(metadataKey(id))).asByteArray();
    }

    @Override
    protected void writeMetadataDocument(String id, byte[] document) {
        s3.client().putObject(r -> r.bucket(bucket).key(metadataKey(id)), RequestBody.fromBytes(document));
    }
}
