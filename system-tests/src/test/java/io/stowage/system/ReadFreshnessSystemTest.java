package io.stowage.system;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the gateway keeps between requests (the presigned S3 GETs of blobs) never serves what the
 * catalog no longer allows: right after an object is overwritten, made private or deleted, every read
 * path (native, public, Supabase public and authenticated, images) answers the catalog's current truth.
 */
class ReadFreshnessSystemTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private static StowageSuite suite;
    private static String alice;
    private static String bucket;

    @BeforeAll
    static void publicBucket() throws Exception {
        suite = StowageSuite.get();
        String admin = suite.identities().token("root");
        alice = suite.identities().token("alice");
        bucket = "fresh-" + UUID.randomUUID().toString().substring(0, 8);
        assertEquals(201, send("POST", "/v1/buckets", admin, JSON.writeValueAsBytes(Map.of("name", bucket)), "application/json").statusCode());
    }

    @Test
    void anOverwriteIsServedAtOnceOnEveryReadPath() throws Exception {
        byte[] first = "first version".getBytes(StandardCharsets.UTF_8);
        byte[] second = "the second version".getBytes(StandardCharsets.UTF_8);
        put("doc.txt", first, "public");
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(first, read("/v1/objects/" + bucket + "/doc.txt", alice));
            assertArrayEquals(first, read("/v1/public/" + bucket + "/doc.txt", null));
        }
        put("doc.txt", second, "public");
        assertArrayEquals(second, read("/v1/objects/" + bucket + "/doc.txt", alice));
        assertArrayEquals(second, read("/v1/public/" + bucket + "/doc.txt", null));
        assertArrayEquals(second, read("/storage/v1/object/public/" + bucket + "/doc.txt", null));
        assertArrayEquals(second, read("/storage/v1/object/authenticated/" + bucket + "/doc.txt", alice));
    }

    @Test
    void anObjectMadePrivateOrDeletedIsRefusedAtOnce() throws Exception {
        byte[] png = SystemTestSupport.png(24, 16, java.awt.Color.RED);
        JsonNode file = put("pic.png", png, "public");
        String[] anonymous = {"/v1/public/" + bucket + "/pic.png", "/storage/v1/object/public/" + bucket + "/pic.png",
                "/storage/v1/render/image/public/" + bucket + "/pic.png?width=8"};
        for (String path : anonymous) {
            assertEquals(200, send("GET", path, null, null, null).statusCode(), path);
            assertEquals(200, send("GET", path, null, null, null).statusCode(), path);
        }
        assertEquals(200, send("PATCH", "/v1/files/" + file.get("id").asText(), alice,
                JSON.writeValueAsBytes(Map.of("visibility", "private")), "application/json").statusCode());
        for (String path : anonymous) {
            HttpResponse<byte[]> refused = send("GET", path, null, null, null);
            assertEquals(path.startsWith("/storage") ? 400 : 404, refused.statusCode(), path + ": " + new String(refused.body()));
        }
        assertEquals(200, send("GET", "/v1/objects/" + bucket + "/pic.png", alice, null, null).statusCode());

        assertEquals(200, send("DELETE", "/v1/files/by-path/" + bucket + "/pic.png", alice, null, null).statusCode());
        for (String path : new String[] {"/v1/objects/" + bucket + "/pic.png", "/storage/v1/object/authenticated/" + bucket + "/pic.png",
                "/storage/v1/render/image/authenticated/" + bucket + "/pic.png?width=8"}) {
            HttpResponse<byte[]> gone = send("GET", path, alice, null, null);
            assertEquals(path.startsWith("/storage") ? 400 : 404, gone.statusCode(), path + ": " + new String(gone.body()));
        }
    }

    private static JsonNode put(String name, byte[] bytes, String visibility) throws Exception {
        HttpResponse<byte[]> put = HTTP.send(HttpRequest.newBuilder(URI.create(suite.gatewayUrl() + "/v1/objects/" + bucket + "/" + name))
                .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + alice)
                .header("Content-Type", name.endsWith(".png") ? "image/png" : "text/plain")
                .header("X-Stowage-Visibility", visibility)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(true, put.statusCode() == 200 || put.statusCode() == 201, new String(put.body()));
        JsonNode file = JSON.readTree(put.body());
        assertEquals(visibility, file.get("visibility").asText());
        return file;
    }

    private static byte[] read(String path, String token) throws Exception {
        HttpResponse<byte[]> response = send("GET", path, token, null, null);
        assertEquals(200, response.statusCode(), path + ": " + new String(response.body()));
        return response.body();
    }

    private static HttpResponse<byte[]> send(String method, String path, String token, byte[] body, String contentType) throws Exception {
        return SystemTestSupport.send(suite, method, path, token, body, contentType);
    }
}
