package io.stowage.upload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.stowage.infra.quarkus.KafkaResource;
import io.stowage.infra.quarkus.OidcResource;
import io.stowage.infra.quarkus.S3Resource;
import io.stowage.upload.error.Outages;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static io.stowage.upload.CatalogStubs.json;
import static io.stowage.upload.CatalogStubs.token;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fault tolerance of the calls to metadata-service (WireMock): an idempotent call that got no answer
 * is tried again and the request goes on; the registration, which is not idempotent, is sent once; calls
 * that keep getting no answer open the method's circuit breaker, which is then answered as the catalog's
 * outage (503, Retry-After) without calling it, and closes again once a call gets through.
 */
@QuarkusTest
@WithTestResource(S3Resource.class)
@WithTestResource(OidcResource.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(UpstreamsResource.class)
class UpstreamFaultToleranceTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @InjectWireMock
    WireMockServer metadata;

    @BeforeEach
    void catalogAnswers() {
        CatalogStubs.resetWithBuckets(metadata);
    }

    @Test
    void aBucketLookupThatGotNoAnswerIsTriedAgainAndThePresignGoesOn() throws Exception {
        String lookup = "/v1/buckets/flaky";
        metadata.stubFor(get(urlEqualTo(lookup)).inScenario("flaky").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)).willSetStateTo("answering"));
        metadata.stubFor(get(urlEqualTo(lookup)).inScenario("flaky").whenScenarioStateIs("answering")
                .willReturn(json(200, CatalogStubs.bucket("flaky", null, "null"))));

        HttpResponse<String> answer = presign(token("alice"), "flaky", "retried.txt");

        assertEquals(200, answer.statusCode(), answer.body());
        assertTrue(JSON.readTree(answer.body()).hasNonNull("url"), answer.body());
        assertEquals(2, metadata.findAll(getRequestedFor(urlEqualTo(lookup))).size(), "one failure, one retry");
    }

    @Test
    void aRegistrationThatGotNoAnswerIsSentOnlyOnce() throws Exception {
        metadata.stubFor(post(urlEqualTo("/internal/objects")).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

        HttpResponse<String> answer = send(HttpRequest.newBuilder(uri("/v1/objects/docs/ft/registered-once.txt"))
                .header("Authorization", "Bearer " + token("alice")).header("Content-Type", "text/plain")
                .PUT(HttpRequest.BodyPublishers.ofString("registered at most once")));

        assertOutage(answer, "CatalogUnavailable");
        metadata.verify(1, postRequestedFor(urlEqualTo("/internal/objects")));
    }

    @Test
    void lookupsWithoutAnswerOpenTheBreakerWhichIsAnsweredAsTheCatalogsOutageUntilACallGetsThrough() throws Exception {
        String alice = token("alice");
        metadata.stubFor(get(urlEqualTo("/v1/buckets/gone")).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        // each presign tries the lookup up to three times; the breaker looks at the last 20 lookups
        for (int i = 0; i < 10; i++) {
            assertOutage(presign(alice, "gone", "never-" + i + ".txt"), "CatalogUnavailable");
        }
        metadata.resetRequests();

        // open: a bucket that would answer is not even asked, and the answer is the catalog's outage
        HttpResponse<String> refused = presign(alice, "docs", "while-open.txt");
        assertOutage(refused, "CatalogUnavailable");
        assertEquals(String.valueOf(Outages.OPEN_CIRCUIT_RETRY_AFTER_SECONDS), refused.headers().firstValue("Retry-After").orElseThrow());
        metadata.verify(0, getRequestedFor(urlEqualTo("/v1/buckets/docs")));

        // after the breaker's delay one call is let through; it gets its answer and the breaker closes
        Thread.sleep(Outages.OPEN_CIRCUIT_RETRY_AFTER_SECONDS * 1_000L + 500);
        HttpResponse<String> after = presign(alice, "docs", "after-close.txt");
        assertEquals(200, after.statusCode(), after.body());
        assertEquals(200, presign(alice, "docs", "closed.txt").statusCode());
        metadata.verify(2, getRequestedFor(urlEqualTo("/v1/buckets/docs")));
    }

    // ---------------------------------------------------------------- helpers

    private static void assertOutage(HttpResponse<String> answer, String code) throws Exception {
        assertEquals(503, answer.statusCode(), answer.body());
        JsonNode body = JSON.readTree(answer.body());
        assertEquals(code, body.get("error").asText(), answer.body());
        String retryAfter = answer.headers().firstValue("Retry-After").orElse(null);
        assertTrue(retryAfter != null && Integer.parseInt(retryAfter) >= 1, "Retry-After: " + retryAfter);
    }

    private static HttpResponse<String> presign(String token, String bucket, String path) throws Exception {
        return send(HttpRequest.newBuilder(uri("/v1/files/presigned-url"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(
                        Map.of("bucket", bucket, "path", path, "contentType", "text/plain", "size", 5)))));
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + RestAssured.port + path);
    }
}
