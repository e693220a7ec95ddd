package io.stowage.system;

import static io.stowage.system.SystemTestSupport.presignedPut;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The native API's routes through the gateway to the real services: direct uploads, listing with
 * folders, metadata updates and access, copy, move, versions, deletes by path and by names, a
 * multipart upload, public buckets and emptying and deleting a bucket, and conditional writes and reads
 * (412 for a precondition header that does not hold, 304 for a current copy).
 */
class NativeApiSystemTest {

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

    private static HttpResponse<String> call(String method, String path, String token, Object body) throws Exception {
        return SystemTestSupport.call(suite, method, path, token, body, Map.of());
    }

    private static JsonNode ok(HttpResponse<String> response, int status) throws Exception {
        return SystemTestSupport.ok(response, status);
    }

    private static JsonNode put(String bucket, String name, String text) throws Exception {
        return ok(HTTP.send(HttpRequest.newBuilder(URI.create(suite.gatewayUrl() + "/v1/objects/" + bucket + "/" + name))
                .header("Authorization", "Bearer " + alice).header("Content-Type", "text/plain")
                .PUT(HttpRequest.BodyPublishers.ofString(text)).build(), HttpResponse.BodyHandlers.ofString()), 201);
    }

    private static String get(String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(suite.gatewayUrl() + path)).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return response.statusCode() == 200 ? response.body() : "HTTP " + response.statusCode();
    }

    @Test
    void catalogRoutesWorkThroughTheGatewayOnTheRealServices() throws Exception {
        String bucket = "native-" + System.nanoTime();
        ok(call("POST", "/v1/buckets", admin, Map.of("name", bucket)), 201);
        JsonNode a = put(bucket, "docs/a.txt", "alpha");
        put(bucket, "docs/b.txt", "beta");
        JsonNode c = put(bucket, "img/c.txt", "gamma");

        JsonNode docs = ok(call("GET", "/v1/files?bucket=" + bucket + "&prefix=docs/", alice, null), 200);
        assertEquals(2, docs.get("items").size());
        JsonNode top = ok(call("GET", "/v1/files?bucket=" + bucket + "&delimiter=/", alice, null), 200);
        assertEquals(List.of("docs/", "img/"), JSON.convertValue(top.get("prefixes"), List.class));

        // bob sees nothing of alice's private file until she makes it protected
        assertEquals(404, call("GET", "/v1/files/" + a.get("id").asText(), bob, null).statusCode());
        ok(call("PATCH", "/v1/files/" + a.get("id").asText(), alice, Map.of("visibility", "protected", "tags", List.of("x"))), 200);
        assertEquals("protected", ok(call("GET", "/v1/files/" + a.get("id").asText(), bob, null), 200).get("visibility").asText());
        assertEquals(403, call("DELETE", "/v1/files/" + a.get("id").asText(), bob, null).statusCode());
        assertEquals(200, call("HEAD", "/v1/files/" + a.get("id").asText(), alice, null).statusCode());

        ok(call("POST", "/v1/files/copy", alice, Map.of("bucket", bucket, "name", "docs/a.txt", "destinationName", "docs/a-copy.txt")), 201);
        assertEquals("alpha", get("/v1/objects/" + bucket + "/docs/a-copy.txt", alice));
        ok(call("POST", "/v1/files/move", alice, Map.of("bucket", bucket, "name", "docs/b.txt", "destinationName", "moved/b.txt")), 200);
        assertEquals("HTTP 404", get("/v1/objects/" + bucket + "/docs/b.txt", alice));
        assertEquals("beta", get("/v1/objects/" + bucket + "/moved/b.txt", alice));
        ok(call("GET", "/v1/files/" + a.get("id").asText() + "/versions", alice, null), 200);

        ok(call("DELETE", "/v1/files/by-path/" + bucket + "/img/c.txt", alice, null), 200);
        assertEquals(404, call("GET", "/v1/files/" + c.get("id").asText(), alice, null).statusCode());
        JsonNode deleted = ok(call("POST", "/v1/files/delete", alice, Map.of("bucket", bucket, "names", List.of("docs/a-copy.txt", "nothing.txt"))), 200);
        assertEquals(1, deleted.get("deleted").size());
        assertEquals(1, deleted.get("failed").size());

        // a public bucket is readable without a token; an admin empties it in the background, then deletes it
        assertEquals("HTTP 404", get("/v1/public/" + bucket + "/moved/b.txt", null));
        ok(call("PATCH", "/v1/buckets/" + bucket, admin, Map.of("public", true)), 200);
        assertEquals("beta", get("/v1/public/" + bucket + "/moved/b.txt", null));
        assertEquals(409, call("DELETE", "/v1/buckets/" + bucket, admin, null).statusCode());
        JsonNode job = ok(call("POST", "/v1/buckets/" + bucket + "/empty", admin, null), 202);
        String state = "";
        for (int i = 0; i < 100 && !state.equals("done"); i++) {
            Thread.sleep(100);
            state = ok(call("GET", "/v1/jobs/" + job.get("id").asText(), admin, null), 200).get("state").asText();
        }
        assertEquals("done", state);
        ok(call("DELETE", "/v1/buckets/" + bucket, admin, null), 200);
        assertEquals(404, call("GET", "/v1/buckets/" + bucket, admin, null).statusCode());
    }

    private static HttpResponse<String> send(String method, String path, String body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(suite.gatewayUrl() + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + alice)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "text/plain");
        }
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void preconditionFailed(HttpResponse<String> response) throws Exception {
        assertEquals(412, response.statusCode(), response.request().method() + " " + response.request().headers() + ": " + response.body());
        if (!response.request().method().equals("HEAD")) {
            JsonNode error = JSON.readTree(response.body());
            assertEquals(412, error.get("statusCode").asInt());
            assertEquals("PreconditionFailed", error.get("error").asText());
        }
    }

    @Test
    void conditionalWritesAnswer412AndConditionalReadsAreJudgedAgainstTheCatalog() throws Exception {
        String bucket = "cond-" + System.nanoTime();
        ok(call("POST", "/v1/buckets", admin, Map.of("name", bucket)), 201);
        String path = "/v1/objects/" + bucket + "/c.txt";
        JsonNode first = ok(send("PUT", path, "one", "If-None-Match", "*"), 201);
        String firstEtag = "\"" + first.get("etag").asText().replace("\"", "") + "\"";

        // a taken name: 412 under If-None-Match: *, 409 under x-upsert: false (no precondition header)
        preconditionFailed(send("PUT", path, "two", "If-None-Match", "*"));
        JsonNode taken = ok(send("PUT", path, "two", "x-upsert", "false"), 409);
        assertEquals("ObjectAlreadyExists", taken.get("error").asText());
        preconditionFailed(send("PUT", path, "two", "If-Match", "\"not-the-etag\""));
        preconditionFailed(send("PUT", "/v1/objects/" + bucket + "/absent.txt", "two", "If-Match", firstEtag));
        assertEquals("one", get(path, alice));

        JsonNode second = ok(send("PUT", path, "two!", "If-Match", firstEtag), 201);
        String etag = "\"" + second.get("etag").asText().replace("\"", "") + "\"";
        // the object changed since firstEtag: a second writer with it loses
        preconditionFailed(send("PUT", path, "three", "If-Match", firstEtag));
        assertEquals("two!", get(path, alice));

        // reads: every answer names the catalog's etag, whether from S3 or from the gateway's memory (twice)
        for (int round = 0; round < 2; round++) {
            HttpResponse<String> read = send("GET", path, null);
            assertEquals(200, read.statusCode());
            assertEquals(etag, read.headers().firstValue("ETag").orElseThrow());
            String lastModified = read.headers().firstValue("Last-Modified").orElseThrow();
            assertEquals(etag, send("HEAD", path, null).headers().firstValue("ETag").orElseThrow());
            preconditionFailed(send("GET", path, null, "If-Match", firstEtag));
            preconditionFailed(send("HEAD", path, null, "If-Match", firstEtag));
            assertEquals("two!", send("GET", path, null, "If-Match", etag).body());
            assertEquals(200, send("GET", path, null, "If-Match", "*").statusCode());
            assertEquals(304, send("GET", path, null, "If-None-Match", etag).statusCode());
            assertEquals(304, send("HEAD", path, null, "If-None-Match", etag).statusCode());
            assertEquals(200, send("GET", path, null, "If-None-Match", firstEtag).statusCode());
            preconditionFailed(send("GET", path, null, "If-Unmodified-Since", "Thu, 01 Jan 1970 00:00:00 GMT"));
            assertEquals("two!", send("GET", path, null, "If-Unmodified-Since", lastModified).body());
            assertEquals(304, send("GET", path, null, "If-Modified-Since", lastModified).statusCode());
            assertEquals(200, send("GET", path, null, "If-Modified-Since", "Thu, 01 Jan 1970 00:00:00 GMT").statusCode());
            // a range applies while If-Range holds, else the whole object
            assertEquals("tw", send("GET", path, null, "Range", "bytes=0-1", "If-Range", etag).body());
            HttpResponse<String> whole = send("GET", path, null, "Range", "bytes=0-1", "If-Range", firstEtag);
            assertEquals(200, whole.statusCode());
            assertEquals("two!", whole.body());
        }
    }

    @Test
    void multipartUploadThroughTheGatewayWithPartsStraightToS3() throws Exception {
        String bucket = "multi-" + System.nanoTime();
        ok(call("POST", "/v1/buckets", admin, Map.of("name", bucket)), 201);
        int partSize = 5 * 1024 * 1024;
        byte[] bytes = new byte[partSize + 4096];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (i * 31);
        }
        JsonNode init = ok(call("POST", "/v1/files/multipart/init", alice, Map.of("bucket", bucket, "path", "big.bin",
                "contentType", "application/octet-stream", "size", bytes.length, "partSize", partSize)), 200);
        String uploadId = init.get("uploadId").asText();
        assertEquals(2, init.get("partCount").asInt());

        JsonNode urls = ok(call("POST", "/v1/files/multipart/presigned-url", alice, Map.of("uploadId", uploadId, "partNumbers", List.of(2, 1))), 200);
        List<Map<String, Object>> done = new ArrayList<>();
        for (JsonNode part : urls.get("parts")) {
            int number = part.get("partNumber").asInt();
            byte[] slice = number == 1 ? Arrays.copyOfRange(bytes, 0, partSize) : Arrays.copyOfRange(bytes, partSize, bytes.length);
            HttpResponse<String> stored = HTTP.send(presignedPut(part, slice), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, stored.statusCode(), stored.body());
            done.add(Map.of("partNumber", number, "etag", stored.headers().firstValue("ETag").orElseThrow()));
        }
        assertEquals(2, ok(call("GET", "/v1/files/multipart/" + uploadId + "/parts", alice, null), 200).get("parts").size());
        ok(call("POST", "/v1/files/multipart/complete", alice, Map.of("uploadId", uploadId, "parts", done)), 200);
        JsonNode file = ok(call("POST", "/v1/files", alice, Map.of("uploadId", uploadId)), 201);
        assertEquals(bytes.length, file.get("size").asLong());

        HttpResponse<byte[]> download = HTTP.send(HttpRequest.newBuilder(URI.create(suite.gatewayUrl() + "/v1/objects/" + bucket + "/big.bin"))
                .header("Authorization", "Bearer " + alice).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, download.statusCode());
        assertArrayEquals(bytes, download.body());
    }
}
