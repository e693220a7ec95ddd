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
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The native API's signed and public URLs through the gateway on the real services: a signed download
 * link of one file and of many (by ids and by names, an error per file the caller may not read), a signed
 * upload link anyone may PUT one name with (owned by the signer, create-only unless upsert), the public
 * URL of a file in a public bucket, and every link actually fetched: expired, tampered, another object's
 * and the other scope's tokens refused.
 */
class NativeSignedUrlSystemTest {

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

    private static JsonNode refused(HttpResponse<String> response, int status, String code) throws Exception {
        JsonNode error = ok(response, status);
        assertEquals(status, error.get("statusCode").asInt(), response.body());
        assertEquals(code, error.get("error").asText(), response.body());
        return error;
    }

    private static JsonNode put(String bucket, String name, String text, String token) throws Exception {
        return ok(call("PUT", "/v1/objects/" + bucket + "/" + SystemTestSupport.encodePath(name), token, text), 201);
    }

    private static String bucket(Map<String, Object> settings) throws Exception {
        String bucket = "signed-" + System.nanoTime();
        java.util.HashMap<String, Object> body = new java.util.HashMap<>(settings);
        body.put("name", bucket);
        ok(call("POST", "/v1/buckets", admin, body), 201);
        return bucket;
    }

    /** A link as handed out: relative to the gateway's root (no public URL is configured in the suite). */
    private static String link(JsonNode signed) {
        String url = signed.get("url").asText();
        assertTrue(url.startsWith("/v1/signed/"), url);
        return url;
    }

    @Test
    void aSignedDownloadLinkServesThatFileToAnyoneUntilItExpires() throws Exception {
        String bucket = bucket(Map.of());
        JsonNode file = put(bucket, "docs/a b+c.txt", "alpha bytes", alice);
        String id = file.get("id").asText();

        JsonNode signed = ok(call("POST", "/v1/files/" + id + "/signed-url", alice, Map.of("expiresIn", 60)), 200);
        assertTrue(Instant.parse(signed.get("expiresAt").asText()).isAfter(Instant.now().plusSeconds(50)), signed.toString());
        String url = link(signed);
        HttpResponse<String> fetched = call("GET", url, null, null);
        assertEquals(200, fetched.statusCode(), fetched.body());
        assertEquals("alpha bytes", fetched.body());
        assertEquals("\"" + file.get("etag").asText().replace("\"", "") + "\"", fetched.headers().firstValue("ETag").orElseThrow());
        // the link is the whole authorization: a caller's token beside it changes nothing
        assertEquals("alpha bytes", call("GET", url, bob, null).body());
        assertEquals(200, call("HEAD", url, null, null).statusCode());

        // download: true, or a file name, asks for an attachment
        String attachment = link(ok(call("POST", "/v1/files/" + id + "/signed-url", alice,
                Map.of("expiresIn", 60, "download", "report.txt")), 200));
        assertTrue(call("GET", attachment, null, null).headers().firstValue("Content-Disposition").orElse("")
                .contains("filename=\"report.txt\""));

        // only a caller who may read the file gets a link: bob may not read alice's private file
        refused(call("POST", "/v1/files/" + id + "/signed-url", bob, Map.of("expiresIn", 60)), 404, "ObjectNotFound");
        refused(call("POST", "/v1/files/" + id + "/signed-url", null, Map.of("expiresIn", 60)), 401, "Unauthorized");
        refused(call("POST", "/v1/files/" + id + "/signed-url", alice, Map.of("expiresIn", "60")), 400, "InvalidRequest");

        // a tampered token, another object's path, the upload scope: refused, nothing served or written
        String token = url.substring(url.indexOf("token=") + "token=".length());
        String tampered = url.substring(0, url.length() - 2) + (url.endsWith("A") ? "BB" : "AA");
        refused(call("GET", tampered, null, null), 401, "InvalidToken");
        put(bucket, "docs/other.txt", "other", alice);
        refused(call("GET", "/v1/signed/" + bucket + "/docs/other.txt?token=" + token, null, null), 403, "WrongObject");
        refused(call("PUT", url, null, "overwritten"), 403, "WrongScope");
        assertEquals("alpha bytes", call("GET", url, null, null).body());

        // an expired link is refused
        String shortLived = link(ok(call("POST", "/v1/files/" + id + "/signed-url", alice, Map.of("expiresIn", 1)), 200));
        Thread.sleep(2_100);
        refused(call("GET", shortLived, null, null), 401, "TokenExpired");
    }

