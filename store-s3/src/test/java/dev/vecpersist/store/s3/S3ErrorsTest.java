package dev.vecpersist.store.s3;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

import static org.assertj.core.api.Assertions.assertThat;

/** The messages for the failures a loopback S3Mock cannot produce (it checks no credentials, never throttles). */
class S3ErrorsTest {

    private final S3Errors errors = new S3Errors("my-bucket", "endpoint http://minio:9000");

    private static S3Exception error(int status, String code, String message, String... headers) {
        SdkHttpResponse.Builder http = SdkHttpResponse.builder().statusCode(status);
        for (int i = 0; i + 1 < headers.length; i += 2) {
            http.putHeader(headers[i], headers[i + 1]);
        }
        return (S3Exception) S3Exception.builder().statusCode(status).requestId("REQ1")
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(message)
                        .sdkHttpResponse(http.build()).build())
                .message(message).build();
    }

    @Test
    void accessDenied() {
        assertThat(errors.failure("upload of", "p/snapshots/x.data", error(403, "AccessDenied", "Access Denied")))
                .hasMessageContaining("s3://my-bucket/p/snapshots/x.data")
                .hasMessageContaining("access denied")
                .hasMessageContaining("AccessDenied, HTTP 403")
                .hasMessageContaining("request id REQ1")
                .hasMessageContaining("endpoint http://minio:9000");
    }

    @Test
    void rejectedCredentials() {
        assertThat(errors.message("listing of", "snapshots/", error(403, "InvalidAccessKeyId", "no such key")))
                .contains("credentials were rejected").contains("InvalidAccessKeyId");
    }

    @Test
    void throttling() {
        assertThat(errors.message("upload of", "k", error(503, "SlowDown", "Please reduce your request rate.")))
                .contains("throttling").contains("SlowDown, HTTP 503");
    }

    @Test
    void wrongRegion() {
        assertThat(errors.message("listing of", "k", error(301, "PermanentRedirect", "moved",
                "x-amz-bucket-region", "eu-central-1")))
                .contains("another region (eu-central-1)").contains("'region'");
    }

    @Test
    void missingBucket() {
        assertThat(errors.message("listing of", "k", error(404, "NoSuchBucket", "The specified bucket does not exist")))
                .contains("the bucket 'my-bucket' does not exist").contains("NoSuchBucket, HTTP 404");
        assertThat(S3Errors.isNotFound(error(404, "NoSuchBucket", "gone"))).isFalse();
        assertThat(S3Errors.isNotFound(error(404, "NoSuchKey", "gone"))).isTrue();
        assertThat(S3Errors.isNotFound(error(404, null, null))).isTrue();
    }

    @Test
    void anyOtherServiceErrorKeepsItsCodeAndMessage() {
        assertThat(errors.message("upload of", "k", error(400, "EntityTooSmall", "Your proposed upload is too small")))
                .contains("Your proposed upload is too small").contains("EntityTooSmall, HTTP 400");
    }

    @Test
    void noAnswer() {
        assertThat(errors.message("listing of", "k", SdkClientException.create("Connect to 127.0.0.1:1 failed: refused")))
                .contains("could not be reached").contains("Connect to 127.0.0.1:1 failed");
    }
}
