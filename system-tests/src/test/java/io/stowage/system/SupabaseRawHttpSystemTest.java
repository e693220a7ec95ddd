package io.stowage.system;

import static io.stowage.system.SystemTestSupport.encodePath;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stowage.infra.SharedInfra;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Supabase-compatible API over raw HTTP, for what storage-js does not send: hand-built multipart
 * form bodies, malformed metadata, signed upload URLs misused, HEAD on the download routes, the
 * {@code apikey} header alone, and the error shape itself.
 */
class SupabaseRawHttpSystemTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static final String BOUNDARY = "----stowage-" + UUID.randomUUID();

    private static StowageSuite suite;
    private static String admin;
    private static String alice;
    private static String bucket;
    private static String publicBucket;

    @BeforeAll
    static void buckets() throws Exception {
        suite = StowageSuite.get();
        admin = suite.identities().token("root");
        alice = suite.identities().token("alice");
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        bucket = "raw-" + suffix;
        publicBucket = "raw-public-" + suffix;
        ok(send("POST", "/bucket", admin, json(Map.of("name", bucket, "public", false, "file_size_limit", "1MB")), "application/json"), 200);
        ok(send("POST", "/bucket", admin, json(Map.of("name", publicBucket, "public", true)), "application/json"), 200);
    }

    @Test
    void takesAMultipartFormWithCacheControlMetadataAndTheFirstFileOnly() throws Exception {
        byte[] form = form(Map.of("cacheControl", "60", "metadata", "{\"k\":\"v\"}"),
                "first file, the one kept", "second file, ignored");
        JsonNode created = ok(send("POST", "/object/" + bucket + "/forms/one.txt", alice, form,
                "multipart/form-data; boundary=" + BOUNDARY), 200);
        assertEquals(bucket + "/forms/one.txt", created.get("Key").asText());
        assertTrue(created.hasNonNull("Id"));

        HttpResponse<byte[]> download = bytes("GET", "/object/authenticated/" + bucket + "/forms/one.txt", alice);
        assertEquals(200, download.statusCode());
        assertEquals("first file, the one kept", new String(download.body(), StandardCharsets.UTF_8));
        assertTrue(download.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));

        JsonNode info = ok(send("GET", "/object/info/" + bucket + "/forms/one.txt", alice, null, null), 200);
        assertEquals("max-age=60", info.get("cache_control").asText());
        assertEquals("v", info.get("metadata").get("k").asText());
        assertEquals(24, info.get("size").asLong());
    }

    @Test
    void refusesAFormWithoutAFileAndMalformedMetadataWritingNothing() throws Exception {
        error(send("POST", "/object/" + bucket + "/forms/empty.txt", alice, form(Map.of("cacheControl", "60")),
                "multipart/form-data; boundary=" + BOUNDARY), 400, "400");
        error(sendWith("POST", "/object/" + bucket + "/forms/bad-meta.txt", alice, "x".getBytes(StandardCharsets.UTF_8),
                "text/plain", "x-metadata", "%%% not base64 %%%"), 400, "400");
        String notAnObject = Base64.getEncoder().encodeToString("[1,2]".getBytes(StandardCharsets.UTF_8));
        error(sendWith("POST", "/object/" + bucket + "/forms/bad-meta.txt", alice, "x".getBytes(StandardCharsets.UTF_8),
                "text/plain", "x-metadata", notAnObject), 400, "400");
        error(send("POST", "/object/" + bucket + "/forms/bad-form-meta.txt", alice, form(Map.of("metadata", "not json"), "x"),
                "multipart/form-data; boundary=" + BOUNDARY), 400, "400");
        for (String name : new String[] {"forms/empty.txt", "forms/bad-meta.txt", "forms/bad-form-meta.txt"}) {
            assertEquals(400, send("GET", "/object/info/" + bucket + "/" + name, alice, null, null).statusCode(), name + " exists");
        }
    }

    @Test
    void signedUploadUrlsRefuseMisuseAndKeepNamesExact() throws Exception {
        String name = "signed/ünï code #1.txt";
        String path = "/object/upload/sign/" + bucket + "/" + encodePath(name);
        JsonNode signed = ok(send("POST", path, alice, new byte[0], "application/json"), 200);
        String token = signed.get("token").asText();
        assertTrue(signed.get("url").asText().startsWith("/object/upload/sign/" + bucket + "/"), signed.toString());

        // no token, garbage, another object's path, a download token: refused, nothing written
        error(send("PUT", path, null, "x".getBytes(StandardCharsets.UTF_8), "text/plain"), 400, "400");
        assertTrue(send("PUT", path + "?token=garbage", null, "x".getBytes(StandardCharsets.UTF_8), "text/plain").statusCode() >= 400);
        HttpResponse<String> elsewhere = send("PUT", "/object/upload/sign/" + bucket + "/signed/else.txt?token=" + token, null,
                "x".getBytes(StandardCharsets.UTF_8), "text/plain");
        assertTrue(elsewhere.statusCode() == 400 || elsewhere.statusCode() == 403, elsewhere.body());
        ok(send("POST", "/object/" + bucket + "/signed/plain.txt", alice, "plain".getBytes(StandardCharsets.UTF_8), "text/plain"), 200);
        String download = ok(send("POST", "/object/sign/" + bucket + "/signed/plain.txt", alice,
                json(Map.of("expiresIn", 60)), "application/json"), 200).get("signedURL").asText();
        String downloadToken = download.substring(download.indexOf("token=") + 6);
        HttpResponse<String> wrongScope = send("PUT", "/object/upload/sign/" + bucket + "/signed/plain.txt?token=" + downloadToken, null,
                "overwritten".getBytes(StandardCharsets.UTF_8), "text/plain");
        assertTrue(wrongScope.statusCode() == 400 || wrongScope.statusCode() == 403, wrongScope.body());
        assertEquals("plain", new String(bytes("GET", "/object/" + bucket + "/signed/plain.txt", alice).body(), StandardCharsets.UTF_8));

        // the real one, with its token only
        JsonNode uploaded = ok(send("PUT", path + "?token=" + URLEncoder.encode(token, StandardCharsets.UTF_8), null,
                "signed!".getBytes(StandardCharsets.UTF_8), "text/plain"), 200);
        assertEquals(bucket + "/" + name, uploaded.get("Key").asText());
        assertEquals("signed!", new String(bytes("GET", "/object/" + bucket + "/" + encodePath(name), alice).body(),
                StandardCharsets.UTF_8));
        // owned by alice, who signed it
        JsonNode info = ok(send("GET", "/object/info/" + bucket + "/" + encodePath(name), alice, null, null), 200);
        assertEquals(7, info.get("size").asLong());
    }

    @Test
    void deletesOneObjectByPathOnlyForItsOwnerOrAnAdmin() throws Exception {
        ok(send("POST", "/object/" + bucket + "/deletes/one.txt", alice, "one".getBytes(StandardCharsets.UTF_8), "text/plain"), 200);
        String bob = suite.identities().token("bob");
        // bob cannot see alice's object in a private bucket: 404, and it stays
        error(send("DELETE", "/object/" + bucket + "/deletes/one.txt", bob, null, null), 400, "404");
        assertEquals(200, send("GET", "/object/info/" + bucket + "/deletes/one.txt", alice, null, null).statusCode());

        JsonNode deleted = ok(send("DELETE", "/object/" + bucket + "/deletes/one.txt", alice, null, null), 200);
        assertEquals("Successfully deleted", deleted.get("message").asText());
        assertEquals(400, send("GET", "/object/info/" + bucket + "/deletes/one.txt", alice, null, null).statusCode());
        error(send("DELETE", "/object/" + bucket + "/deletes/one.txt", alice, null, null), 400, "404");
        JsonNode anonymous = error(send("DELETE", "/object/" + bucket + "/deletes/one.txt", null, null, null), 400, "400");
        assertEquals("headers must have required property 'authorization'", anonymous.get("message").asText());
    }

    @Test
    void answersAsSupabaseDoesStatusVersionHeadOfInfoOwnCacheControlAndItsErrorStatuses() throws Exception {
        assertEquals(200, send("GET", "/status", null, null, null).statusCode());
        HttpResponse<String> version = send("GET", "/version", null, null, null);
        assertEquals(200, version.statusCode());
        assertTrue(!version.body().isBlank(), "a version");

        JsonNode noAuthorization = error(send("GET", "/bucket", null, null, null), 400, "400");
        assertEquals("Error", noAuthorization.get("error").asText());
        assertEquals("headers must have required property 'authorization'", noAuthorization.get("message").asText());

        // the object's own cache-control is what every read route serves
        ok(sendWith("POST", "/object/" + publicBucket + "/cached.txt", alice, "cached".getBytes(StandardCharsets.UTF_8),
                "text/plain", "cache-control", "max-age=60"), 200);
        for (String route : new String[] {"/object/authenticated/", "/object/public/", "/object/"}) {
            HttpResponse<byte[]> read = bytes("GET", route + publicBucket + "/cached.txt", route.contains("public") ? null : alice);
            assertEquals(200, read.statusCode(), route);
            assertEquals("max-age=60", read.headers().firstValue("Cache-Control").orElse(null), route);
        }

        HttpResponse<byte[]> head = bytes("HEAD", "/object/info/" + publicBucket + "/cached.txt", alice);
        assertEquals(200, head.statusCode());
        assertTrue(head.headers().firstValue("ETag").isPresent());
        assertEquals("6", head.headers().firstValue("Content-Length").orElse(null));
        assertEquals("max-age=60", head.headers().firstValue("Cache-Control").orElse(null));
        assertEquals(0, head.body().length);
        assertEquals(400, bytes("HEAD", "/object/info/" + publicBucket + "/nothing.txt", alice).statusCode());

        JsonNode notEmpty = error(send("DELETE", "/bucket/" + publicBucket, admin, null, null), 400, "409");
        assertEquals("ResourceNotEmpty", notEmpty.get("error").asText());
    }

    @Test
    void copiesWithXMetadataAndOntoItselfToRewriteTypeCacheControlAndMetadata() throws Exception {
        ok(send("POST", "/object/" + bucket + "/copies/src.txt", alice, "source".getBytes(StandardCharsets.UTF_8), "text/plain"), 200);
        String own = Base64.getEncoder().encodeToString("{\"k\":\"copied\"}".getBytes(StandardCharsets.UTF_8));
        ok(sendWith("POST", "/object/copy", alice, json(Map.of("bucketId", bucket, "sourceKey", "copies/src.txt",
                "destinationKey", "copies/dst.txt")), "application/json", "x-metadata", own), 200);
        JsonNode copy = ok(send("GET", "/object/info/" + bucket + "/copies/dst.txt", alice, null, null), 200);
        assertEquals("copied", copy.get("metadata").get("k").asText());

        // onto itself: a rewrite of the object's headers, its bytes untouched
        ok(send("POST", "/object/copy", alice, json(Map.of("bucketId", bucket, "sourceKey", "copies/src.txt",
                "destinationKey", "copies/src.txt", "copyMetadata", false,
                "metadata", Map.of("mimetype", "text/markdown", "cacheControl", "max-age=5"))), "application/json"), 200);
        JsonNode rewritten = ok(send("GET", "/object/info/" + bucket + "/copies/src.txt", alice, null, null), 200);
        assertEquals("text/markdown", rewritten.get("content_type").asText());
        assertEquals("max-age=5", rewritten.get("cache_control").asText());
        HttpResponse<byte[]> bytes = bytes("GET", "/object/authenticated/" + bucket + "/copies/src.txt", alice);
        assertEquals("source", new String(bytes.body(), StandardCharsets.UTF_8));
        assertEquals("text/markdown", bytes.headers().firstValue("Content-Type").orElse(""));
        // a move onto itself is still refused, and bob may not rewrite alice's object
        error(send("POST", "/object/move", alice, json(Map.of("bucketId", bucket, "sourceKey", "copies/src.txt",
                "destinationKey", "copies/src.txt")), "application/json"), 400, "400");
        assertEquals(400, send("POST", "/object/copy", suite.identities().token("bob"), json(Map.of("bucketId", bucket, "sourceKey", "copies/src.txt",
                "destinationKey", "copies/src.txt")), "application/json").statusCode());
    }

    @Test
    void answersHeadOnTheDownloadRoutesWithHeadersOnly() throws Exception {
        ok(send("POST", "/object/" + publicBucket + "/head.txt", alice, "twelve bytes".getBytes(StandardCharsets.UTF_8), "text/plain"), 200);
        for (String route : new String[] {"/object/authenticated/", "/object/public/"}) {
            HttpResponse<byte[]> head = bytes("HEAD", route + publicBucket + "/head.txt", route.contains("public") ? null : alice);
            assertEquals(200, head.statusCode(), route);
            assertEquals("12", head.headers().firstValue("Content-Length").orElse(null), route);
            assertEquals(0, head.body().length, route);
        }
        // public info needs no token in a public bucket, and gives nothing away in a private one
        assertEquals(12, ok(send("GET", "/object/info/public/" + publicBucket + "/head.txt", null, null, null), 200).get("size").asLong());
        assertTrue(send("GET", "/object/public/" + bucket + "/forms/one.txt", null, null, null).statusCode() >= 400);
    }

    @Test
    void takesTheApikeyHeaderAloneAndAnswersErrorsInSupabasesShape() throws Exception {
        HttpResponse<String> listed = HTTP.send(HttpRequest.newBuilder(URI.create(suite.gatewayUrl() + "/storage/v1/bucket"))
                .header("apikey", admin).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, listed.statusCode(), listed.body());
        assertTrue(JSON.readTree(listed.body()).isArray());

        JsonNode missing = error(send("GET", "/object/info/" + bucket + "/nothing-here.txt", alice, null, null), 400, "404");
        assertEquals("not_found", missing.get("error").asText());
        JsonNode duplicate = error(send("POST", "/bucket", admin, json(Map.of("name", bucket)), "application/json"), 400, "409");
        assertEquals("Duplicate", duplicate.get("error").asText());
        assertEquals("The resource already exists", duplicate.get("message").asText());
        JsonNode noBucket = error(send("GET", "/bucket/missing-" + UUID.randomUUID(), admin, null, null), 400, "404");
        assertEquals("Bucket not found", noBucket.get("message").asText());
        JsonNode tooBig = error(send("POST", "/object/" + bucket + "/big.bin", alice, new byte[1_100_000], "application/octet-stream"),
                400, "413");
        assertEquals("Payload too large", tooBig.get("error").asText());
    }

    // ---------------------------------------------------------------- helpers

    private static byte[] form(Map<String, String> fields, String... files) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StringBuilder head = new StringBuilder();
        fields.forEach((name, value) -> head.append("--").append(BOUNDARY).append("\r\n")
                .append("Content-Disposition: form-data; name=\"").append(name).append("\"\r\n\r\n").append(value).append("\r\n"));
        out.writeBytes(head.toString().getBytes(StandardCharsets.UTF_8));
        for (String file : files) {
            out.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"\"; filename=\"blob\"\r\n"
                    + "Content-Type: text/plain\r\n\r\n" + file + "\r\n").getBytes(StandardCharsets.UTF_8));
        }
        out.writeBytes(("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    private static byte[] json(Object body) throws Exception {
        return JSON.writeValueAsBytes(body);
    }

    private static HttpResponse<String> send(String method, String path, String token, byte[] body, String contentType)
            throws Exception {
        return sendWith(method, path, token, body, contentType, null, null);
    }

    private static HttpResponse<String> sendWith(String method, String path, String token, byte[] body, String contentType,
            String header, String value) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(suite.gatewayUrl() + "/storage/v1" + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (header != null) {
            request.header(header, value);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<byte[]> bytes(String method, String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(suite.gatewayUrl() + "/storage/v1" + path))
                .timeout(Duration.ofSeconds(30)).method(method, HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void purgesTheCdnCacheOfAnObjectABucketOrEverythingAsTheServiceRole() throws Exception {
        String service = SharedInfra.issuer().mintSupabaseStyle(null, "service_role");
        String name = "cdn/pic ü.png";
        byte[] png = SystemTestSupport.png(40, 30, java.awt.Color.GREEN);
        ok(send("POST", "/object/" + publicBucket + "/" + encodePath(name), admin, png, "image/png"), 200);
        String render = "/render/image/public/" + publicBucket + "/" + encodePath(name) + "?width=20&height=15";
        HttpResponse<byte[]> first = bytes("GET", render, null);
        assertEquals(200, first.statusCode());
        assertEquals("hit", bytes("GET", render, null).headers().firstValue("X-Stowage-Variant").orElse(""), "cached");

        // not the service role or an admin: Supabase's 400 with the real status inside; nothing published
        error(send("DELETE", "/cdn/" + publicBucket + "/" + encodePath(name), alice, null, null), 400, "403");
        error(send("DELETE", "/cdn/" + publicBucket + "/cdn/nothing.png", service, null, null), 400, "404");
        error(send("DELETE", "/cdn/no-such-bucket-" + UUID.randomUUID().toString().substring(0, 8), service, null, null), 400, "404");
        error(send("DELETE", "/cdn/" + publicBucket + "/" + encodePath(name), null, null, null), 400, "400");

        JsonNode purged = ok(send("DELETE", "/cdn/" + publicBucket + "/" + encodePath(name) + "?transformations=true", service, null, null), 200);
        assertEquals("success", purged.get("message").asText());
        assertEquals(1, purged.size(), purged.toString());

        // the purge is an event of its own, after the object's created event, for a CDN's consumer to act on
        String key = publicBucket + "/" + name;
        var events = SystemTestSupport.eventsFor(suite, key, 2);
        assertEquals("io.stowage.object.created.v1", SystemTestSupport.header(events.get(0), "ce_type"));
        assertEquals("io.stowage.cache.purged.v1", SystemTestSupport.header(events.get(1), "ce_type"));
        JsonNode notice = JSON.readTree(events.get(1).value());
        assertEquals("object", notice.get("scope").asText());
        assertEquals(name, notice.get("name").asText());
        assertTrue(notice.get("transformations").asBoolean());

        // image-service dropped the cached rendition: the next render is made again
        String variant = "hit";
        for (int i = 0; i < 100 && variant.equals("hit"); i++) {
            Thread.sleep(100);
            variant = bytes("GET", render, null).headers().firstValue("X-Stowage-Variant").orElse("");
        }
        assertEquals("miss", variant, "the purged rendition is rendered again");

        // a bucket, and everything (with and without the trailing slash)
        assertEquals("success", ok(send("DELETE", "/cdn/" + publicBucket, service, null, null), 200).get("message").asText());
        // the bucket's own events (created, updated...) share its key, so that a consumer sees them in order with its purges
        assertEquals(1, SystemTestSupport.eventsAtLeast(suite, publicBucket + "/", 2).stream()
                .filter(e -> "io.stowage.cache.purged.v1".equals(SystemTestSupport.header(e, "ce_type"))).count());
        assertEquals("success", ok(send("DELETE", "/cdn/", admin, null, null), 200).get("message").asText());
        assertEquals("success", ok(send("DELETE", "/cdn?transformations=true", admin, null, null), 200).get("message").asText());
    }

    private static JsonNode ok(HttpResponse<String> response, int status) throws Exception {
        assertEquals(status, response.statusCode(), response.request().method() + " " + response.request().uri() + ": " + response.body());
        return response.body().isEmpty() ? JSON.nullNode() : JSON.readTree(response.body());
    }

    /** An error in Supabase's shape: {@code statusCode} a string, {@code error} and {@code message} set. */
    private static JsonNode error(HttpResponse<String> response, int status, String statusCode) throws Exception {
        assertEquals(status, response.statusCode(), response.request().method() + " " + response.request().uri() + ": " + response.body());
        JsonNode body = JSON.readTree(response.body());
        assertTrue(body.get("statusCode").isTextual(), response.body());
        assertEquals(statusCode, body.get("statusCode").asText(), response.body());
        assertTrue(body.hasNonNull("error") && body.hasNonNull("message"), response.body());
        return body;
    }
}
