package dev.vecpersist.store.azure;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobContainerClientBuilder;
import com.azure.storage.common.policy.RequestRetryOptions;
import com.azure.storage.common.policy.RetryPolicyType;
import dev.vecpersist.api.PersistenceException;

/** Builds the container client a store's settings describe. */
final class AzureClients {

    private AzureClients() {
    }

    /**
     * A client with the storage SDK's exponential backoff limited to {@code maxAttempts}, each attempt
     * limited to {@code timeoutSeconds}, authenticated by the connection string, the SAS token or
     * DefaultAzureCredential.
     *
     * @throws PersistenceException when the connection string is malformed or azure-identity is missing
     */
    static BlobContainerClient build(AzureStoreSettings s) {
        BlobContainerClientBuilder builder = new BlobContainerClientBuilder().containerName(s.container())
                .retryOptions(new RequestRetryOptions(RetryPolicyType.EXPONENTIAL, s.maxAttempts(),
                        (int) s.timeout().toSeconds(), null, null, null));
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
