package dev.vecpersist.store.s3;

import dev.vecpersist.api.Metric;
import dev.vecpersist.api.SnapshotMetadata;
import dev.vecpersist.api.SnapshotStore;
import dev.vecpersist.api.VectorEntry;
import dev.vecpersist.core.DatabasePersistence;
import dev.vecpersist.core.PersistenceOptions;
import dev.vecpersist.core.VectorDB;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's way to hand the manager a store on a client you built: a provider of your own,
 * registered in {@code META-INF/services} (this module's test resources), selected by its name.
 */
class OwnClientProviderTest {

    /** Counts how often the client asked the custom credentials provider: proof the client was ours. */
    static final AtomicInteger CREDENTIAL_LOOKUPS = new AtomicInteger();

    /** What an application would write: its own client (here, its own credentials provider). */
    public static final class OwnClientProvider implements SnapshotStore.Provider {
        @Override
        public String name() {
            return "s3-own-client";
        }

        @Override
        public SnapshotStore open(Map<String, String> settings) {
            AwsCredentialsProvider credentials = () -> {
                CREDENTIAL_LOOKUPS.incrementAndGet();
                return AwsBasicCredentials.create(S3MockServer.ACCESS_KEY, S3MockServer.SECRET_KEY);
            };
            S3Client client = S3Client.builder().region(Region.US_EAST_1).credentialsProvider(credentials)
                    .endpointOverride(URI.create(settings.get("endpoint"))).forcePathStyle(true)
                    .serviceConfiguration(S3Configuration.builder().chunkedEncodingEnabled(false).build()).build();
            return S3SnapshotStore.openOwning(client, S3StoreSettings.parse(settings));
        }
    }

    @TempDir
    Path dir;

    @Test
    void theManagerUsesAStoreOnAClientBuiltByTheApplication() {
        S3MockServer s3 = S3MockServer.shared();
        String bucket = s3.newBucket();
        VectorDB db = new VectorDB(2, Metric.DOT);
        db.insert(new VectorEntry("a", new float[] {1, 2}));
        PersistenceOptions options = PersistenceOptions.builder().baseDir(dir).format("json")
                .snapshotStore("s3-own-client")
                .snapshotStoreSettings(Map.of("bucket", bucket, "prefix", "own", "endpoint", s3.endpoint().toString()))
                .build();
        int before = CREDENTIAL_LOOKUPS.get();
        try (DatabasePersistence p = new DatabasePersistence(db, options)) {
            SnapshotMetadata s = p.createSnapshot("nightly");
            db.clear();
            p.restoreSnapshot(s.id());
            assertThat(p.listSnapshots()).containsExactly(s);
        }
        assertThat(db.size()).isEqualTo(1);
        assertThat(CREDENTIAL_LOOKUPS.get()).isGreaterThan(before);
        assertThat(s3.keys(bucket)).hasSize(2).allMatch(k -> k.startsWith("own/snapshots/"));
    }
}
