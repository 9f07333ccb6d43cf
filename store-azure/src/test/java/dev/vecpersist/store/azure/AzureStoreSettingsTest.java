package dev.vecpersist.store.azure;

import dev.vecpersist.api.PersistenceException;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AzureStoreSettingsTest {

    @Test
    void defaultsWithAConnectionString() {
        AzureStoreSettings s = AzureStoreSettings.parse(Map.of("container", "snapshots", "connectionString",
                "AccountName=a;AccountKey=SECRET"));
        assertThat(s.prefix()).isEmpty();
        assertThat(s.blockSizeBytes()).isEqualTo(8 * 1024 * 1024);
        assertThat(s.maxAttempts()).isEqualTo(3);
        assertThat(s.verify()).isEqualTo(AzureStoreSettings.Verify.READBACK);
        assertThat(s.toString()).contains("connection string").doesNotContain("SECRET");
    }

    @Test
    void sasTokenAndDefaultCredentialNeedAnEndpoint() {
        AzureStoreSettings sas = AzureStoreSettings.parse(Map.of("container", "snapshots", "sasToken", "?sv=1&sig=SECRET",
                "endpoint", "https://acct.blob.core.windows.net", "prefix", "/a/b", "verify", "SIZE"));
        assertThat(sas.sasToken()).isEqualTo("sv=1&sig=SECRET");
        assertThat(sas.endpoint()).isEqualTo(URI.create("https://acct.blob.core.windows.net"));
        assertThat(sas.prefix()).isEqualTo("a/b/");
        assertThat(sas.verify()).isEqualTo(AzureStoreSettings.Verify.SIZE);
        assertThat(sas.toString()).doesNotContain("SECRET");
        assertThat(AzureStoreSettings.parse(Map.of("container", "snapshots", "credential", "default",
                "endpoint", "https://acct.blob.core.windows.net")).defaultCredential()).isTrue();
        assertThatThrownBy(() -> AzureStoreSettings.parse(Map.of("container", "snapshots", "sasToken", "x")))
                .isInstanceOf(PersistenceException.class).hasMessageContaining("'endpoint' is required");
    }

    @Test
    void mistakesAreNamed() {
        assertThatThrownBy(() -> AzureStoreSettings.parse(Map.of("connectionString", "x")))
                .isInstanceOf(PersistenceException.class).hasMessageContaining("'container' is required");
        assertThatThrownBy(() -> AzureStoreSettings.parse(Map.of("container", "Bad_Name", "connectionString", "x")))
                .hasMessageContaining("'container' must be");
        assertThatThrownBy(() -> AzureStoreSettings.parse(Map.of("container", "snapshots")))
                .hasMessageContaining("exactly one of");
        assertThatThrownBy(() -> AzureStoreSettings.parse(Map.of("container", "snapshots", "connectionString", "x",
                "sasToken", "y", "endpoint", "https://a.b"))).hasMessageContaining("exactly one of");
        assertThatThrownBy(() -> AzureStoreSettings.parse(Map.of("container", "snapshots", "connectionString", "x",
                "blockSizeMb", "0"))).hasMessageContaining("'blockSizeMb' must be an integer from 1 to 256");
        assertThatThrownBy(() -> AzureStoreSettings.parse(Map.of("container", "snapshots", "connectionString", "x",
                "verify", "md5"))).hasMessageContaining("'verify' must be readback or size");
        assertThatThrownBy(() -> AzureStoreSettings.parse(Map.of("container", "snapshots", "connectionString", "x",
                "bucket", "y"))).hasMessageContaining("unknown setting 'bucket'");
        assertThatThrownBy(() -> AzureStoreSettings.parse(Map.of("container", "snapshots", "connectionString", "x",
                "credential", "managed"))).hasMessageContaining("'credential' must be 'default'");
    }
}
