package io.stowage.signing;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.stowage.infra.S3Server;
import io.stowage.infra.SharedInfra;
import io.stowage.infra.quarkus.OidcResource;
import io.stowage.infra.quarkus.S3Resource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Presigned URLs from the service, exercised against the real S3 server that verifies SigV4. */
@QuarkusTest
@WithTestResource(S3Resource.class)
@WithTestResource(OidcResource.class)
@WithTestResource(TestKeysResource.class)
class SignResourceTest {

    /** Health and metrics are served on the management interface, apart from the API. */
    @TestHTTPResource(value = "/metrics", management = true)
    java.net.URL metrics;

    @TestHTTPResource(value = "/health/ready", management = true)
    java.net.URL readiness;

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static S3Client s3;
    private static String bucket;

    @BeforeAll
    static void s3Client() {
        S3Server server = SharedInfra.s3();
        bucket = server.bucket();
        s3 = server.client();
    }

    @AfterAll
    static void closeClient() {
        s3.close();
    }

    @Test
    void presignedPutStoresTheBytesWhenTheGivenHeadersAreSent() throws Exception {
        String key = "blobs/" + UUID.randomUUID();
        byte[] body = "hello stowage".getBytes(StandardCharsets.UTF_8);

        JsonPath signed = sign(Map.of("operation", "s3:PutObject", "key", key,
                "contentType", "text/plain", "contentLength", body.length));

        assertEquals("PUT", signed.getString("method"));
        Map<String, String> headers = signed.getMap("headers");
        assertEquals("text/plain", headers.get("content-type"));
        assertEquals(String.valueOf(body.length), headers.get("content-length"));
        assertFalse(headers.containsKey("host"));
        assertTrue(signed.getString("url").startsWith(SharedInfra.s3().endpoint() + "/" + bucket + "/" + key));
        assertTrue(Instant.parse(signed.getString("expiresAt")).isAfter(Instant.now()));

        assertEquals(200, put(signed, body, null).statusCode());
        assertArrayEquals(body, s3.getObjectAsBytes(r -> r.bucket(bucket).key(key)).asByteArray());
        assertEquals("text/plain", s3.headObject(r -> r.bucket(bucket).key(key)).contentType());

        given().get(metrics).then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString("stowage_signatures_issued_total{operation=\"s3:PutObject\"}"));
    }

    @Test
    void s3RefusesAPutOfAnotherLengthOrContentType() throws Exception {
        String key = "blobs/" + UUID.randomUUID();
        JsonPath signed = sign(Map.of("operation", "s3:PutObject", "key", key,
                "contentType", "image/png", "contentLength", 10));

        assertEquals(403, put(signed, new byte[11], null).statusCode());
        assertEquals(403, put(signed, new byte[9], null).statusCode());
        assertEquals(403, put(signed, new byte[10], "text/html").statusCode());
        assertThrows(NoSuchKeyException.class, () -> s3.headObject(r -> r.bucket(bucket).key(key)));

        assertEquals(200, put(signed, new byte[10], null).statusCode());
        assertEquals(10L, s3.headObject(r -> r.bucket(bucket).key(key)).contentLength());
    }

    @Test
    void signsTheChecksumSoTheClientMustSendIt() throws Exception {
        String key = "blobs/" + UUID.randomUUID();
        byte[] body = "checked bytes".getBytes(StandardCharsets.UTF_8);
        String digest = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(body));

        JsonPath signed = sign(Map.of("operation", "s3:PutObject", "key", key, "contentType", "text/plain",
                "contentLength", body.length, "checksumSha256", digest));

        assertEquals(digest, signed.getMap("headers").get("x-amz-checksum-sha256"));
        assertEquals(200, put(signed, body, null).statusCode());
        assertArrayEquals(body, s3.getObjectAsBytes(r -> r.bucket(bucket).key(key)).asByteArray());
    }

    @Test
    void presignedGetReturnsTheBytesWithTheAskedDisposition() throws Exception {
        String key = "blobs/" + UUID.randomUUID();
        byte[] body = "downloaded".getBytes(StandardCharsets.UTF_8);
        s3.putObject(r -> r.bucket(bucket).key(key).contentType("text/plain"), RequestBody.fromBytes(body));

        JsonPath signed = sign(Map.of("operation", "s3:GetObject", "key", key,
                "responseContentDisposition", "attachment; filename=\"a.txt\""));

        assertEquals("GET", signed.getString("method"));
        HttpResponse<byte[]> response = HTTP.send(
                HttpRequest.newBuilder(URI.create(signed.getString("url"))).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, response.statusCode());
        assertArrayEquals(body, response.body());
        assertEquals("attachment; filename=\"a.txt\"",
                response.headers().firstValue("content-disposition").orElse(null));
    }

    @Test
    void s3RefusesATamperedUrl() throws Exception {
        String key = "blobs/" + UUID.randomUUID();
        String other = "blobs/" + UUID.randomUUID();
        s3.putObject(r -> r.bucket(bucket).key(other), RequestBody.fromBytes(new byte[]{1, 2, 3}));
        s3.putObject(r -> r.bucket(bucket).key(key), RequestBody.fromBytes(new byte[]{4, 5, 6}));

        String url = sign(Map.of("operation", "s3:GetObject", "key", key)).getString("url");

        assertEquals(403, get(url.replace(key, other)).statusCode());
        assertEquals(403, get(url.replaceFirst("X-Amz-Expires=\\d+", "X-Amz-Expires=604800")).statusCode());
        assertEquals(200, get(url).statusCode());
    }

    @Test
    void s3RefusesAnExpiredUrl() throws Exception {
        String key = "blobs/" + UUID.randomUUID();
        s3.putObject(r -> r.bucket(bucket).key(key), RequestBody.fromBytes(new byte[]{7}));

        JsonPath signed = sign(Map.of("operation", "s3:GetObject", "key", key, "expiresIn", 1));
        Instant expiresAt = Instant.parse(signed.getString("expiresAt"));
        // SigV4 expiry has one-second resolution: wait until the URL is certainly past it.
        while (!Instant.now().isAfter(expiresAt.plusSeconds(1))) {
            Thread.sleep(200);
        }

        assertEquals(403, get(signed.getString("url")).statusCode());
    }

    @Test
    void rejectsInvalidRequestsWithTheErrorShape() {
        for (Map<String, Object> bad : new Map[]{
                Map.of("operation", "s3:PutObject", "key", ""),
                Map.of("operation", "s3:PutObject", "key", "/blobs/x"),
                Map.of("operation", "s3:PutObject", "key", "blobs/../secret"),
                Map.of("operation", "s3:GetObject", "key", "blobs/./x"),
                Map.of("operation", "s3:DeleteObject", "key", "blobs/x"),
                Map.of("operation", "s3:GetObject", "key", "blobs/x", "expiresIn", 0),
                Map.of("operation", "s3:GetObject", "key", "blobs/x", "expiresIn", 604801),
                Map.of("operation", "s3:PutObject", "key", "blobs/x", "contentLength", -1),
                Map.of("operation", "s3:PutObject", "key", "blobs/x", "checksumSha256", "not-a-digest")}) {
            given().auth().oauth2(token()).contentType(ContentType.JSON).body(bad)
                    .when().post("/v1/sign")
                    .then().statusCode(400)
                    .body("statusCode", equalTo(400))
                    .body("error", equalTo("InvalidRequest"));
        }
        given().auth().oauth2(token()).contentType(ContentType.JSON).body("{not json")
                .when().post("/v1/sign")
                .then().statusCode(400).body("error", equalTo("InvalidRequest"));
    }

    @Test
    void acceptsTheLongestExpiryS3Allows() {
        given().auth().oauth2(token()).contentType(ContentType.JSON)
                .body(Map.of("operation", "s3:GetObject", "key", "blobs/x", "expiresIn", 604800))
                .when().post("/v1/sign")
                .then().statusCode(200).body("url", org.hamcrest.Matchers.containsString("X-Amz-Expires=604800"));
    }

    @Test
    void refusesCallersWithoutAValidToken() {
        Map<String, Object> body = Map.of("operation", "s3:GetObject", "key", "blobs/x");
        given().contentType(ContentType.JSON).body(body)
                .when().post("/v1/sign")
                .then().statusCode(401)
                .body("statusCode", equalTo(401)).body("error", equalTo("Unauthorized"));
        given().auth().oauth2(token() + "x").contentType(ContentType.JSON).body(body)
                .when().post("/v1/sign")
                .then().statusCode(401).body("error", equalTo("Unauthorized"));
    }

    @Test
    void presignedGetAnswersWithTheAskedContentType() throws Exception {
        String key = "blobs/" + UUID.randomUUID();
        s3.putObject(r -> r.bucket(bucket).key(key).contentType("application/octet-stream"), RequestBody.fromBytes(new byte[]{1}));

        JsonPath signed = sign(Map.of("operation", "s3:GetObject", "key", key,
                "responseContentType", "image/png", "responseContentDisposition", "inline"));

        HttpResponse<String> response = get(signed.getString("url"));
        assertEquals(200, response.statusCode());
        assertEquals("image/png", response.headers().firstValue("content-type").orElse(null));
        assertEquals("inline", response.headers().firstValue("content-disposition").orElse(null));
    }

    @Test
    void presignedUploadPartsCompleteAMultipartUpload() throws Exception {
        String key = "blobs/" + UUID.randomUUID();
        String uploadId = s3.createMultipartUpload(r -> r.bucket(bucket).key(key).contentType("application/octet-stream")).uploadId();
        byte[] first = new byte[5 * 1024 * 1024];
        java.util.Arrays.fill(first, (byte) 'a');
        byte[] second = "the last part".getBytes(StandardCharsets.UTF_8);

        List<CompletedPart> parts = new ArrayList<>();
        int number = 1;
        for (byte[] part : List.of(first, second)) {
            JsonPath signed = sign(Map.of("operation", "s3:UploadPart", "key", key, "uploadId", uploadId,
                    "partNumber", number, "contentLength", part.length));
            assertEquals("PUT", signed.getString("method"));
            assertTrue(signed.getString("url").contains("partNumber=" + number));
            HttpResponse<String> response = put(signed, part, null);
            assertEquals(200, response.statusCode(), response.body());
            parts.add(CompletedPart.builder().partNumber(number).eTag(response.headers().firstValue("etag").orElseThrow()).build());
            number++;
        }
        // a part of another length than signed is refused
        JsonPath signed = sign(Map.of("operation", "s3:UploadPart", "key", key, "uploadId", uploadId,
                "partNumber", 3, "contentLength", 10));
        assertEquals(403, put(signed, new byte[11], null).statusCode());

        s3.completeMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(uploadId)
                .multipartUpload(m -> m.parts(parts)));
        byte[] stored = s3.getObjectAsBytes(r -> r.bucket(bucket).key(key)).asByteArray();
        assertEquals(first.length + second.length, stored.length);
        assertArrayEquals(second, java.util.Arrays.copyOfRange(stored, first.length, stored.length));
    }

    @Test
    void aPartUrlForOneUploadIsRefusedForAnother() throws Exception {
        String key = "blobs/" + UUID.randomUUID();
        String uploadId = s3.createMultipartUpload(r -> r.bucket(bucket).key(key)).uploadId();
        String otherId = s3.createMultipartUpload(r -> r.bucket(bucket).key(key)).uploadId();
        JsonPath signed = sign(Map.of("operation", "s3:UploadPart", "key", key, "uploadId", uploadId, "partNumber", 1));

        String tampered = signed.getString("url").replace(
                "uploadId=" + java.net.URLEncoder.encode(uploadId, StandardCharsets.UTF_8),
                "uploadId=" + java.net.URLEncoder.encode(otherId, StandardCharsets.UTF_8));
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(tampered))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(new byte[3])).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(403, response.statusCode());
        s3.abortMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(uploadId));
        s3.abortMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(otherId));
    }

    @Test
    void refusesUploadPartRequestsWithoutTheirUploadOrPart() {
        for (Map<String, Object> bad : new Map[]{
                Map.of("operation", "s3:UploadPart", "key", "blobs/x", "partNumber", 1),
                Map.of("operation", "s3:UploadPart", "key", "blobs/x", "uploadId", "u"),
                Map.of("operation", "s3:UploadPart", "key", "blobs/x", "uploadId", "u", "partNumber", 0),
                Map.of("operation", "s3:UploadPart", "key", "blobs/x", "uploadId", "u", "partNumber", 10001),
                Map.of("operation", "s3:UploadPart", "key", "blobs/x", "uploadId", "u u", "partNumber", 1),
                Map.of("operation", "s3:GetObject", "key", "blobs/x", "responseContentType", "not a type")}) {
            given().auth().oauth2(token()).contentType(ContentType.JSON).body(bad)
                    .when().post("/v1/sign")
                    .then().statusCode(400).body("error", equalTo("InvalidRequest"));
        }
    }

    @Test
    void batchSignsEveryRequestInOrderAndReportsTheOnesItCannot() throws Exception {
        String key = "blobs/" + UUID.randomUUID();
        s3.putObject(r -> r.bucket(bucket).key(key), RequestBody.fromBytes(new byte[]{9, 9}));
        List<Map<String, Object>> requests = List.of(
                Map.of("operation", "s3:GetObject", "key", key),
                Map.of("operation", "s3:GetObject", "key", "../escape"),
                Map.of("operation", "stowage:download", "bucket", "photos", "name", "a.png"),
                Map.of("operation", "s3:DeleteObject", "key", key),
                Map.of("operation", "image:url", "path", "300x200/photos/a.png"),
                Map.of("operation", "s3:PutObject", "key", key, "expiresIn", 604801));

        JsonPath batch = given().auth().oauth2(token()).contentType(ContentType.JSON).body(Map.of("requests", requests))
                .when().post("/v1/sign/batch")
                .then().statusCode(200).extract().jsonPath();

        assertEquals(6, batch.getList("results").size());
        assertEquals(200, get(batch.getString("results[0].url")).statusCode());
        assertEquals("InvalidRequest", batch.getString("results[1].error.error"));
        assertEquals(400, batch.getInt("results[1].error.statusCode"));
        assertTrue(batch.getString("results[1].error.message").contains("'.' or '..'"));
        assertTrue(batch.getString("results[2].token").contains("."));
        assertTrue(batch.getString("results[2].url").startsWith("/object/sign/photos/a.png?token="));
        assertTrue(batch.getString("results[3].error.message").contains("operation must be one of"));
        assertTrue(batch.getString("results[4].url").startsWith("/img/"));
        assertTrue(batch.getString("results[5].error.message").contains("expiresIn"));
        assertEquals(null, batch.getString("results[0].error"));
    }

    @Test
    void batchSignsAThousandButNotOneMore() {
        List<Map<String, Object>> thousand = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            thousand.add(Map.of("operation", "s3:GetObject", "key", "blobs/" + i));
        }
        JsonPath batch = given().auth().oauth2(token()).contentType(ContentType.JSON).body(Map.of("requests", thousand))
                .when().post("/v1/sign/batch")
                .then().statusCode(200).extract().jsonPath();
        assertEquals(1000, batch.getList("results").size());
        assertTrue(batch.getString("results[999].url").contains("/blobs/999?"));

        thousand.add(Map.of("operation", "s3:GetObject", "key", "blobs/1000"));
        given().auth().oauth2(token()).contentType(ContentType.JSON).body(Map.of("requests", thousand))
                .when().post("/v1/sign/batch")
                .then().statusCode(400).body("error", equalTo("InvalidRequest"))
                .body("message", org.hamcrest.Matchers.containsString("1 to 1000"));
        given().auth().oauth2(token()).contentType(ContentType.JSON).body(Map.of("requests", List.of()))
                .when().post("/v1/sign/batch")
                .then().statusCode(400).body("error", equalTo("InvalidRequest"));
        given().auth().oauth2(token()).contentType(ContentType.JSON).body(Map.of())
                .when().post("/v1/sign/batch")
                .then().statusCode(400).body("error", equalTo("InvalidRequest"));
    }

    @Test
    void reportsHealthy() {
        given().when().get(readiness).then().statusCode(200).body("status", equalTo("UP"));
    }

    /** The client-credentials token of another Stowage service. */
    static String token() {
        return SharedInfra.issuer().mint("service-account-stowage-upload", Set.of("stowage-service"));
    }

    static JsonPath sign(Map<String, Object> request) {
        return given().auth().oauth2(token()).contentType(ContentType.JSON).body(request)
                .when().post("/v1/sign")
                .then().statusCode(200).extract().jsonPath();
    }

    /** Sends the signed headers as given, except those java.net.http sets itself from the body. */
    private static HttpResponse<String> put(JsonPath signed, byte[] body, String contentTypeOverride) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(signed.getString("url")))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body));
        Map<String, String> headers = signed.getMap("headers");
        headers.forEach((name, value) -> {
            if (!name.equals("content-length")) {
                request.header(name, name.equals("content-type") && contentTypeOverride != null ? contentTypeOverride : value);
            }
        });
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
