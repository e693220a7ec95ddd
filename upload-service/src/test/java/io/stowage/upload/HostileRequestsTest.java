package io.stowage.upload;

import io.stowage.contract.MediaTypes;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.stowage.infra.SharedInfra;
import io.stowage.infra.quarkus.KafkaResource;
import io.stowage.infra.quarkus.OidcResource;
import io.stowage.infra.quarkus.S3Resource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static io.stowage.upload.CatalogStubs.token;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a hostile caller sends: names that leave a bucket or break the rules, tokens for another
 * application, wrongly typed JSON, a malformed Content-Type, routes and methods that do not exist.
 * Each is a 4xx in the error shape, and nothing is registered. Shares the application start of the
 * other upload tests (same test resources).
 */
@QuarkusTest
@WithTestResource(S3Resource.class)
@WithTestResource(OidcResource.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(UpstreamsResource.class)
class HostileRequestsTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @InjectWireMock
    WireMockServer metadata;

    @TestHTTPResource(value = "/health/ready", management = true)
    URL managementReadiness;

    @BeforeEach
    void buckets() {
        CatalogStubs.resetWithBuckets(metadata);
        metadata.stubFor(post(urlEqualTo("/internal/objects")).willReturn(CatalogStubs.json(201, """
                {"id": "file-1", "bucket": "docs", "name": "aud.txt", "versionId": "v1", "blobKey": "blobs/x", "size": 5,
                 "contentType": "text/plain", "etag": "e", "owner": "alice", "visibility": "private",
                 "createdAt": "2026-01-01T00:00:00Z", "updatedAt": "2026-01-01T00:00:00Z"}""")));
    }

    /** A direct upload sent as written: no client re-encodes or normalises its target. */
    private static HttpResponse<String> put(String target, String contentType, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + RestAssured.port + target))
                .timeout(Duration.ofSeconds(10)).PUT(HttpRequest.BodyPublishers.ofString("hello"));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void refusesBadNamesAndContentTypesOnTheDirectUploadBeforeAnythingIsWritten() throws Exception {
        record Case(String target, String contentType, String error) {
        }
        List<Case> cases = List.of(
                new Case("/v1/objects/docs/a%00b", "text/plain", "InvalidObjectName"),
                new Case("/v1/objects/docs/a%C2%85b", "text/plain", "InvalidObjectName"),
                new Case("/v1/objects/docs/a%FFb", "text/plain", "InvalidObjectName"),
                new Case("/v1/objects/docs/a%C3", "text/plain", "InvalidObjectName"),
                new Case("/v1/objects/docs/a/../../photos/x", "text/plain", "InvalidObjectName"),
                new Case("/v1/objects/docs/a/%2e%2e/%2E%2E/photos/x", "text/plain", "InvalidObjectName"),
                new Case("/v1/objects/docs/a%2F..%2Fx", "text/plain", "InvalidObjectName"),
                new Case("/v1/objects/docs/x?versionId=%00", "text/plain", "InvalidRequest"),
                new Case("/v1/objects/Docs/x", "text/plain", "InvalidBucketName"),
                new Case("/v1/objects/do%2Fcs/x", "text/plain", "InvalidBucketName"),
                new Case("/v1/objects/docs/" + "x".repeat(1025), "text/plain", "InvalidObjectName"),
                new Case("/v1/objects/docs/x", "text/plain; charset=\"", "InvalidRequest"),
                new Case("/v1/objects/docs/x", "text/plain; charset=\"utf-8", "InvalidRequest"),
                new Case("/v1/objects/docs/x", "text/plain; charset", "InvalidRequest"),
                new Case("/v1/objects/docs/x", "text/plain; charset=a b", "InvalidRequest"),
                new Case("/v1/objects/docs/x", "text", "InvalidRequest"));
        for (Case c : cases) {
            HttpResponse<String> response = put(c.target(), c.contentType(), token("alice"));
            String label = c.target() + " " + c.contentType();
            assertEquals(400, response.statusCode(), label + ": " + response.body());
            assertTrue(response.body().contains("\"statusCode\":400"), label + ": " + response.body());
            assertTrue(response.body().contains("\"error\":\"" + c.error() + "\""), label + ": " + response.body());
        }
        metadata.verify(0, postRequestedFor(urlEqualTo("/internal/objects")));
    }

    @Test
    void refusesTokensForAnotherAudience() throws Exception {
        // accepted: the same user with aud stowage (the body lands and is registered)
        assertEquals(201, put("/v1/objects/docs/aud.txt", "text/plain", token("alice")).statusCode());
        metadata.resetRequests();
        for (String audience : new String[] {"another-app", null}) {
            String foreign = SharedInfra.issuer().mintForAudience("alice", Set.of(), audience);
            HttpResponse<String> direct = put("/v1/objects/docs/aud.txt", "text/plain", foreign);
            assertEquals(401, direct.statusCode(), direct.body());
            assertTrue(direct.body().contains("\"error\":\"Unauthorized\""), direct.body());
            given().auth().oauth2(foreign).contentType(ContentType.JSON)
                    .body("{\"bucket\":\"docs\",\"path\":\"a.txt\",\"contentType\":\"text/plain\",\"size\":5}")
                    .post("/v1/files/presigned-url")
                    .then().statusCode(401).contentType(ContentType.JSON)
                    .body("statusCode", equalTo(401)).body("error", equalTo("Unauthorized"));
        }
        metadata.verify(0, postRequestedFor(urlEqualTo("/internal/objects")));
    }

    @Test
    void wronglyTypedJsonIsABadRequestNamingTheField() {
        record Case(String route, String body, String field) {
        }
        List<Case> cases = List.of(
                new Case("/v1/files/presigned-url", "[]", null),
                new Case("/v1/files/presigned-url", "\"a string\"", null),
                new Case("/v1/files/presigned-url", "{\"bucket\":\"docs\",\"path\":\"a\",\"contentType\":\"text/plain\",\"size\":\"10\"}", "size"),
                new Case("/v1/files/presigned-url", "{\"bucket\":[\"docs\"],\"path\":\"a\"}", "bucket"),
                new Case("/v1/files/presigned-url", "{\"bucket\":\"docs\",\"path\":\"a\",\"size\":99999999999999999999}", "size"),
                new Case("/v1/files/presigned-url", "{\"bucket\":\"docs\",\"path\":\"a\\u0000b\",\"contentType\":\"text/plain\",\"size\":1}", null),
                new Case("/v1/files", "[]", null),
                new Case("/v1/files", "{\"uploadId\":{}}", "uploadId"),
                new Case("/v1/files/multipart/init", "{\"bucket\":\"docs\",\"path\":\"a\",\"partSize\":\"5\"}", "partSize"),
                new Case("/v1/files/multipart/init", "42", null),
                new Case("/v1/files/multipart/presigned-url", "{\"uploadId\":\"u\",\"partNumbers\":\"1\"}", "partNumbers"),
                new Case("/v1/files/multipart/presigned-url", "{\"uploadId\":\"u\",\"partNumbers\":[\"1\"]}", "partNumbers"),
                new Case("/v1/files/multipart/complete", "{\"uploadId\":\"u\",\"parts\":[{\"partNumber\":\"one\"}]}", "parts"),
                new Case("/v1/files/multipart/abort", "[]", null),
                new Case("/v1/files/multipart/abort", "{\"uploadId\":true}", "uploadId"));
        for (Case c : cases) {
            Response response = given().auth().oauth2(token("alice")).contentType(ContentType.JSON).body(c.body()).post(c.route());
            response.then().statusCode(400).contentType(ContentType.JSON).body("statusCode", equalTo(400));
            if (c.field() != null) {
                response.then().body("error", equalTo("InvalidRequest")).body("message", containsString("'" + c.field()));
            }
        }
        given().auth().oauth2(token("alice")).contentType(ContentType.JSON)
                .body("{\"bucket\":\"docs\",\"path\":\"a\\u0085b\",\"contentType\":\"text/plain\",\"size\":1}")
                .post("/v1/files/presigned-url").then().statusCode(400).body("error", equalTo("InvalidObjectName"));
        given().auth().oauth2(token("alice")).contentType(ContentType.JSON)
                .body("{\"bucket\":\"../docs\",\"path\":\"a\",\"contentType\":\"text/plain\",\"size\":1}")
                .post("/v1/files/multipart/init").then().statusCode(400).body("error", equalTo("InvalidBucketName"));
    }

    @Test
    void unknownRoutesWrongMethodsAndMediaTypesAnswerInTheErrorShape() {
        given().auth().oauth2(token("alice")).get("/v1/nothing-here")
                .then().statusCode(404).contentType(ContentType.JSON).body("statusCode", equalTo(404)).body("error", equalTo("NotFound"));
        given().auth().oauth2(token("alice")).get("/v1/files/presigned-url")
                .then().statusCode(405).contentType(ContentType.JSON).body("error", equalTo("MethodNotAllowed"));
        given().auth().oauth2(token("alice")).contentType(ContentType.TEXT).body("x").post("/v1/files/presigned-url")
                .then().statusCode(415).contentType(ContentType.JSON).body("error", equalTo("UnsupportedMediaType"));
    }

    @Test
    void healthAndMetricsAreOnlyOnTheManagementInterface() {
        given().get(managementReadiness).then().statusCode(200).body("status", equalTo("UP"));
        assertNotEquals(RestAssured.port, managementReadiness.getPort());
        given().get("/q/metrics").then().statusCode(404).contentType(ContentType.JSON).body("error", equalTo("NotFound"));
        given().get("/q/health/ready").then().statusCode(404);
    }
}
