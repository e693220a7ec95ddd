package io.stowage.upload.error;

import io.stowage.contract.SharedErrorCode;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.CompositeException;
import io.stowage.edge.DependencyUnavailable;
import io.stowage.edge.DependencyUnavailable.Dependency;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.net.ConnectException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

class OutagesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static S3Exception s3(int status, String code) {
        return (S3Exception) S3Exception.builder().statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(code).build()).build();
    }

    @Test
    void s3GivingNoAnswerIsAStorageOutage() {
        for (Throwable t : new Throwable[] {
                SdkClientException.create("Unable to execute HTTP request: Connection refused", new ConnectException()),
                ApiCallTimeoutException.create(5000),
                ApiCallAttemptTimeoutException.create(2000),
                new CompletionException(SdkClientException.create("reset")),
        }) {
            DependencyUnavailable outage = Outages.of(t);
            assertEquals(Dependency.STORAGE, outage.dependency(), t.toString());
            assertEquals("StorageUnavailable", outage.code());
        }
    }

    @Test
    void s3ServerErrorsAndThrottlingAreAStorageOutage() {
        assertEquals("StorageUnavailable", Outages.of(s3(500, "InternalError")).code());
        assertEquals("StorageUnavailable", Outages.of(s3(503, "SlowDown")).code());
        assertEquals("StorageUnavailable", Outages.of(new CompletionException(s3(502, "BadGateway"))).code());
        assertEquals("StorageUnavailable", Outages.of(s3(429, "TooManyRequests")).code());
    }

    @Test
    void s3RefusingTheRequestIsNotAnOutage() {
        assertNull(Outages.of(s3(403, "AccessDenied")));
        assertNull(Outages.of(s3(412, "PreconditionFailed")));
        assertNull(Outages.of(NoSuchKeyException.builder().statusCode(404).build()));
        assertNull(Outages.of(new IllegalStateException("a bug")));
        assertNull(Outages.of(new UploadException(UploadErrorCode.UploadMismatch, "wrong size")));
    }

    @Test
    void anOutageNamedAlreadyStaysWhatItIs() {
        DependencyUnavailable signing = new DependencyUnavailable(Dependency.SIGNING, "down", null);
        assertSame(signing, Outages.of(new CompletionException(signing)));
        assertSame(signing, Outages.of(new CompositeException(signing, new IllegalStateException("cleanup failed"))));
    }

    @Test
    void aCallWithoutAnswerIsTheCalledServicesOutage() {
        Throwable catalog = Outages.ofCall(Dependency.CATALOG, "metadata-service", new ConnectException("refused"));
        assertEquals("CatalogUnavailable", ((DependencyUnavailable) catalog).code());
        Throwable signing = Outages.ofCall(Dependency.SIGNING, "signing-service", new TimeoutException());
        assertEquals("SigningUnavailable", ((DependencyUnavailable) signing).code());
        UploadException onPurpose = new UploadException(SharedErrorCode.UpstreamUnavailable, "unreadable");
        assertSame(onPurpose, Outages.ofCall(Dependency.CATALOG, "metadata-service", onPurpose));
    }

    @Test
    void onlyUnavailableStatusesOfAServiceAreAnOutage() {
        assertEquals(true, Outages.isUnavailableStatus(503));
        assertEquals(true, Outages.isUnavailableStatus(502));
        assertEquals(true, Outages.isUnavailableStatus(504));
        assertEquals(false, Outages.isUnavailableStatus(500));
        assertEquals(false, Outages.isUnavailableStatus(404));
        assertEquals(false, Outages.isUnavailableStatus(409));
    }

    @Test
    void everyOutageIsAnswered503WithRetryAfterAndTheDependencysCode() throws Exception {
        ErrorMapper.Reply storage = ErrorMapper.reply(new CompletionException(ApiCallTimeoutException.create(5000)));
        assertEquals(503, storage.status());
        assertEquals(DependencyUnavailable.DEFAULT_RETRY_AFTER_SECONDS, storage.retryAfterSeconds());
        JsonNode body = JSON.readTree(storage.body());
        assertEquals(503, body.get("statusCode").asInt());
        assertEquals("StorageUnavailable", body.get("error").asText());

        ErrorMapper.Reply catalog = ErrorMapper.reply(Outages.ofCall(Dependency.CATALOG, "metadata-service", new ConnectException()));
        assertEquals(503, catalog.status());
        assertEquals("CatalogUnavailable", JSON.readTree(catalog.body()).get("error").asText());

        String own = "{\"statusCode\":503,\"error\":\"CatalogUnavailable\",\"message\":\"the catalog is unavailable: PostgreSQL\"}";
        ErrorMapper.Reply passed = ErrorMapper.reply(new UpstreamOutage(Dependency.CATALOG, "metadata-service", 503, own, 7));
        assertEquals(503, passed.status());
        assertEquals(own, passed.body());
        assertEquals(7, passed.retryAfterSeconds());
    }

    @Test
    void s3RefusalsThatAreNotTheCallersAre502AndTheUnknownStays500() throws Exception {
        ErrorMapper.Reply refused = ErrorMapper.reply(s3(403, "InvalidAccessKeyId"));
        assertEquals(502, refused.status());
        assertNull(refused.retryAfterSeconds());
        ErrorMapper.Reply bug = ErrorMapper.reply(new IllegalStateException("a bug"));
        assertEquals(500, bug.status());
        assertEquals("InternalError", JSON.readTree(bug.body()).get("error").asText());
        ErrorMapper.Reply mismatch = ErrorMapper.reply(new UploadException(UploadErrorCode.UploadMismatch, "wrong size"));
        assertEquals(422, mismatch.status());
    }
}
