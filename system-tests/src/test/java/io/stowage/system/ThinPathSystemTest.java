package io.stowage.system;

import static io.stowage.system.SystemTestSupport.presignedPut;
import static io.stowage.system.SystemTestSupport.eventsFor;
import static io.stowage.system.SystemTestSupport.header;
import static io.stowage.system.SystemTestSupport.encodePath;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stowage.events.ObjectEvents;
import java.awt.Color;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The thin path through the gateway, every hop real: an admin creates a bucket, a user uploads with a
 * presigned URL straight to S3 and registers the upload, downloads the same bytes, deletes the file,
 * and a downstream consumer reads the created and deleted CloudEvents from Kafka.
 */
class ThinPathSystemTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static StowageSuite suite;
    private static String admin;
    private static String alice;
    private static String bob;

    @BeforeAll
    static void startSuite() {
        suite = StowageSuite.get();
        admin = suite.identities().token("root");
        alice = suite.identities().token("alice");
        bob = suite.identities().token("bob");
    }

    @Test
    void uploadDownloadDeleteThroughTheGatewayPublishesCloudEvents() throws Exception {
        String bucket = "photos-" + UUID.randomUUID().toString().substring(0, 8);
        String path = "trips/day 1/café + 100% #1 🐱.png";
        byte[] bytes = SystemTestSupport.png(32, 24, Color.MAGENTA);

        // an admin creates the bucket
        HttpResponse<String> created = send("POST", "/v1/buckets", admin, Map.of("name", bucket));
        assertEquals(201, created.statusCode(), created.body());
        assertEquals(bucket, JSON.readTree(created.body()).get("name").asText());

        // a user asks for a presigned upload URL ...
        HttpResponse<String> presigned = send("POST", "/v1/files/presigned-url", alice,
                Map.of("bucket", bucket, "path", path, "contentType", "image/png", "size", bytes.length));
        assertEquals(200, presigned.statusCode(), presigned.body());
        JsonNode upload = JSON.readTree(presigned.body());
        assertEquals("PUT", upload.get("method").asText());
        URI s3Url = URI.create(upload.get("url").asText());
        assertTrue(s3Url.toString().startsWith(suite.s3().endpoint()), "the URL points at S3 itself: " + s3Url);

        // ... PUTs the bytes straight to S3 with it ...
        HttpResponse<String> stored = HTTP.send(presignedPut(upload, bytes), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, stored.statusCode(), stored.body());

        // ... and registers the upload: the object is in the catalog
        HttpResponse<String> registered = send("POST", "/v1/files", alice, Map.of("uploadId", upload.get("uploadId").asText()));
        assertEquals(201, registered.statusCode(), registered.body());
        JsonNode file = JSON.readTree(registered.body());
        String id = file.get("id").asText();
        assertEquals(path, file.get("name").asText());
        assertEquals(bytes.length, file.get("size").asLong());
        assertEquals(subject(alice), file.get("owner").asText());

        HttpResponse<String> byId = send("GET", "/v1/files/" + id, alice, null);
        assertEquals(200, byId.statusCode(), byId.body());
        assertEquals(bucket, JSON.readTree(byId.body()).get("bucket").asText());

        // the user downloads the same bytes; a range gets part of them; another user sees nothing
        String objectPath = "/v1/objects/" + bucket + "/" + encodePath(path);
        HttpResponse<byte[]> download = get(objectPath, alice, null);
        assertEquals(200, download.statusCode());
        assertArrayEquals(bytes, download.body());
        assertEquals("image/png", download.headers().firstValue("Content-Type").orElse(null));
        assertNotNull(download.headers().firstValue("ETag").orElse(null));

        HttpResponse<byte[]> range = get(objectPath, alice, "bytes=0-7");
        assertEquals(206, range.statusCode());
        assertArrayEquals(Arrays.copyOfRange(bytes, 0, 8), range.body());
        HttpResponse<byte[]> suffix = get(objectPath, alice, "bytes=-4");
        assertEquals(206, suffix.statusCode());
        assertArrayEquals(Arrays.copyOfRange(bytes, bytes.length - 4, bytes.length), suffix.body());
        assertEquals(416, get(objectPath, alice, "bytes=999999-").statusCode());

        String etag = download.headers().firstValue("ETag").orElseThrow();
        HttpResponse<byte[]> notModified = HTTP.send(authorized(objectPath, alice).header("If-None-Match", etag).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(304, notModified.statusCode());

        HttpResponse<byte[]> attachment = get(objectPath + "?download=kitty.png", alice, null);
        assertEquals(200, attachment.statusCode());
        assertTrue(attachment.headers().firstValue("Content-Disposition").orElse("").startsWith("attachment; filename=\"kitty.png\""));

        // by id: a redirect to a presigned URL that S3 itself honours
        HttpResponse<byte[]> redirect = HTTP.send(authorized("/v1/files/" + id + "/download", alice).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(302, redirect.statusCode());
        String location = redirect.headers().firstValue("Location").orElseThrow();
        assertTrue(location.startsWith(suite.s3().endpoint()), location);
        assertArrayEquals(bytes, HTTP.send(HttpRequest.newBuilder(URI.create(location)).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray()).body());

        assertEquals(404, get(objectPath, bob, null).statusCode());
        assertEquals(401, get(objectPath, null, null).statusCode());

        // the user deletes it; the download then answers 404
        HttpResponse<String> deleted = send("DELETE", "/v1/files/" + id, alice, null);
        assertEquals(200, deleted.statusCode(), deleted.body());
        HttpResponse<byte[]> gone = get(objectPath, alice, null);
        assertEquals(404, gone.statusCode());
        assertEquals("ObjectNotFound", JSON.readTree(gone.body()).get("error").asText());

        // a downstream consumer reads both CloudEvents, in order, keyed by {bucket}/{path}
        List<ConsumerRecord<String, String>> events = eventsFor(suite, ObjectEvents.key(bucket, path), 2);
        assertEquals(List.of(ObjectEvents.CREATED, ObjectEvents.DELETED),
                events.stream().map(r -> header(r, "ce_type")).toList());
        for (ConsumerRecord<String, String> event : events) {
            assertEquals("1.0", header(event, "ce_specversion"));
            assertNotNull(header(event, "ce_id"));
            assertNotNull(header(event, "ce_source"));
            assertNotNull(header(event, "ce_time"));
            assertTrue(header(event, "content-type").startsWith("application/json"));
            JsonNode data = JSON.readTree(event.value());
            assertEquals(bucket, data.get("bucket").asText());
            assertEquals(path, data.get("name").asText());
            assertEquals(bytes.length, data.get("size").asLong());
            assertEquals(subject(alice), data.get("owner").asText());
            assertFalse(data.get("blobKey").asText().isBlank());
        }
        assertTrue(JSON.readTree(events.get(1).value()).get("blobReleased").asBoolean());
        assertTrue(JSON.readTree(events.get(1).value()).get("sequence").asLong()
                > JSON.readTree(events.get(0).value()).get("sequence").asLong());
    }

    @Test
    void gatewayRefusesAnonymousAndForgedCallers() throws Exception {
        assertEquals(401, send("GET", "/v1/buckets", null, null).statusCode());
        HttpResponse<String> forged = send("GET", "/v1/buckets", alice.substring(0, alice.lastIndexOf('.') + 1) + "AAAA", null);
        assertEquals(401, forged.statusCode());
        assertEquals("Unauthorized", JSON.readTree(forged.body()).get("error").asText());
    }

    @Test
    void onlyAdminsCreateBuckets() throws Exception {
        HttpResponse<String> refused = send("POST", "/v1/buckets", bob, Map.of("name", "bobs-own"));
        assertEquals(403, refused.statusCode(), refused.body());
        assertEquals("Forbidden", JSON.readTree(refused.body()).get("error").asText());
    }

    /** The user id the services see: the token's {@code sub} (a UUID for Keycloak users). */
    private static String subject(String token) throws Exception {
        return JSON.readTree(java.util.Base64.getUrlDecoder().decode(token.split("\\.")[1])).get("sub").asText();
    }

    private static HttpResponse<String> send(String method, String path, String token, Object body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(suite.gatewayUrl() + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest.Builder authorized(String path, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(suite.gatewayUrl() + path)).timeout(Duration.ofSeconds(30));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return request;
    }

    private static HttpResponse<byte[]> get(String path, String token, String range) throws Exception {
        HttpRequest.Builder request = authorized(path, token).GET();
        if (range != null) {
            request.header("Range", range);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }
}
