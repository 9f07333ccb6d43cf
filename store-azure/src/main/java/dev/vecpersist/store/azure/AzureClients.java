package dev.vecpersist.store.azure;

import com.azure.core.http.policy.ExponentialBackoffOptions;
import com.azure.core.http.policy.RetryOptions;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobContainerClientBuilder;
import dev.vecpersist.api.PersistenceException;

/** Builds the container client a store's settings describe. */
final class AzureClients {

    private AzureClients() {
    }

    /**
     * A client with the SDK's exponential backoff limited to {@code maxAttempts}, authenticated by the
     * connection string, the SAS token or DefaultAzureCredential.
     *
     * @throws PersistenceException when the connection string is malformed or azure-identity is missing
     */
    static BlobContainerClient build(AzureStoreSettings s) {
        BlobContainerClientBuilder builder = new BlobContainerClientBuilder().containerName(s.container())
                .retryOptions(new RetryOptions(new ExponentialBackoffOptions().setMaxRetries(s.maxAttempts() - 1)));
        try {
            if (s.connectionString() != null) {
                builder.connectionString(s.connectionString());
            } else {
                builder.endpoint(s.endpoint().toString());
                if (s.sasToken() != null) {
                    builder.sasToken(s.sasToken());
                } else {
                    builder.credential(DefaultCredential.create());
                }
            }
            return builder.buildClient();
        } catch (IllegalArgumentException | IllegalStateException e) {
            // the SDK's word for a malformed connection string or endpoint; never echo the secret itself
            throw new PersistenceException("Azure snapshot store: cannot build a client for " + s.describe() + ": "
                    + e.getMessage(), e);
        }
    }
}
