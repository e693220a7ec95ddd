package io.stowage.upload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.stowage.infra.quarkus.KafkaResource;
import io.stowage.infra.quarkus.OidcResource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.stowage.upload.CatalogStubs.json;
import static io.stowage.upload.CatalogStubs.token;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Dependencies failing under upload-service: its own real S3 server stopped (port closed) or hung (port
 * accepting, never answering), metadata-service (WireMock) slow or answering its own 503, signing-service
 * hung. Every route answers 503 with Retry-After and the code naming the dependency, within the
 * deadlines (a generous bound here, not a benchmark), and leaves nothing registered; readiness says DOWN
 * at once and UP again as soon as S3 is back.
 */
@QuarkusTest
@WithTestResource(StoppableS3Resource.class)
@WithTestResource(OidcResource.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(UpstreamsResource.class)
class DependencyOutageTest {

    /** Whatever the dependency does, an answer comes before this (the deadlines are 5 s). */
    private static final Duration ANSWER_BOUND = Duration.ofSeconds(8);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TestHTTPResource(value = "/health/ready", management = true)
    URL readiness;

    @TestHTTPResource(value = "/health/live", management = true)
    URL liveness;

    @InjectWireMock
    WireMockServer metadata;

    @BeforeEach
    void upstreamsAnswer() {
        CatalogStubs.resetWithBuckets(metadata);
        UpstreamsResource.signingDelay = null;
        if (StoppableS3Resource.server() == null) {
            StoppableS3Resource.restartS3();
        }
    }

    @AfterEach
    void s3Back() {
        UpstreamsResource.signingDelay = null;
        StoppableS3Resource.restartS3();
    }

    @Test
    void s3DownIsStorageUnavailableOnEveryRouteAndNothingIsRegistered() throws Exception {
        String alice = token("alice");
        assertEquals(200, presign(alice, "docs", "before.txt").statusCode());

        StoppableS3Resource.stopS3();

        assertOutage(presign(alice, "docs", "down/presigned.txt"), "StorageUnavailable");
        assertOutage(register(alice, UUID.randomUUID().toString()), "StorageUnavailable");
        assertOutage(multipartInit(alice, "docs", "down/multipart.bin"), "StorageUnavailable");
        assertOutage(direct(alice, "docs", "down/direct.txt", "streamed into a closed port"), "StorageUnavailable");
        metadata.verify(0, postRequestedFor(urlEqualTo("/internal/objects")));
        assertReadiness(503, "DOWN");
        assertEquals(200, send(HttpRequest.newBuilder(liveness.toURI()).GET()).statusCode(), "liveness asks no dependency");

        // back at once: no extra minutes of 503 after S3 returns
        StoppableS3Resource.restartS3();
        assertReadiness(200, "UP");
        assertEquals(200, presign(alice, "docs", "after.txt").statusCode());
        HttpResponse<String> stored = direct(alice, "docs", "after/direct.txt", "S3 is back");
        // metadata's registration stub is absent (404 passed through): the point is that S3 took the bytes
        assertEquals(1, metadata.findAll(postRequestedFor(urlEqualTo("/internal/objects"))).size(), stored.body());
    }

    @Test
    void s3HungIsStorageUnavailableWithinTheDeadlineAndReadinessSaysDownAtOnce() throws Exception {
        String alice = token("alice");
        StoppableS3Resource.hangS3();

        assertReadiness(503, "DOWN");
        assertOutage(presign(alice, "docs", "hung/presigned.txt"), "StorageUnavailable");
        assertOutage(register(alice, UUID.randomUUID().toString()), "StorageUnavailable");
        assertOutage(direct(alice, "docs", "hung/direct.txt", "streamed into a hung S3"), "StorageUnavailable");
        metadata.verify(0, postRequestedFor(urlEqualTo("/internal/objects")));

        StoppableS3Resource.restartS3();
        assertReadiness(200, "UP");
    }

    @Test
    void aSlowCatalogIsCatalogUnavailableWithinTheDeadline() throws Exception {
        metadata.stubFor(get(urlEqualTo("/v1/buckets/slow")).willReturn(
                json(200, CatalogStubs.bucket("slow", null, "null")).withFixedDelay(8_000)));
        String alice = token("alice");

        assertOutage(presign(alice, "slow", "a.txt"), "CatalogUnavailable");
        assertOutage(direct(alice, "slow", "b.txt", "the catalog never answers"), "CatalogUnavailable");
        assertTrue(uploadRecords().isEmpty(), "no pending upload was written for a bucket never seen");
        metadata.verify(0, postRequestedFor(urlEqualTo("/internal/objects")));
    }

    @Test
    void theCatalogsOwnOutageAnswerIsPassedThroughWithItsRetryAfter() throws Exception {
        String own = "{\"statusCode\":503,\"error\":\"CatalogUnavailable\",\"message\":\"the catalog is unavailable: PostgreSQL\"}";
        metadata.stubFor(get(urlEqualTo("/v1/buckets/docs")).willReturn(json(503, own).withHeader("Retry-After", "7")));
        String alice = token("alice");

        HttpResponse<String> answer = presign(alice, "docs", "a.txt");
        assertEquals(503, answer.statusCode(), answer.body());
        assertEquals(JSON.readTree(own), JSON.readTree(answer.body()));
        assertEquals("7", answer.headers().firstValue("Retry-After").orElse(null));

        HttpResponse<String> streamed = direct(alice, "docs", "b.txt", "refused before a byte is read");
        assertEquals(503, streamed.statusCode(), streamed.body());
        assertEquals("CatalogUnavailable", JSON.readTree(streamed.body()).get("error").asText());
        assertEquals("7", streamed.headers().firstValue("Retry-After").orElse(null));
    }

    @Test
    void aHungSigningServiceIsSigningUnavailableWithinTheDeadline() throws Exception {
        UpstreamsResource.signingDelay = Duration.ofSeconds(8);
        String alice = token("alice");

        assertOutage(presign(alice, "docs", "unsigned.txt"), "SigningUnavailable");
        // the pending record is written only once the URL is signed
        assertTrue(uploadRecords().isEmpty(), "a pending upload was written without a URL");
    }

    // ---------------------------------------------------------------- helpers

    private static void assertOutage(HttpResponse<String> answer, String code) throws Exception {
        assertEquals(503, answer.statusCode(), answer.body());
        JsonNode body = JSON.readTree(answer.body());
        assertEquals(503, body.get("statusCode").asInt(), answer.body());
        assertEquals(code, body.get("error").asText(), answer.body());
        String retryAfter = answer.headers().firstValue("Retry-After").orElse(null);
        assertTrue(retryAfter != null && Integer.parseInt(retryAfter) >= 1, "Retry-After: " + retryAfter);
    }

    private void assertReadiness(int status, String state) throws Exception {
        HttpResponse<String> answer = send(HttpRequest.newBuilder(readiness.toURI()).GET());
        assertEquals(status, answer.statusCode(), answer.body());
        assertEquals(state, JSON.readTree(answer.body()).get("status").asText(), answer.body());
        assertTrue(answer.body().contains("object store"), answer.body());
    }

    private static HttpResponse<String> presign(String token, String bucket, String path) throws Exception {
        return postJson("/v1/files/presigned-url", token,
                Map.of("bucket", bucket, "path", path, "contentType", "text/plain", "size", 5));
    }

    private static HttpResponse<String> register(String token, String uploadId) throws Exception {
        return postJson("/v1/files", token, Map.of("uploadId", uploadId));
    }

    private static HttpResponse<String> multipartInit(String token, String bucket, String path) throws Exception {
        return postJson("/v1/files/multipart/init", token,
                Map.of("bucket", bucket, "path", path, "contentType", "application/octet-stream", "size", 12 * 1024 * 1024));
    }

    private static HttpResponse<String> direct(String token, String bucket, String path, String body) throws Exception {
        return send(HttpRequest.newBuilder(uri("/v1/objects/" + bucket + "/" + path))
                .header("Authorization", "Bearer " + token).header("Content-Type", "text/plain")
                .PUT(HttpRequest.BodyPublishers.ofString(body)));
    }

    private static HttpResponse<String> postJson(String path, String token, Map<String, Object> body) throws Exception {
        return send(HttpRequest.newBuilder(uri(path))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))));
    }

    /** Sends and checks the answer came within the bound: a deadline, not a wait. */
    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        long started = System.nanoTime();
        HttpResponse<String> answer = HTTP.send(request.timeout(ANSWER_BOUND.plusSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertTrue(took.compareTo(ANSWER_BOUND) < 0, "answered after " + took + ": " + answer.statusCode() + " " + answer.body());
        return answer;
    }

    private static java.util.List<String> uploadRecords() {
        try (S3Client s3 = StoppableS3Resource.server().client()) {
            return s3.listObjectsV2(r -> r.bucket(StoppableS3Resource.server().bucket()).prefix("uploads/"))
                    .contents().stream().map(o -> o.key()).toList();
        }
    }

    private static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + RestAssured.port + path);
    }
}
