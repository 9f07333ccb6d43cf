package dev.vecpersist.store.azure;

import com.azure.core.credential.TokenCredential;
import dev.vecpersist.api.PersistenceException;

/**
 * DefaultAzureCredential (environment, workload or managed identity, Azure CLI, ...) from
 * {@code com.azure:azure-identity}, an optional dependency: only this class refers to it, so the
 * store works without it unless {@code credential=default} is chosen.
 */
final class DefaultCredential {

    private DefaultCredential() {
    }

    static TokenCredential create() {
        try {
            return new com.azure.identity.DefaultAzureCredentialBuilder().build();
        } catch (NoClassDefFoundError e) {
            throw new PersistenceException("Azure snapshot store: credential=default needs com.azure:azure-identity"
                    + " on the class path (version from com.azure:azure-sdk-bom)", e);
        }
    }
}
