package io.stowage.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Usage and quotas through the gateway on the real services: a bucket's {@code maxObjects} and
 * {@code maxBytes} refuse an upload with 413 {@code QuotaExceeded} in the error shape (a presigned
 * upload before its URL is issued, a direct upload at the latest when it registers), nothing is
 * stored, a delete makes room again; {@code GET /v1/buckets/{name}/usage} and {@code GET /v1/usage}
 * answer admins and owners and refuse others (403); the usage gauges show on metadata-service's
 * metrics.
 */
class UsageAndQuotaSystemTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private static StowageSuite suite;
    private static String admin;
    private static String alice;
    private static String bob;

    @BeforeAll
    static void start() {
        suite = StowageSuite.get();
        admin = suite.identities().token("root");
        alice = suite.identities().token("alice");
        bob = suite.identities().token("bob");
    }

    @Test
    void aBucketsQuotaRefusesUploadsWith413AndUsageFollowsEveryChange() throws Exception {
        String bucket = "quota-" + System.nanoTime();
        JsonNode created = ok(call("POST", "/v1/buckets", admin, Map.of("name", bucket, "maxObjects", 2, "maxBytes", 20)), 201);
        assertEquals(2, created.get("maxObjects").asInt());
        assertEquals(201, put(bucket, "a.txt", "12345").statusCode());
        assertEquals(201, put(bucket, "b.txt", "67890").statusCode());

        JsonNode usage = ok(call("GET", "/v1/buckets/" + bucket + "/usage", admin, null), 200);
        assertEquals(10, usage.get("bytes").asLong());
        assertEquals(2, usage.get("objects").asLong());
        assertEquals(2, usage.get("maxObjects").asLong());
        assertEquals(20, usage.get("maxBytes").asLong());

        assertQuotaExceeded(put(bucket, "c.txt", "abc"));
        assertQuotaExceeded(call("POST", "/v1/files/presigned-url", alice,
                Map.of("bucket", bucket, "path", "d.txt", "contentType", "text/plain", "size", 3)));
        assertEquals(404, call("GET", "/v1/files/by-path/" + bucket + "/c.txt", alice, null).statusCode(), "nothing was stored");

        // an overwrite that keeps within the bytes is fine; one that passes them is not
        assertEquals(201, put(bucket, "a.txt", "1234567890").statusCode());
        assertQuotaExceeded(put(bucket, "b.txt", "x".repeat(11)));
        ok(call("DELETE", "/v1/files/by-path/" + bucket + "/b.txt", alice, null), 200);
        assertEquals(201, put(bucket, "c.txt", "abc").statusCode());
        usage = ok(call("GET", "/v1/buckets/" + bucket + "/usage", admin, null), 200);
        assertEquals(13, usage.get("bytes").asLong());
        assertEquals(2, usage.get("objects").asLong());

        // only admins (and the bucket's owner, an admin here) read a bucket's usage
        assertForbidden(call("GET", "/v1/buckets/" + bucket + "/usage", alice, null));
        // an owner reads their own usage; another's is 403, an admin reads anyone's
        JsonNode own = ok(call("GET", "/v1/usage", alice, null), 200);
        assertEquals("alice", own.get("owner").asText());
        assertTrue(own.get("objects").asLong() >= 2);
        assertEquals(own.get("bytes").asLong(), ok(call("GET", "/v1/usage?owner=alice", admin, null), 200).get("bytes").asLong());
        assertForbidden(call("GET", "/v1/usage?owner=alice", bob, null));

        ok(call("PATCH", "/v1/buckets/" + bucket, admin, Map.of("maxObjects", 3)), 200);
        assertEquals(201, put(bucket, "d.txt", "d").statusCode());

        HttpResponse<String> metrics = HTTP.send(HttpRequest.newBuilder(URI.create(suite.managementUrl("metadata-service") + "/q/metrics"))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(metrics.body().contains("stowage_usage_bytes"), "usage gauges on metadata-service's metrics");
        assertTrue(metrics.body().contains("stowage_quota_refusals_total"), "quota refusals counted");
    }

    private static void assertQuotaExceeded(HttpResponse<String> response) throws Exception {
        assertEquals(413, response.statusCode(), response.body());
        JsonNode error = JSON.readTree(response.body());
        assertEquals("QuotaExceeded", error.get("error").asText());
        assertEquals(413, error.get("statusCode").asInt());
        assertTrue(error.get("message").asText().contains("quota"), response.body());
    }

    private static void assertForbidden(HttpResponse<String> response) throws Exception {
        assertEquals(403, response.statusCode(), response.body());
        assertEquals("Forbidden", JSON.readTree(response.body()).get("error").asText());
    }

    private static HttpResponse<String> put(String bucket, String name, String text) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(suite.gatewayUrl() + "/v1/objects/" + bucket + "/" + name))
                .header("Authorization", "Bearer " + alice).header("Content-Type", "text/plain")
                .PUT(HttpRequest.BodyPublishers.ofString(text)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> call(String method, String path, String token, Object body) throws Exception {
        return SystemTestSupport.call(suite, method, path, token, body, Map.of());
    }

    private static JsonNode ok(HttpResponse<String> response, int status) throws Exception {
        return SystemTestSupport.ok(response, status);
    }
}
