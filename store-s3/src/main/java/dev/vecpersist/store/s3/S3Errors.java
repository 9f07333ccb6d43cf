package dev.vecpersist.store.s3;

import dev.vecpersist.api.PersistenceException;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

import java.io.IOException;

/**
 * Turns the SDK's exceptions into messages a user can act on: what was being done, to which
 * object, the S3 error code and HTTP status, and a hint for the usual causes. The SDK has already
 * retried what was worth retrying when one of these reaches us.
 */
final class S3Errors {

    private final String bucket;
    private final String where;

    /**
     * @param bucket the store's bucket
     * @param where  the endpoint, for messages ("AWS S3" or the override's URL)
     */
    S3Errors(String bucket, String where) {
        this.bucket = bucket;
        this.where = where;
    }

    /** A failure of {@code action} on {@code key} (or on the bucket when key is null). */
    PersistenceException failure(String action, String key, SdkException e) {
        return new PersistenceException(message(action, key, e), e);
    }

    /** The same, as the IOException a stream reports. */
    IOException ioFailure(String action, String key, SdkException e) {
        return new IOException(message(action, key, e), e);
    }

    String message(String action, String key, SdkException e) {
        String target = "s3://" + bucket + "/" + (key == null ? "" : key);
        return "S3 " + action + " " + target + " failed: " + detail(e) + " [" + where + "]";
    }

    /** Whether a thing to clean up is already gone: no such key, upload or bucket. */
    static boolean isGone(SdkException e) {
        return e instanceof AwsServiceException ase && ase.statusCode() == 404;
    }

    /** Whether the server does not implement the request (some S3-compatible servers lack AbortMultipartUpload). */
    static boolean isUnsupported(SdkException e) {
        return e instanceof AwsServiceException ase && (ase.statusCode() == 405 || ase.statusCode() == 501);
    }

    /** Whether the server answered "not found" (HEAD requests carry no error code, only 404). */
    static boolean isNotFound(SdkException e) {
        return e instanceof AwsServiceException ase && ase.statusCode() == 404
                && !"NoSuchBucket".equals(code(ase));
    }

    private String detail(SdkException e) {
        if (!(e instanceof AwsServiceException ase)) {
            // no answer from the server: connection refused, unknown host, timeouts
            return "the endpoint could not be reached or did not answer: " + e.getMessage();
        }
        String code = code(ase);
        int status = ase.statusCode();
        String codeAndStatus = (code != null ? code + ", " : "") + "HTTP " + status;
        String hint;
        if ("NoSuchBucket".equals(code) || status == 404 && code == null && e.getMessage() != null
                && e.getMessage().contains("NoSuchBucket")) {
            hint = "the bucket '" + bucket + "' does not exist";
        } else if ("InvalidAccessKeyId".equals(code) || "SignatureDoesNotMatch".equals(code)) {
            hint = "the credentials were rejected";
        } else if (status == 403 || "AccessDenied".equals(code)) {
            hint = "access denied: check the credentials and that they may use the bucket '" + bucket + "'";
        } else if (status == 301 || "PermanentRedirect".equals(code) || "AuthorizationHeaderMalformed".equals(code)) {
            String region = ase.awsErrorDetails() == null ? null : ase.awsErrorDetails().sdkHttpResponse()
                    .firstMatchingHeader("x-amz-bucket-region").orElse(null);
            hint = "the bucket is in another region" + (region != null ? " (" + region + ")" : "")
                    + ": set the 'region' setting";
        } else if (ase.isThrottlingException()) {
            hint = "the server is throttling requests (retried with backoff, still refused)";
        } else {
            AwsErrorDetails d = ase.awsErrorDetails();
            hint = d != null && d.errorMessage() != null ? d.errorMessage() : String.valueOf(e.getMessage());
        }
        return hint + " (" + codeAndStatus + (ase.requestId() != null ? ", request id " + ase.requestId() : "") + ")";
    }

    private static String code(AwsServiceException ase) {
        AwsErrorDetails d = ase.awsErrorDetails();
        return d == null ? null : d.errorCode();
    }
}
