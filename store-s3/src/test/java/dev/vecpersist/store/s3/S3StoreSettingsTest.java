package dev.vecpersist.store.s3;

import dev.vecpersist.api.PersistenceException;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class S3StoreSettingsTest {

    private static Map<String, String> with(String... kv) {
        Map<String, String> m = new HashMap<>();
        m.put("bucket", "snapshots");
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void defaults() {
        S3StoreSettings s = S3StoreSettings.parse(Map.of("bucket", "snapshots"));
        assertThat(s.bucket()).isEqualTo("snapshots");
        assertThat(s.prefix()).isEmpty();
        assertThat(s.region()).isNull();
        assertThat(s.endpoint()).isNull();
        assertThat(s.pathStyle()).isFalse();
        assertThat(s.accessKeyId()).isNull();
        assertThat(s.partSizeBytes()).isEqualTo(8 * 1024 * 1024);
        assertThat(s.maxAttempts()).isEqualTo(3);
        assertThat(s.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(s.socketTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(s.checksums()).isEqualTo(S3StoreSettings.Checksums.WHEN_SUPPORTED);
        assertThat(s.chunkedEncoding()).as("AWS: https").isTrue();
        assertThat(s.verify()).isEqualTo(S3StoreSettings.Verify.AUTO);
    }

    @Test
    void chunkedEncodingIsOffForPlainHttpEndpointsUnlessAsked() {
        assertThat(S3StoreSettings.parse(with("endpoint", "http://127.0.0.1:9000")).chunkedEncoding()).isFalse();
        assertThat(S3StoreSettings.parse(with("endpoint", "https://s3.example.com")).chunkedEncoding()).isTrue();
        assertThat(S3StoreSettings.parse(with("endpoint", "http://127.0.0.1:9000", "chunkedEncoding", "true"))
                .chunkedEncoding()).isTrue();
        assertThat(S3StoreSettings.parse(with("chunkedEncoding", "false")).chunkedEncoding()).isFalse();
    }

    @Test
    void checksumsAndVerifyAreChoices() {
        assertThat(S3StoreSettings.parse(with("checksums", "WHEN_REQUIRED")).checksums())
                .isEqualTo(S3StoreSettings.Checksums.WHEN_REQUIRED);
        assertThat(S3StoreSettings.parse(with("checksums", "true")).checksums())
                .isEqualTo(S3StoreSettings.Checksums.WHEN_SUPPORTED);
        assertThat(S3StoreSettings.parse(with("verify", "readback")).verify()).isEqualTo(S3StoreSettings.Verify.READBACK);
        assertThat(S3StoreSettings.parse(with("verify", "size")).verify()).isEqualTo(S3StoreSettings.Verify.SIZE);
        assertThatThrownBy(() -> S3StoreSettings.parse(with("verify", "md5"))).isInstanceOf(PersistenceException.class)
                .hasMessageContaining("'verify' must be one of auto, checksum, readback, size, got 'md5'");
        assertThatThrownBy(() -> S3StoreSettings.parse(with("checksums", "always"))).isInstanceOf(PersistenceException.class)
                .hasMessageContaining("'checksums' must be one of when_supported, when_required");
    }

    @Test
    void everySetting() {
        S3StoreSettings s = S3StoreSettings.parse(with("prefix", "/team/db1", "region", "eu-west-1",
                "endpoint", "http://localhost:9000", "pathStyle", "TRUE", "accessKeyId", "AK", "secretAccessKey", "SK",
                "sessionToken", "TOKEN", "partSizeMb", "16", "maxAttempts", "5", "connectTimeoutMs", "1500",
                "socketTimeoutMs", "60000", "checksums", "false"));
        assertThat(s.prefix()).isEqualTo("team/db1/");
        assertThat(s.region()).isEqualTo("eu-west-1");
        assertThat(s.endpoint()).isEqualTo(URI.create("http://localhost:9000"));
        assertThat(s.pathStyle()).isTrue();
        assertThat(s.accessKeyId()).isEqualTo("AK");
        assertThat(s.secretAccessKey()).isEqualTo("SK");
        assertThat(s.sessionToken()).isEqualTo("TOKEN");
        assertThat(s.partSizeBytes()).isEqualTo(16 * 1024 * 1024);
        assertThat(s.maxAttempts()).isEqualTo(5);
        assertThat(s.connectTimeout()).isEqualTo(Duration.ofMillis(1500));
        assertThat(s.socketTimeout()).isEqualTo(Duration.ofMinutes(1));
        assertThat(s.checksums()).isEqualTo(S3StoreSettings.Checksums.WHEN_REQUIRED);
        assertThat(s.toString()).contains("AK").doesNotContain("SK").doesNotContain("TOKEN");
    }

    @Test
    void anEndpointWithoutRegionSignsForUsEast1() {
        assertThat(S3StoreSettings.parse(with("endpoint", "https://minio.example:9000")).region()).isEqualTo("us-east-1");
    }

    @Test
    void prefixesAreNormalized() {
        assertThat(S3StoreSettings.normalizePrefix(null)).isEmpty();
        assertThat(S3StoreSettings.normalizePrefix("  ")).isEmpty();
        assertThat(S3StoreSettings.normalizePrefix("/")).isEmpty();
        assertThat(S3StoreSettings.normalizePrefix("a")).isEqualTo("a/");
        assertThat(S3StoreSettings.normalizePrefix("//a/b/")).isEqualTo("a/b/");
    }

    @Test
    void eachProblemNamesItsSetting() {
        assertRejected(Map.of(), "'bucket' is required");
        assertRejected(Map.of("bucket", " "), "'bucket' is required");
        assertRejected(with("bucket", "a/b"), "'bucket'");
        assertRejected(with("partSizeMb", "4"), "'partSizeMb'");
        assertRejected(with("partSizeMb", "eight"), "'partSizeMb'");
        assertRejected(with("partSizeMb", "4096"), "'partSizeMb'");
        assertRejected(with("pathStyle", "yes"), "'pathStyle'");
        assertRejected(with("checksums", "1"), "'checksums'");
        assertRejected(with("endpoint", "localhost:9000"), "'endpoint'");
        assertRejected(with("endpoint", "ftp://host/"), "'endpoint'");
        assertRejected(with("endpoint", "http://"), "'endpoint'");
        assertRejected(with("region", "EU West"), "'region'");
        assertRejected(with("accessKeyId", "AK"), "'secretAccessKey' is required");
        assertRejected(with("secretAccessKey", "SK"), "'accessKeyId' is required");
        assertRejected(with("sessionToken", "T"), "'accessKeyId' is required");
        assertRejected(with("maxAttempts", "0"), "'maxAttempts'");
        assertRejected(with("connectTimeoutMs", "-1"), "'connectTimeoutMs'");
        assertRejected(with("socketTimeoutMs", "x"), "'socketTimeoutMs'");
        assertRejected(with("prefix", "a\u0000b"), "'prefix'");
        assertRejected(with("buckett", "typo"), "unknown setting 'buckett'");
    }

    @Test
    void theProviderRejectsBadSettingsBeforeAnyRequest() {
        assertThatThrownBy(() -> new S3SnapshotStoreProvider().open(Map.of("prefix", "x")))
                .isInstanceOf(PersistenceException.class).hasMessageContaining("'bucket' is required");
        assertThat(new S3SnapshotStoreProvider().name()).isEqualTo("s3");
    }

    private static void assertRejected(Map<String, String> settings, String message) {
        assertThatThrownBy(() -> S3StoreSettings.parse(settings)).as(settings.toString())
                .isInstanceOf(PersistenceException.class).hasMessageContaining(message);
    }
}
