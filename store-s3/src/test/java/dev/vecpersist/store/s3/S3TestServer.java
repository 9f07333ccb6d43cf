package dev.vecpersist.store.s3;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;

import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * An S3 server the tests run against on 127.0.0.1 (S3Mock or s3rver), with a client of its own for
 * checking what the store did (raw listings, planted objects). That client sends no chunked
 * encoding, so it works with every server.
 */
abstract class S3TestServer {

    static final String REGION = "us-east-1";

    private final String name;
    private final URI endpoint;
    private final String accessKey;
    private final String secretKey;
    private final S3Client client;

    S3TestServer(String name, URI endpoint, String accessKey, String secretKey) {
        this.name = name;
        this.endpoint = endpoint;
        this.accessKey = accessKey;
        this.secretKey = secretKey;
        this.client = S3Client.builder().endpointOverride(endpoint).region(Region.of(REGION)).forcePathStyle(true)
                .serviceConfiguration(S3Configuration.builder().chunkedEncodingEnabled(false).build())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)))
                .build();
    }

    /** {@return the server's name, for messages} */
    String name() {
        return name;
    }

    /** {@return http://127.0.0.1:PORT} */
    URI endpoint() {
        return endpoint;
    }

    /** {@return a client of the server} */
    S3Client client() {
        return client;
    }

    /** Creates a bucket with a fresh name. */
    String newBucket() {
        String bucket = "b-" + UUID.randomUUID();
        client.createBucket(r -> r.bucket(bucket));
        return bucket;
    }

    /** Store settings for {@code bucket} on this server; {@code extra} entries are added or override. */
    Map<String, String> settings(String bucket, String... extra) {
        Map<String, String> s = new HashMap<>(Map.of(
                S3StoreSettings.BUCKET, bucket,
                S3StoreSettings.ENDPOINT, endpoint.toString(),
                S3StoreSettings.REGION, REGION,
                S3StoreSettings.PATH_STYLE, "true",
                S3StoreSettings.ACCESS_KEY_ID, accessKey,
                S3StoreSettings.SECRET_ACCESS_KEY, secretKey));
        for (int i = 0; i + 1 < extra.length; i += 2) {
            s.put(extra[i], extra[i + 1]);
        }
        return s;
    }

    /** Every key in the bucket. */
    List<String> keys(String bucket) {
        return client.listObjectsV2Paginator(r -> r.bucket(bucket)).contents().stream().map(o -> o.key()).toList();
    }

    /**
     * Whether the server lists multipart uploads in progress and marks multipart objects' ETags
     * with {@code -N} (S3Mock and AWS do; s3rver does neither), so tests can see multipart at work.
     */
    boolean showsMultipart() {
        return true;
    }

    /** Keys of the multipart uploads in progress in the bucket; empty where {@link #showsMultipart()} is false. */
    List<String> multipartUploads(String bucket) {
        if (!showsMultipart()) {
            return List.of();
        }
        return client.listMultipartUploads(r -> r.bucket(bucket)).uploads().stream().map(u -> u.key()).toList();
    }

    @Override
    public String toString() {
        return name + " at " + endpoint;
    }
}
