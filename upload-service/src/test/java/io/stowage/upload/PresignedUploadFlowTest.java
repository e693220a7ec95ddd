package io.stowage.upload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.stowage.infra.S3Server;
import io.stowage.infra.SharedInfra;
import io.stowage.infra.quarkus.KafkaResource;
import io.stowage.infra.quarkus.OidcResource;
import io.stowage.infra.quarkus.S3Resource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static io.stowage.upload.CatalogStubs.bucket;
import static io.stowage.upload.CatalogStubs.json;
import static io.stowage.upload.CatalogStubs.token;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The three-step presigned upload against the real S3 server and token issuer, with real
 * presigning and metadata-service stubbed by WireMock.
 */
@QuarkusTest
@WithTestResource(S3Resource.class)
@WithTestResource(OidcResource.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(UpstreamsResource.class)
class PresignedUploadFlowTest {

    /** Health is served on the management interface, apart from the API. */
    @io.quarkus.test.common.http.TestHTTPResource(value = "/health/ready", management = true)
    java.net.URL readiness;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final byte[] PNG = pngBytes(300);

    private static S3Client s3;
    private static String physicalBucket;

    @InjectWireMock
    WireMockServer metadata;

    @BeforeAll
    static void s3Client() {
        S3Server server = SharedInfra.s3();
        physicalBucket = server.bucket();
        s3 = server.client();
    }

    @AfterAll
    static void closeClient() {
        s3.close();
    }

    @BeforeEach
    void buckets() {
        CatalogStubs.resetWithBuckets(metadata);
        metadata.stubFor(get(urlEqualTo("/v1/buckets/missing")).willReturn(json(404,
                "{\"statusCode\":404,\"error\":\"BucketNotFound\",\"message\":\"bucket 'missing' not found\"}")));
    }

    @Test
    void registersAnUploadInThreeStepsAndAgainWithTheSameAnswer() throws Exception {
        String alice = token("alice");
        JsonPath issued = presign(alice, Map.of("bucket", "photos", "path", "cats/tom.png",
                "contentType", "image/png", "size", PNG.length, "visibility", "public"))
                .statusCode(200).extract().jsonPath();
        String uploadId = issued.getString("uploadId");
        assertEquals("PUT", issued.getString("method"));
        assertTrue(issued.getString("url").startsWith(SharedInfra.s3().endpoint() + "/" + physicalBucket + "/blobs/"));
        assertEquals("image/png", issued.getMap("headers").get("content-type"));
        assertTrue(Instant.parse(issued.getString("expiresAt")).isAfter(Instant.now()));
        metadata.verify(getRequestedFor(urlEqualTo("/v1/buckets/photos")).withHeader("Authorization", equalTo("Bearer " + alice)));
        // signing-service was called as upload-service itself (client credentials), never as alice
        assertTrue(UpstreamsResource.SIGNING_CALLERS.contains("service-account-stowage-upload"));
        assertTrue(!UpstreamsResource.SIGNING_CALLERS.contains("alice"));

        JsonNode pending = pendingUpload(uploadId);
        assertEquals("alice", pending.get("owner").asText());
        assertEquals("cats/tom.png", pending.get("path").asText());
        String blobKey = pending.get("blobKey").asText();

        assertEquals(200, putTo(issued, PNG, null).statusCode());
        stubRegistration(uploadId, "cats/tom.png", blobKey);

        given().auth().oauth2(alice).contentType(ContentType.JSON).body(Map.of("uploadId", uploadId))
                .when().post("/v1/files")
                .then().statusCode(201)
                .body("id", org.hamcrest.Matchers.equalTo("file-" + uploadId))
                .body("name", org.hamcrest.Matchers.equalTo("cats/tom.png"));

        String etag = s3.headObject(r -> r.bucket(physicalBucket).key(blobKey)).eTag().replace("\"", "");
        metadata.verify(postRequestedFor(urlEqualTo("/internal/objects"))
                .withHeader("Authorization", equalTo("Bearer " + alice))
                .withRequestBody(equalToJson("""
                        {"uploadId": "%s", "bucket": "photos", "name": "cats/tom.png", "blobKey": "%s",
                         "size": %d, "contentType": "image/png", "etag": "%s", "visibility": "public"}"""
                        .formatted(uploadId, blobKey, PNG.length, etag))));
        assertArrayEquals(PNG, s3.getObjectAsBytes(r -> r.bucket(physicalBucket).key(blobKey)).asByteArray());
        assertEquals("file-" + uploadId, pendingUpload(uploadId).get("objectId").asText());

        given().auth().oauth2(alice).contentType(ContentType.JSON).body(Map.of("uploadId", uploadId))
                .when().post("/v1/files")
                .then().statusCode(200)
                .body("id", org.hamcrest.Matchers.equalTo("file-" + uploadId));
        metadata.verify(2, postRequestedFor(urlEqualTo("/internal/objects"))
                .withRequestBody(matchingJsonPath("$.uploadId", equalTo(uploadId))));
    }

    @Test
    void s3RefusesABodyOfAnotherSizeAndNothingIsRegistered() throws Exception {
        String alice = token("alice");
        JsonPath issued = presign(alice, Map.of("bucket", "docs", "path", "notes.txt",
                "contentType", "text/plain", "size", 10)).statusCode(200).extract().jsonPath();

        assertEquals(403, putTo(issued, new byte[11], null).statusCode());
        assertEquals(403, putTo(issued, new byte[10], "text/html").statusCode());

        given().auth().oauth2(alice).contentType(ContentType.JSON).body(Map.of("uploadId", issued.getString("uploadId")))
                .when().post("/v1/files")
                .then().statusCode(422)
                .body("statusCode", org.hamcrest.Matchers.equalTo(422))
                .body("error", org.hamcrest.Matchers.equalTo("UploadMismatch"));
        metadata.verify(0, postRequestedFor(urlEqualTo("/internal/objects")));
    }

    @Test
    void refusesBytesThatAreNotAnImageInAnImageBucketAndDeletesThem() throws Exception {
        String alice = token("alice");
        byte[] html = "<html><script>alert(1)</script></html>".getBytes(StandardCharsets.UTF_8);
        JsonPath issued = presign(alice, Map.of("bucket", "photos", "path", "fake.png",
                "contentType", "image/png", "size", html.length)).statusCode(200).extract().jsonPath();
        String uploadId = issued.getString("uploadId");
        String blobKey = pendingUpload(uploadId).get("blobKey").asText();

        assertEquals(200, putTo(issued, html, null).statusCode());
        assertEquals(html.length, s3.headObject(r -> r.bucket(physicalBucket).key(blobKey)).contentLength());

        given().auth().oauth2(alice).contentType(ContentType.JSON).body(Map.of("uploadId", uploadId))
                .when().post("/v1/files")
                .then().statusCode(422)
                .body("error", org.hamcrest.Matchers.equalTo("UploadMismatch"));
        assertThrows(NoSuchKeyException.class, () -> s3.headObject(r -> r.bucket(physicalBucket).key(blobKey)));
        metadata.verify(0, postRequestedFor(urlEqualTo("/internal/objects")));
    }

    @Test
    void passesMetadataRefusalsThroughUnchangedAndDropsTheUnusedBlob() throws Exception {
        String alice = token("alice");
        JsonPath issued = presign(alice, Map.of("bucket", "photos", "path", "taken.png",
                "contentType", "image/png", "size", PNG.length)).statusCode(200).extract().jsonPath();
        String uploadId = issued.getString("uploadId");
        String blobKey = pendingUpload(uploadId).get("blobKey").asText();
        assertEquals(200, putTo(issued, PNG, null).statusCode());
        String conflict = "{\"statusCode\":409,\"error\":\"ObjectAlreadyExists\",\"message\":\"object 'taken.png' exists\"}";
        metadata.stubFor(post(urlEqualTo("/internal/objects")).willReturn(json(409, conflict)));

        String body = given().auth().oauth2(alice).contentType(ContentType.JSON).body(Map.of("uploadId", uploadId))
                .when().post("/v1/files")
                .then().statusCode(409).extract().asString();

        assertEquals(JSON.readTree(conflict), JSON.readTree(body));
        assertThrows(NoSuchKeyException.class, () -> s3.headObject(r -> r.bucket(physicalBucket).key(blobKey)));
    }

    @Test
    void refusesAnUploadLargerThanTheBucketLimit() {
        presign(token("alice"), Map.of("bucket", "photos", "path", "big.png", "contentType", "image/png", "size", 1001))
                .statusCode(413)
                .body("statusCode", org.hamcrest.Matchers.equalTo(413))
                .body("error", org.hamcrest.Matchers.equalTo("PayloadTooLarge"));
    }

    @Test
    void refusesAContentTypeTheBucketDoesNotAllow() {
        presign(token("alice"), Map.of("bucket", "photos", "path", "a.txt", "contentType", "text/plain", "size", 5))
                .statusCode(415)
                .body("error", org.hamcrest.Matchers.equalTo("InvalidMimeType"));
    }

    @Test
    void passesTheUnknownBucketAnswerThrough() {
        presign(token("alice"), Map.of("bucket", "missing", "path", "a.png", "contentType", "image/png", "size", 5))
                .statusCode(404)
                .body("error", org.hamcrest.Matchers.equalTo("BucketNotFound"))
                .body("message", org.hamcrest.Matchers.equalTo("bucket 'missing' not found"));
    }

    @Test
    void hidesAnUploadFromAnyoneButItsOwner() {
        JsonPath issued = presign(token("alice"), Map.of("bucket", "docs", "path", "mine.txt",
                "contentType", "text/plain", "size", 4)).statusCode(200).extract().jsonPath();

        given().auth().oauth2(token("bob")).contentType(ContentType.JSON).body(Map.of("uploadId", issued.getString("uploadId")))
                .when().post("/v1/files")
                .then().statusCode(404).body("error", org.hamcrest.Matchers.equalTo("UploadNotFound"));
        given().auth().oauth2(token("alice")).contentType(ContentType.JSON).body(Map.of("uploadId", UUID.randomUUID().toString()))
                .when().post("/v1/files")
                .then().statusCode(404).body("error", org.hamcrest.Matchers.equalTo("UploadNotFound"));
        given().auth().oauth2(token("alice")).contentType(ContentType.JSON).body(Map.of("uploadId", "../uploads/x"))
                .when().post("/v1/files")
                .then().statusCode(404).body("error", org.hamcrest.Matchers.equalTo("UploadNotFound"));
        metadata.verify(0, postRequestedFor(urlEqualTo("/internal/objects")));
    }

    @Test
    void answersGoneForAnExpiredUploadAndDropsItsBlob() throws Exception {
        String uploadId = UUID.randomUUID().toString();
        String blobKey = "blobs/" + UUID.randomUUID();
        s3.putObject(r -> r.bucket(physicalBucket).key(blobKey).contentType("text/plain"), RequestBody.fromBytes(new byte[4]));
        Map<String, Object> expired = new LinkedHashMap<>();
        expired.put("uploadId", uploadId);
        expired.put("owner", "alice");
        expired.put("bucket", "docs");
        expired.put("path", "late.txt");
        expired.put("contentType", "text/plain");
        expired.put("size", 4);
        expired.put("blobKey", blobKey);
        expired.put("createdAt", "2020-01-01T00:00:00Z");
        expired.put("expiresAt", "2020-01-01T00:15:00Z");
        s3.putObject(r -> r.bucket(physicalBucket).key("uploads/" + uploadId + ".json"),
                RequestBody.fromBytes(JSON.writeValueAsBytes(expired)));

        given().auth().oauth2(token("alice")).contentType(ContentType.JSON).body(Map.of("uploadId", uploadId))
                .when().post("/v1/files")
                .then().statusCode(410).body("error", org.hamcrest.Matchers.equalTo("UploadExpired"));
        assertThrows(NoSuchKeyException.class, () -> s3.headObject(r -> r.bucket(physicalBucket).key(blobKey)));
    }

    @Test
    void rejectsBadRequestsBeforeAskingAnyone() {
        String alice = token("alice");
        for (String path : new String[]{"/abs.png", "a/../b.png", "./a.png", "a\u0001b", "x".repeat(1025)}) {
            presign(alice, Map.of("bucket", "docs", "path", path, "contentType", "image/png", "size", 5))
                    .statusCode(400).body("error", org.hamcrest.Matchers.equalTo("InvalidObjectName"));
        }
        presign(alice, Map.of("bucket", "docs", "path", "a.png", "contentType", "not a type", "size", 5))
                .statusCode(400).body("error", org.hamcrest.Matchers.equalTo("InvalidRequest"));
        presign(alice, Map.of("bucket", "docs", "path", "a.png", "contentType", "image/png", "size", -1))
                .statusCode(400).body("error", org.hamcrest.Matchers.equalTo("InvalidRequest"));
        presign(alice, Map.of("bucket", "docs", "path", "a.png", "contentType", "image/png", "size", 5, "visibility", "everyone"))
                .statusCode(400).body("error", org.hamcrest.Matchers.equalTo("InvalidRequest"));
        metadata.verify(0, getRequestedFor(urlEqualTo("/v1/buckets/docs")));
    }

    @Test
    void refusesCallersWithoutAValidToken() {
        given().contentType(ContentType.JSON)
                .body(Map.of("bucket", "docs", "path", "a.txt", "contentType", "text/plain", "size", 1))
                .when().post("/v1/files/presigned-url")
                .then().statusCode(401).body("error", org.hamcrest.Matchers.equalTo("Unauthorized"));
        given().auth().oauth2("not-a-token").contentType(ContentType.JSON).body(Map.of("uploadId", UUID.randomUUID().toString()))
                .when().post("/v1/files")
                .then().statusCode(401).body("statusCode", org.hamcrest.Matchers.equalTo(401));
    }

    @Test
    void aSigningServiceThatRefusesUploadServicesIdentityIsA502NotTheUsersFault() {
        UpstreamsResource.signingRefusesEveryone = true;
        try {
            presign(token("alice"), Map.of("bucket", "docs", "path", "a.txt", "contentType", "text/plain", "size", 1))
                    .statusCode(502)
                    .body("statusCode", org.hamcrest.Matchers.equalTo(502))
                    .body("error", org.hamcrest.Matchers.equalTo("UpstreamUnavailable"));
        } finally {
            UpstreamsResource.signingRefusesEveryone = false;
        }
    }

    @Test
    void reportsHealthy() {
        given().when().get(readiness).then().statusCode(200).body("status", org.hamcrest.Matchers.equalTo("UP"));
    }


    private static io.restassured.response.ValidatableResponse presign(String token, Map<String, Object> request) {
        return given().auth().oauth2(token).contentType(ContentType.JSON).body(request)
                .when().post("/v1/files/presigned-url")
                .then();
    }

    /** PUTs straight to S3 with the headers handed out (java.net.http sets content-length itself). */
    private static HttpResponse<String> putTo(JsonPath issued, byte[] body, String contentTypeOverride) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(issued.getString("url")))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body));
        Map<String, String> headers = issued.getMap("headers");
        headers.forEach((name, value) -> {
            if (!name.equals("content-length")) {
                request.header(name, name.equals("content-type") && contentTypeOverride != null ? contentTypeOverride : value);
            }
        });
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode pendingUpload(String uploadId) throws Exception {
        return JSON.readTree(s3.getObjectAsBytes(r -> r.bucket(physicalBucket).key("uploads/" + uploadId + ".json")).asByteArray());
    }

    /** metadata-service's idempotent registration: 201 the first time, the same File with 200 after. */
    private void stubRegistration(String uploadId, String name, String blobKey) {
        String file = """
                {"id": "file-%s", "bucket": "photos", "name": "%s", "versionId": null, "blobKey": "%s",
                 "size": %d, "contentType": "image/png", "etag": "e", "checksumSha256": null, "owner": "alice",
                 "visibility": "public", "createdAt": "2026-01-01T00:00:00Z", "updatedAt": "2026-01-01T00:00:00Z"}"""
                .formatted(uploadId, name, blobKey, PNG.length);
        String scenario = "registration-" + uploadId;
        metadata.stubFor(post(urlEqualTo("/internal/objects"))
                .withRequestBody(matchingJsonPath("$.uploadId", equalTo(uploadId)))
                .inScenario(scenario).whenScenarioStateIs(Scenario.STARTED)
                .willReturn(json(201, file)).willSetStateTo("registered"));
        metadata.stubFor(post(urlEqualTo("/internal/objects"))
                .withRequestBody(matchingJsonPath("$.uploadId", equalTo(uploadId)))
                .inScenario(scenario).whenScenarioStateIs("registered")
                .willReturn(json(200, file)));
    }



    private static byte[] pngBytes(int size) {
        byte[] bytes = new byte[size];
        Arrays.fill(bytes, (byte) 7);
        byte[] magic = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
        System.arraycopy(magic, 0, bytes, 0, magic.length);
        return bytes;
    }
}
