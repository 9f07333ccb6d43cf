package dev.vecpersist.store.s3;

import dev.vecpersist.api.PersistenceException;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;

import java.time.Duration;

/** Builds the synchronous {@link S3Client} a store's settings describe. */
final class S3Clients {

    /** How long a request waits for a pooled connection before failing. */
    private static final Duration CONNECTION_ACQUISITION_TIMEOUT = Duration.ofSeconds(10);

    private S3Clients() {
    }

    /**
     * A client with the Apache HTTP client, the SDK's standard retry strategy (exponential backoff
     * with jitter, throttling-aware) limited to {@code maxAttempts}, and the settings' timeouts.
     *
     * @throws PersistenceException when no region is configured anywhere
     */
    static S3Client build(S3StoreSettings s) {
        var builder = S3Client.builder()
                .region(region(s))
                .forcePathStyle(s.pathStyle())
                .httpClientBuilder(ApacheHttpClient.builder()
                        .connectionTimeout(s.connectTimeout())
                        .socketTimeout(s.socketTimeout())
                        .connectionAcquisitionTimeout(CONNECTION_ACQUISITION_TIMEOUT))
                .overrideConfiguration(o -> o.retryStrategy(
                        AwsRetryStrategy.standardRetryStrategy().toBuilder().maxAttempts(s.maxAttempts()).build()));
        if (s.accessKeyId() != null) {
            builder.credentialsProvider(StaticCredentialsProvider.create(s.sessionToken() == null
                    ? AwsBasicCredentials.create(s.accessKeyId(), s.secretAccessKey())
                    : AwsSessionCredentials.create(s.accessKeyId(), s.secretAccessKey(), s.sessionToken())));
        } // else the SDK's default credentials chain, which the client owns and closes
        if (s.endpoint() != null) {
            builder.endpointOverride(s.endpoint());
        }
        builder.serviceConfiguration(S3Configuration.builder().chunkedEncodingEnabled(s.chunkedEncoding()).build());
        if (s.checksums() == S3StoreSettings.Checksums.WHEN_REQUIRED) {
            // for S3-compatible servers that reject the SDK's x-amz-checksum-* headers and trailers
            builder.requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                    .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        }
        return builder.build();
    }

    private static Region region(S3StoreSettings s) {
        if (s.region() != null) {
            return Region.of(s.region());
        }
        try {
            return DefaultAwsRegionProviderChain.builder().build().getRegion();
        } catch (SdkClientException e) {
            throw new PersistenceException("S3 snapshot store: no AWS region found: set the '" + S3StoreSettings.REGION
                    + "' setting (or AWS_REGION, or a profile's region)", e);
        }
    }
}
