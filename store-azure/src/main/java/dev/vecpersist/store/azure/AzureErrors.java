package dev.vecpersist.store.azure;

import com.azure.storage.blob.models.BlobErrorCode;
import com.azure.storage.blob.models.BlobStorageException;
import dev.vecpersist.api.PersistenceException;

import java.io.IOException;

/**
 * Turns the SDK's exceptions into messages a user can act on: what was being done, to which
 * container and blob, the service's error code and HTTP status, and a hint for the usual causes.
 * The SDK has already retried what was worth retrying when one of these reaches us.
 */
final class AzureErrors {

    private final String container;
    private final String where;

    /**
     * @param container the store's container
     * @param where     the account endpoint, for messages
     */
    AzureErrors(String container, String where) {
        this.container = container;
        this.where = where;
    }

    /** A failure of {@code action} on {@code blob} (or on the container when blob is null). */
    PersistenceException failure(String action, String blob, RuntimeException e) {
        return new PersistenceException(message(action, blob, e), e);
    }

    /** The same, as the IOException a stream reports. */
    IOException ioFailure(String action, String blob, RuntimeException e) {
        return new IOException(message(action, blob, e), e);
    }

    private String message(String action, String blob, RuntimeException e) {
        String target = "container '" + container + "'" + (blob == null ? "" : ", blob '" + blob + "'");
        return "Azure " + action + " " + target + " failed: " + detail(e) + " [" + where + "]";
    }

    /** Whether the service answered "not found" for a blob. */
    static boolean isNotFound(RuntimeException e) {
        return e instanceof BlobStorageException b && b.getStatusCode() == 404
                && b.getErrorCode() != BlobErrorCode.CONTAINER_NOT_FOUND;
    }

    /** Whether a thing to clean up is already gone: no such blob, or no container. */
    static boolean isGone(RuntimeException e) {
        return e instanceof BlobStorageException b && b.getStatusCode() == 404;
    }

    private String detail(RuntimeException e) {
        if (!(e instanceof BlobStorageException b)) {
            // no answer from the service: connection refused, unknown host, timeouts
            return "the endpoint could not be reached or did not answer: " + e.getMessage();
        }
        BlobErrorCode code = b.getErrorCode();
        int status = b.getStatusCode();
        String hint;
        if (code == BlobErrorCode.CONTAINER_NOT_FOUND) {
            hint = "the container '" + container + "' does not exist";
        } else if (code == BlobErrorCode.AUTHENTICATION_FAILED || status == 403) {
            hint = "access denied: check the credentials (key, SAS token and its permissions and expiry)";
        } else if (code == BlobErrorCode.MD5MISMATCH) {
            hint = "the service received different bytes than were sent (MD5 mismatch)";
        } else {
            String first = String.valueOf(b.getServiceMessage()).lines().findFirst().orElse("");
            hint = first.isBlank() ? String.valueOf(code) : first;
        }
        return hint + " (" + (code != null ? code + ", " : "") + "HTTP " + status + ")";
    }
}