    @Test
    void signsManyFilesInOrderWithAnErrorForEachOneTheCallerMayNotRead() throws Exception {
        String bucket = bucket(Map.of());
        JsonNode a = put(bucket, "a.txt", "first", alice);
        JsonNode b = put(bucket, "b.txt", "second", alice);
        JsonNode bobs = put(bucket, "bobs.txt", "bob's", bob);

        JsonNode byIds = ok(call("POST", "/v1/files/signed-urls", alice, Map.of("expiresIn", 60,
                "ids", List.of(b.get("id").asText(), "no-such-file", bobs.get("id").asText(), a.get("id").asText()))), 200);
        JsonNode items = byIds.get("items");
        assertEquals(4, items.size(), byIds.toString());
        assertEquals(b.get("id").asText(), items.get(0).get("id").asText());
        assertEquals("second", call("GET", link(items.get(0)), null, null).body());
        assertEquals(404, items.get(1).get("error").get("statusCode").asInt(), items.toString());
        assertEquals(404, items.get(2).get("error").get("statusCode").asInt(), "bob's private file is not alice's to sign");
        assertTrue(!items.get(2).has("url"));
        assertEquals("first", call("GET", link(items.get(3)), null, null).body());

        JsonNode byNames = ok(call("POST", "/v1/files/signed-urls", alice, Map.of("expiresIn", 60, "bucket", bucket,
                "names", List.of("a.txt", "missing.txt", "x/../y", "b.txt"))), 200).get("items");
        assertEquals(4, byNames.size());
        assertEquals("a.txt", byNames.get(0).get("name").asText());
        assertEquals("first", call("GET", link(byNames.get(0)), null, null).body());
        assertEquals("ObjectNotFound", byNames.get(1).get("error").get("error").asText(), byNames.toString());
        assertEquals("InvalidObjectName", byNames.get(2).get("error").get("error").asText(), byNames.toString());
        assertEquals("second", call("GET", link(byNames.get(3)), null, null).body());

        // 0 or more than 1,000 files are refused whole
        refused(call("POST", "/v1/files/signed-urls", alice, Map.of("expiresIn", 60, "ids", List.of())), 400, "InvalidRequest");
        List<String> tooMany = java.util.stream.IntStream.range(0, 1001).mapToObj(i -> "id" + i).toList();
        refused(call("POST", "/v1/files/signed-urls", alice, Map.of("expiresIn", 60, "ids", tooMany)), 400, "InvalidRequest");
        // a thousand is the most: each answered in order
        List<String> thousand = java.util.stream.IntStream.range(0, 1000).mapToObj(i -> i % 2 == 0 ? a.get("id").asText() : "gone" + i)
                .toList();
        JsonNode big = ok(call("POST", "/v1/files/signed-urls", alice, Map.of("expiresIn", 60, "ids", thousand)), 200).get("items");
        assertEquals(1000, big.size());
        assertTrue(big.get(998).has("url") && big.get(999).has("error"), big.get(998) + " " + big.get(999));
    }

