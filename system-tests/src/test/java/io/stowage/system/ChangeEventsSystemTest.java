package io.stowage.system;

import static io.stowage.system.SystemTestSupport.eventsFor;
import static io.stowage.system.SystemTestSupport.header;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every change is an event, read off the real Kafka topic as a downstream consumer (a search index,
 * a CDN) reads it, after changes made through the gateway: a metadata PATCH is
 * {@code io.stowage.object.updated.v1} in the object's own order, and a bucket's life is its created,
 * updated, emptied and deleted events keyed {@code {bucket}/}. {@code If-Match} on the native PATCH
 * and DELETE routes: a stale tag is 412 in the error shape and changes nothing (no event either).
 */
class ChangeEventsSystemTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private static StowageSuite suite;
    private static String admin;
    private static String alice;

    @BeforeAll
    static void start() {
        suite = StowageSuite.get();
        admin = suite.identities().token("root");
        alice = suite.identities().token("alice");
    }

    @Test
    void metadataChangesAndABucketsLifeArePublishedAsCloudEvents() throws Exception {
        String bucket = "events-" + System.nanoTime();
        ok(call("POST", "/v1/buckets", admin, Map.of("name", bucket), Map.of()), 201);
        ok(call("PATCH", "/v1/buckets/" + bucket, admin, Map.of("versioned", false, "fileSizeLimit", 1000), Map.of()), 200);
        JsonNode file = put(bucket, "docs/readme.txt", "hello");
        String id = file.get("id").asText();
        ok(call("PATCH", "/v1/files/" + id, alice, Map.of("visibility", "protected", "tags", List.of("docs"),
                "metadata", Map.of("lang", "en")), Map.of()), 200);

        String key = bucket + "/docs/readme.txt";
        List<ConsumerRecord<String, String>> objectEvents = eventsFor(suite, key, 2);
        assertEquals("io.stowage.object.created.v1", header(objectEvents.get(0), "ce_type"));
        ConsumerRecord<String, String> updated = objectEvents.get(1);
        assertEquals("io.stowage.object.updated.v1", header(updated, "ce_type"));
        assertEquals("1.0", header(updated, "ce_specversion"));
        assertEquals("/stowage/metadata-service", header(updated, "ce_source"));
        assertEquals(key, header(updated, "ce_subject"));
        assertEquals("application/json", header(updated, "content-type"));
        JsonNode data = JSON.readTree(updated.value());
        assertEquals("protected", data.get("visibility").asText());
        assertEquals("en", data.get("metadata").get("lang").asText());
        assertEquals(List.of("visibility", "tags", "metadata"), JSON.convertValue(data.get("changed"), List.class));
        assertEquals(file.get("versionId").asText(), data.get("versionId").asText());
        assertTrue(data.get("sequence").asLong() > JSON.readTree(objectEvents.get(0).value()).get("sequence").asLong());

        // the bucket's life, in order
        JsonNode job = ok(call("POST", "/v1/buckets/" + bucket + "/empty", admin, null, Map.of()), 202);
        String state = "";
        for (int i = 0; i < 100 && !state.equals("done"); i++) {
            Thread.sleep(100);
            state = ok(call("GET", "/v1/jobs/" + job.get("id").asText(), admin, null, Map.of()), 200).get("state").asText();
        }
        assertEquals("done", state);
        ok(call("DELETE", "/v1/buckets/" + bucket, admin, null, Map.of()), 200);
        List<ConsumerRecord<String, String>> bucketEvents = eventsFor(suite, bucket + "/", 4);
        assertEquals(List.of("io.stowage.bucket.created.v1", "io.stowage.bucket.updated.v1", "io.stowage.bucket.emptied.v1",
                "io.stowage.bucket.deleted.v1"), bucketEvents.stream().map(r -> header(r, "ce_type")).toList());
        JsonNode changed = JSON.readTree(bucketEvents.get(1).value());
        assertEquals(1000, changed.get("fileSizeLimit").asLong());
        assertEquals(List.of("fileSizeLimit", "versioned"), JSON.convertValue(changed.get("changed"), List.class));
        assertEquals(1, JSON.readTree(bucketEvents.get(2).value()).get("removed").asLong());
        assertEquals(3, eventsFor(suite, key, 3).size(), "the emptying job deleted the object: its deleted event");
    }

    @Test
    void ifMatchOnPatchAndDeleteAnswers412ForAStaleTagAndChangesNothing() throws Exception {
        String bucket = "ifmatch-" + System.nanoTime();
        ok(call("POST", "/v1/buckets", admin, Map.of("name", bucket), Map.of()), 201);
        JsonNode first = put(bucket, "a.txt", "one");
        JsonNode second = put(bucket, "a.txt", "two, overwriting");
        String stale = first.get("etag").asText();
        String id = second.get("id").asText();

        HttpResponse<String> patch = call("PATCH", "/v1/files/" + id, alice, Map.of("tags", List.of("x")), Map.of("If-Match", stale));
        assertPrecondition(patch);
        HttpResponse<String> delete = call("DELETE", "/v1/files/by-path/" + bucket + "/a.txt", alice, null, Map.of("If-Match", stale));
        assertPrecondition(delete);
        assertPrecondition(call("DELETE", "/v1/files/" + id, alice, null, Map.of("If-Match", stale)));
        JsonNode still = ok(call("GET", "/v1/files/" + id, alice, null, Map.of()), 200);
        assertEquals(0, still.get("tags").size(), "the refused PATCH changed nothing");
        assertEquals(2, eventsFor(suite, bucket + "/a.txt", 3).stream()
                .filter(r -> header(r, "ce_type").equals("io.stowage.object.created.v1")).count());

        String current = second.get("etag").asText();
        ok(call("PATCH", "/v1/files/" + id, alice, Map.of("tags", List.of("x")), Map.of("If-Match", current)), 200);
        ok(call("DELETE", "/v1/files/by-path/" + bucket + "/a.txt", alice, null, Map.of("If-Match", current)), 200);
        assertEquals(404, call("GET", "/v1/files/" + id, alice, null, Map.of()).statusCode());
    }

    private static void assertPrecondition(HttpResponse<String> response) throws Exception {
        assertEquals(412, response.statusCode(), response.body());
        JsonNode error = JSON.readTree(response.body());
        assertEquals("PreconditionFailed", error.get("error").asText());
        assertEquals(412, error.get("statusCode").asInt());
        assertTrue(error.has("message"));
    }

    private static HttpResponse<String> call(String method, String path, String token, Object body, Map<String, String> headers)
            throws Exception {
        return SystemTestSupport.call(suite, method, path, token, body, headers);
    }

    private static JsonNode ok(HttpResponse<String> response, int status) throws Exception {
        return SystemTestSupport.ok(response, status);
    }

    private static JsonNode put(String bucket, String name, String text) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(suite.gatewayUrl() + "/v1/objects/" + bucket + "/" + name))
                .header("Authorization", "Bearer " + alice).header("Content-Type", "text/plain").header("x-upsert", "true")
                .PUT(HttpRequest.BodyPublishers.ofString(text)).build(), HttpResponse.BodyHandlers.ofString());
        return ok(response, 201);
    }
}
