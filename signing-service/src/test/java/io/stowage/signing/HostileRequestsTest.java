package io.stowage.signing;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.stowage.infra.SharedInfra;
import io.stowage.infra.quarkus.OidcResource;
import io.stowage.infra.quarkus.S3Resource;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.restassured.RestAssured.given;
import static io.stowage.signing.SignResourceTest.token;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a hostile caller sends: tokens for another application, wrongly typed JSON, request targets
 * with dot segments or control characters, routes and methods that do not exist. Each is a 4xx in the
 * error shape.
 */
@QuarkusTest
@WithTestResource(S3Resource.class)
@WithTestResource(OidcResource.class)
@WithTestResource(TestKeysResource.class)
class HostileRequestsTest {

    private static final Map<String, Object> DOWNLOAD = Map.of("operation", "stowage:download", "bucket", "docs", "name", "a.pdf");

    @TestHTTPResource("/")
    URL base;

    @TestHTTPResource(value = "/health/ready", management = true)
    URL managementReadiness;

    @Test
    void refusesTokensForAnotherAudience() {
        String subject = "service-account-stowage-upload";
        given().auth().oauth2(SharedInfra.issuer().mint(subject, Set.of("stowage-service"))).contentType(ContentType.JSON)
                .body(DOWNLOAD).post("/v1/sign").then().statusCode(200);
        for (String audience : new String[] {"another-app", null}) {
            for (String route : List.of("/v1/sign", "/v1/verify")) {
                given().auth().oauth2(SharedInfra.issuer().mintForAudience(subject, Set.of("stowage-service"), audience))
                        .contentType(ContentType.JSON).body(DOWNLOAD).post(route)
                        .then().statusCode(401).contentType(ContentType.JSON)
                        .body("statusCode", equalTo(401)).body("error", equalTo("Unauthorized"));
            }
        }
    }

    @Test
    void wronglyTypedJsonIsABadRequestNamingTheField() {
        record Case(String route, String body, String field) {
        }
        List<Case> cases = List.of(
                new Case("/v1/sign", "[]", null),
                new Case("/v1/sign", "\"a string\"", null),
                new Case("/v1/sign", "{\"operation\":\"stowage:download\",\"bucket\":\"docs\",\"name\":\"a\",\"expiresIn\":\"60\"}", "expiresIn"),
                new Case("/v1/sign", "{\"operation\":\"stowage:upload\",\"bucket\":\"docs\",\"name\":\"a\",\"upsert\":\"yes\"}", "upsert"),
                new Case("/v1/sign", "{\"operation\":\"s3:PutObject\",\"key\":\"blobs/x\",\"contentLength\":\"10\"}", "contentLength"),
                new Case("/v1/sign", "{\"operation\":\"s3:UploadPart\",\"key\":\"blobs/x\",\"partNumber\":99999999999}", "partNumber"),
                new Case("/v1/sign", "{\"operation\":[\"stowage:download\"]}", "operation"),
                new Case("/v1/sign", "{\"operation\":\"stowage:download\",\"bucket\":\"docs\",\"name\":5}", "name"),
                new Case("/v1/sign", "{\"operation\":true}", "operation"),
                new Case("/v1/sign/batch", "{\"requests\":\"x\"}", "requests"),
                new Case("/v1/sign/batch", "{\"requests\":[\"x\"]}", "requests"),
                new Case("/v1/sign/batch", "[]", null),
                new Case("/v1/verify", "{\"token\":{},\"scope\":\"download\"}", "token"),
                new Case("/v1/verify", "42", null));
        for (Case c : cases) {
            Response response = given().auth().oauth2(token()).contentType(ContentType.JSON).body(c.body()).post(c.route());
            response.then().statusCode(400).contentType(ContentType.JSON)
                    .body("statusCode", equalTo(400)).body("error", equalTo("InvalidRequest"));
            if (c.field() != null) {
                response.then().body("message", containsString("'" + c.field()));
            }
        }
    }

    @Test
    void refusesRequestTargetsWithDotSegmentsOrControlCharacters() throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        for (String target : List.of("/v1/sign/../sign", "/v1/%2e%2e/v1/sign", "/v1/sign%00", "/v1/sign%C2%85", "/v1/sign%FF",
                "/v1/sign?x=%00", "/.well-known/./jwks.json")) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://" + base.getHost() + ":" + base.getPort() + target))
                    .timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + token())
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(400, response.statusCode(), target + ": " + response.body());
            assertTrue(response.body().contains("\"statusCode\":400"), target + ": " + response.body());
        }
    }

    @Test
    void unknownRoutesWrongMethodsAndMediaTypesAnswerInTheErrorShape() {
        given().auth().oauth2(token()).get("/v1/nothing-here")
                .then().statusCode(404).contentType(ContentType.JSON).body("statusCode", equalTo(404)).body("error", equalTo("NotFound"));
        given().auth().oauth2(token()).get("/v1/sign")
                .then().statusCode(405).contentType(ContentType.JSON).body("error", equalTo("MethodNotAllowed"));
        given().auth().oauth2(token()).contentType(ContentType.TEXT).body("x").post("/v1/sign")
                .then().statusCode(415).contentType(ContentType.JSON).body("error", equalTo("UnsupportedMediaType"));
        given().auth().oauth2(token()).contentType(ContentType.JSON).accept("image/png").body(DOWNLOAD).post("/v1/sign")
                .then().statusCode(406).contentType(ContentType.JSON).body("error", equalTo("NotAcceptable"));
    }

    @Test
    void healthAndMetricsAreOnlyOnTheManagementInterface() {
        given().get(managementReadiness).then().statusCode(200).body("status", equalTo("UP"));
        assertNotEquals(base.getPort(), managementReadiness.getPort());
        given().get("/q/metrics").then().statusCode(404).contentType(ContentType.JSON).body("error", equalTo("NotFound"));
        given().get("/q/health").then().statusCode(404);
    }
}