    @Test
    void aSignedUploadLinkLetsAnyonePutThatOneNameOwnedByTheSigner() throws Exception {
        String bucket = bucket(Map.of("fileSizeLimit", 100, "allowedMimeTypes", List.of("text/*")));
        JsonNode own = put(bucket, "own.txt", "alice's", alice);

        JsonNode signed = ok(call("POST", "/v1/files/signed-upload-url", alice, Map.of("bucket", bucket, "path", "up/new file.txt",
                "contentType", "text/plain", "size", 5, "expiresIn", 60)), 200);
        assertEquals("PUT", signed.get("method").asText());
        String url = link(signed);
        // the declared type and length are signed into the link: another type or length is refused, nothing written
        refused(call("PUT", url, null, "hello!"), 413, "PayloadTooLarge");
        refused(call("PUT", url, null, "hell"), 400, "InvalidRequest");
        refused(HTTP.send(HttpRequest.newBuilder(URI.create(suite.gatewayUrl() + url)).header("Content-Type", "text/csv")
                .PUT(HttpRequest.BodyPublishers.ofString("hello")).build(), HttpResponse.BodyHandlers.ofString()), 415, "InvalidMimeType");
        assertEquals(404, call("GET", "/v1/objects/" + bucket + "/up/new%20file.txt", alice, null).statusCode());
        JsonNode created = ok(call("PUT", url, null, "hello"), 201);
        assertEquals(own.get("owner").asText(), created.get("owner").asText(), "the object belongs to the signer");
        assertEquals("up/new file.txt", created.get("name").asText());
        assertEquals("hello", call("GET", "/v1/objects/" + bucket + "/up/new%20file.txt", alice, null).body());
        // create-only: the same link meets the taken name with 409, nothing replaced
        refused(call("PUT", url, null, "again"), 409, "ObjectAlreadyExists");
        // the link names one object and one scope
        refused(call("PUT", url.replace("new%20file.txt", "other.txt"), null, "planted"), 403, "WrongObject");
        refused(call("GET", url, null, null), 403, "WrongScope");

        // upsert: the signer's own object is replaced
        String upsert = link(ok(call("POST", "/v1/files/signed-upload-url", alice, Map.of("bucket", bucket, "path", "up/new file.txt",
                "upsert", true, "expiresIn", 60)), 200));
        ok(call("PUT", upsert, null, "replaced"), 201);
        assertEquals("replaced", call("GET", "/v1/objects/" + bucket + "/up/new%20file.txt", alice, null).body());

        // bob cannot learn of nor overwrite alice's private object: his upsert link is a create-only one
        String bobs = link(ok(call("POST", "/v1/files/signed-upload-url", bob, Map.of("bucket", bucket, "path", "own.txt",
                "upsert", true, "expiresIn", 60)), 200));
        refused(call("PUT", bobs, null, "bob's"), 409, "ObjectAlreadyExists");
        assertEquals("alice's", call("GET", "/v1/objects/" + bucket + "/own.txt", alice, null).body());

        // the bucket's limits refuse a declared size or type at signing; the PUT is checked again
        refused(call("POST", "/v1/files/signed-upload-url", alice, Map.of("bucket", bucket, "path", "big.txt", "size", 1000,
                "expiresIn", 60)), 413, "PayloadTooLarge");
        refused(call("POST", "/v1/files/signed-upload-url", alice, Map.of("bucket", bucket, "path", "x.png",
                "contentType", "image/png", "expiresIn", 60)), 415, "InvalidMimeType");
        String undeclared = link(ok(call("POST", "/v1/files/signed-upload-url", alice, Map.of("bucket", bucket, "path", "big.txt",
                "expiresIn", 60)), 200));
        refused(call("PUT", undeclared, null, "x".repeat(1000)), 413, "PayloadTooLarge");
        refused(call("POST", "/v1/files/signed-upload-url", alice, Map.of("bucket", "no-such-bucket-" + System.nanoTime(),
                "path", "x.txt", "expiresIn", 60)), 404, "BucketNotFound");
        refused(call("POST", "/v1/files/signed-upload-url", null, Map.of("bucket", bucket, "path", "x.txt", "expiresIn", 60)),
                401, "Unauthorized");

        // an expired upload link writes nothing
        String shortLived = link(ok(call("POST", "/v1/files/signed-upload-url", alice, Map.of("bucket", bucket, "path", "late.txt",
                "expiresIn", 1)), 200));
        Thread.sleep(2_100);
        refused(call("PUT", shortLived, null, "late"), 401, "TokenExpired");
        assertEquals(404, call("GET", "/v1/objects/" + bucket + "/late.txt", alice, null).statusCode());
    }

    @Test
    void aPublicUrlIsHandedOutOnlyForWhatAnyoneMayRead() throws Exception {
        String bucket = bucket(Map.of());
        JsonNode file = put(bucket, "pics/p 1.txt", "public bytes", alice);
        String id = file.get("id").asText();
        refused(call("GET", "/v1/files/" + id + "/public-url", alice, null), 404, "ObjectNotFound");
        ok(call("PATCH", "/v1/buckets/" + bucket, admin, Map.of("public", true)), 200);
        JsonNode answer = ok(call("GET", "/v1/files/" + id + "/public-url", alice, null), 200);
        String url = answer.get("url").asText();
        assertEquals("/v1/public/" + bucket + "/pics/p%201.txt", url);
        assertEquals("public bytes", call("GET", url, null, null).body());
        refused(call("GET", "/v1/files/no-such-file/public-url", alice, null), 404, "ObjectNotFound");
        refused(call("GET", "/v1/files/" + id + "/public-url", null, null), 401, "Unauthorized");
    }
}
