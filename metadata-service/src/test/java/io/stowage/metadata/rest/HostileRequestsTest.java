package io.stowage.metadata.rest;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.stowage.infra.SharedInfra;
import io.stowage.infra.quarkus.KafkaResource;
import io.stowage.infra.quarkus.OidcResource;
import io.stowage.infra.quarkus.PostgresResource;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static io.stowage.metadata.rest.MetadataTestSupport.admin;
import static io.stowage.metadata.rest.MetadataTestSupport.as;
import static io.stowage.metadata.rest.MetadataTestSupport.newBucket;
import static io.stowage.metadata.rest.MetadataTestSupport.uploadService;
import static io.stowage.metadata.rest.MetadataTestSupport.user;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a hostile caller sends: names that leave a bucket or break the rules, tokens for another
 * application, wrongly typed JSON, routes and methods that do not exist. Each is refused with a 4xx in
 * the error shape, reads included, and never reaches PostgreSQL as a 500.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(OidcResource.class)
class HostileRequestsTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TestHTTPResource("/")
    URL base;

    @TestHTTPResource(value = "/health/ready", management = true)
    URL managementReadiness;

    /** A request sent as written: no client re-encodes or normalises its target. */
    private record Raw(String method, String target, String token, int status, String error) {
    }

    @Test
    void refusesBadNamesInRequestTargetsOnReadsAndWritesAlike() throws Exception {
        String b = newBucket();
        String token = user("alice");
        List<Raw> cases = List.of(
                new Raw("GET", "/v1/files/by-path/" + b + "/a%00b", null, 400, "InvalidObjectName"),
                new Raw("GET", "/v1/files/by-path/" + b + "/a%00b", token, 400, "InvalidObjectName"),
                new Raw("HEAD", "/v1/files/by-path/" + b + "/a%C2%85b", null, 400, null),
                new Raw("GET", "/v1/files/by-path/" + b + "/a%C2%85b", null, 400, "InvalidObjectName"),
                new Raw("GET", "/v1/files/by-path/" + b + "/a%FFb", null, 400, "InvalidObjectName"),
                new Raw("GET", "/v1/files/by-path/" + b + "/a/../../other/x", null, 400, "InvalidObjectName"),
                new Raw("GET", "/v1/files/by-path/" + b + "/a/%2e%2e/%2E%2E/other/x", null, 400, "InvalidObjectName"),
                new Raw("GET", "/v1/files/by-path/" + b + "/a%2F..%2Fx", null, 400, "InvalidObjectName"),
                new Raw("DELETE", "/v1/files/by-path/" + b + "/a/../../other/x", token, 400, "InvalidObjectName"),
                new Raw("DELETE", "/v1/files/by-path/" + b + "/a%00", token, 400, "InvalidObjectName"),
                new Raw("GET", "/internal/objects/by-path/" + b + "/a%00b", token, 400, "InvalidObjectName"),
                new Raw("GET", "/internal/objects/by-path/" + b + "/./x", token, 400, "InvalidObjectName"),
                new Raw("GET", "/v1/files/by-path/" + b + "/" + "x".repeat(1025), null, 400, "InvalidObjectName"),
                new Raw("GET", "/v1/files/by-path/Not-A-Bucket/x", null, 400, "InvalidBucketName"),
                new Raw("GET", "/v1/buckets/a%00b", token, 400, "InvalidObjectName"),
                new Raw("GET", "/v1/buckets/UPPER", token, 400, "InvalidBucketName"),
                new Raw("DELETE", "/v1/buckets/UPPER", admin(), 400, "InvalidBucketName"),
                new Raw("GET", "/v1/files?bucket=" + b + "&prefix=a%00", null, 400, "InvalidRequest"),
                new Raw("GET", "/v1/files?bucket=" + b + "&prefix=a%C2%9F", null, 400, "InvalidRequest"),
                new Raw("GET", "/v1/files?bucket=" + b + "&prefix=a/../", null, 400, "InvalidObjectName"),
                new Raw("GET", "/v1/files?bucket=" + b + "&search=%FF", token, 400, "InvalidRequest"),
                new Raw("GET", "/v1/files?bucket=..", null, 400, "InvalidBucketName"));
        for (Raw c : cases) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(origin() + c.target()))
                    .timeout(Duration.ofSeconds(10)).method(c.method(), HttpRequest.BodyPublishers.noBody());
            if (c.token() != null) {
                request.header("Authorization", "Bearer " + c.token());
            }
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            String label = c.method() + " " + c.target();
            assertEquals(c.status(), response.statusCode(), label + ": " + response.body());
            if (c.error() != null) {
                assertTrue(response.body().contains("\"statusCode\":" + c.status()), label + ": " + response.body());
                assertTrue(response.body().contains("\"error\":\"" + c.error() + "\""), label + ": " + response.body());
            }
        }
    }

    @Test
    void refusesBadNamesInJsonBodies() {
        String b = newBucket();
        record Case(String route, String body, String error) {
        }
        List<Case> cases = List.of(
                new Case("/v1/files/delete", "{\"bucket\":\"" + b + "\",\"names\":[\"a\\u0000b\"]}", "InvalidObjectName"),
                new Case("/v1/files/delete", "{\"bucket\":\"" + b + "\",\"names\":[\"a\\u0085b\"]}", "InvalidObjectName"),
                new Case("/v1/files/delete", "{\"bucket\":\"" + b + "\",\"names\":[\"../x\"]}", "InvalidObjectName"),
                new Case("/v1/files/delete", "{\"bucket\":\"" + b + "\",\"prefix\":\"a\\u0000\"}", "InvalidObjectName"),
                new Case("/v1/files/delete", "{\"bucket\":\"B\",\"names\":[\"x\"]}", "InvalidBucketName"),
                new Case("/v1/files/move", "{\"bucket\":\"" + b + "\",\"name\":\"x\",\"destinationName\":\"a/../../y\"}", "InvalidObjectName"),
                new Case("/v1/files/copy", "{\"bucket\":\"" + b + "\",\"name\":\"x\",\"destinationName\":\"y\\u009f\"}", "InvalidObjectName"),
                new Case("/internal/objects", "{\"uploadId\":\"u\",\"bucket\":\"" + b + "\",\"name\":\"\\ud800\"}", "InvalidObjectName"));
        for (Case c : cases) {
            given().auth().oauth2(user("alice")).contentType(ContentType.JSON).body(c.body()).post(c.route())
                    .then().statusCode(400).contentType(ContentType.JSON)
                    .body("statusCode", equalTo(400)).body("error", equalTo(c.error()));
        }
    }

    @Test
    void refusesTokensForAnotherAudience() {
        given().auth().oauth2(SharedInfra.issuer().mint("alice", Set.of())).get("/v1/buckets").then().statusCode(200);
        for (String audience : new String[] {"another-app", null}) {
            given().auth().oauth2(SharedInfra.issuer().mintForAudience("alice", Set.of(), audience)).get("/v1/buckets")
                    .then().statusCode(401).contentType(ContentType.JSON)
                    .body("statusCode", equalTo(401)).body("error", equalTo("Unauthorized"));
        }
        given().auth().oauth2(SharedInfra.issuer().mintForAudience("root", Set.of("storage-admin"), "another-app"))
                .contentType(ContentType.JSON).body(Map.of("name", "foreign-" + UUID.randomUUID().toString().substring(0, 8)))
                .post("/v1/buckets").then().statusCode(401).body("error", equalTo("Unauthorized"));
    }

    @Test
    void wronglyTypedJsonIsABadRequestNamingTheField() {
        String b = newBucket();
        record Case(String method, String route, String body, String field) {
        }
        String file = "/v1/files/" + UUID.randomUUID();
        List<Case> cases = List.of(
                new Case("POST", "/v1/buckets", "[]", null),
                new Case("POST", "/v1/buckets", "\"a string\"", null),
                new Case("POST", "/v1/buckets", "42", null),
                new Case("POST", "/v1/buckets", "{\"name\":\"x-" + b + "\",\"public\":\"yes\"}", "public"),
                new Case("POST", "/v1/buckets", "{\"name\":\"x-" + b + "\",\"fileSizeLimit\":\"10\"}", "fileSizeLimit"),
                new Case("POST", "/v1/buckets", "{\"name\":[\"x\"]}", "name"),
                new Case("POST", "/v1/buckets", "{\"name\":5}", "name"),
                new Case("POST", "/v1/files/delete", "{\"bucket\":true,\"names\":[\"x\"]}", "bucket"),
                new Case("PATCH", "/v1/buckets/" + b, "{\"public\":\"yes\"}", "public"),
                new Case("PATCH", "/v1/buckets/" + b, "[]", null),
                new Case("POST", "/internal/objects", "{\"uploadId\":\"u\",\"size\":\"10\"}", "size"),
                new Case("POST", "/internal/objects", "[]", null),
                new Case("POST", "/internal/blobs/referenced", "{\"blobKeys\":\"x\"}", "blobKeys"),
                new Case("POST", "/v1/files/delete", "{\"bucket\":\"" + b + "\",\"names\":\"x\"}", "names"),
                new Case("POST", "/v1/files/move", "{\"bucket\":\"" + b + "\",\"name\":{}}", "name"),
                new Case("POST", "/v1/files/copy", "\"x\"", null),
                new Case("PATCH", file, "{\"tags\":\"x\"}", "tags"),
                new Case("PATCH", file, "{\"sharedWith\":[[]]}", "sharedWith"));
        String service = uploadService();
        for (Case c : cases) {
            Response response = given().auth().oauth2(c.route().startsWith("/internal/blobs") ? service : admin())
                    .contentType(ContentType.JSON).body(c.body()).request(c.method(), c.route());
            response.then().statusCode(400).contentType(ContentType.JSON)
                    .body("statusCode", equalTo(400)).body("error", equalTo("InvalidRequest"));
            if (c.field() != null) {
                response.then().body("message", containsString(c.field()));
            }
        }
    }

    @Test
    void malformedJsonIsABadRequest() {
        as(admin()).body("{\"name\": ").post("/v1/buckets")
                .then().statusCode(400).contentType(ContentType.JSON)
                .body("statusCode", equalTo(400)).body("error", equalTo("InvalidRequest"));
        as(user("alice")).body("{\"uploadId\": \"u\", \"size\": \"five\"}").post("/internal/objects")
                .then().statusCode(400).contentType(ContentType.JSON)
                .body("statusCode", equalTo(400)).body("error", equalTo("InvalidRequest"));
        as(user("alice")).body("{\"uploadId\": \"u\"}").post("/internal/objects")
                .then().statusCode(400).body("error", equalTo("InvalidBucketName"));
    }

    @Test
    void unknownRoutesWrongMethodsAndMediaTypesAnswerInTheErrorShape() {
        String token = admin();
        given().auth().oauth2(token).get("/v1/nothing-here")
                .then().statusCode(404).contentType(ContentType.JSON).body("statusCode", equalTo(404)).body("error", equalTo("NotFound"));
        given().get("/")
                .then().statusCode(404).contentType(ContentType.JSON).body("error", equalTo("NotFound"));
        given().auth().oauth2(token).put("/v1/buckets")
                .then().statusCode(405).contentType(ContentType.JSON).body("statusCode", equalTo(405)).body("error", equalTo("MethodNotAllowed"));
        given().auth().oauth2(token).contentType(ContentType.TEXT).body("name=x").post("/v1/buckets")
                .then().statusCode(415).contentType(ContentType.JSON).body("error", equalTo("UnsupportedMediaType"));
        given().auth().oauth2(token).accept("image/png").get("/v1/buckets")
                .then().statusCode(406).contentType(ContentType.JSON).body("error", equalTo("NotAcceptable"));
    }

    @Test
    void healthAndMetricsAreOnlyOnTheManagementInterface() throws IOException {
        given().get(managementReadiness).then().statusCode(200).body("status", equalTo("UP"));
        assertTrue(managementReadiness.getPort() != base.getPort());
        given().get("/q/metrics").then().statusCode(404).contentType(ContentType.JSON).body("error", equalTo("NotFound"));
        given().get("/q/health/ready").then().statusCode(404).contentType(ContentType.JSON);
    }

    private String origin() {
        return "http://" + base.getHost() + ":" + base.getPort();
    }
}
