package io.stowage.gateway;

import static org.junit.jupiter.api.Assertions.assertTrue;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.stowage.infra.SharedInfra;
import io.stowage.infra.quarkus.OidcResource;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(GatewayProtectionTest.Strict.class)
@WithTestResource(OidcResource.class)
@WithTestResource(TroubledUpstreams.class)
class GatewayProtectionTest {

    @io.quarkus.test.common.http.TestHTTPResource(value = "/metrics", management = true)
    java.net.URL managementMetrics;

    /** Small limits so that tests reach them quickly. */
    public static class Strict implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "stowage.gateway.rate-limit.caller-per-second", "0.5",
                    "stowage.gateway.rate-limit.caller-burst", "3",
                    "stowage.gateway.upstream-timeout", "1S",
                    "stowage.gateway.circuit-breaker.failure-threshold", "3",
                    "stowage.gateway.circuit-breaker.no-answer-threshold", "2",
                    "stowage.gateway.circuit-breaker.open-for", "30S",
                    "stowage.gateway.max-json-body", "1024");
        }
    }

    private static String token(String user) {
        return SharedInfra.issuer().mint(user, Set.of());
    }

    @Test
    void limitsEachCallerWith429AndRetryAfter() {
        String carol = token("carol");
        for (int i = 0; i < 3; i++) {
            given().auth().oauth2(carol).get("/v1/nothing").then().statusCode(404);
        }
        given().auth().oauth2(carol).get("/v1/nothing")
                .then().statusCode(429)
                .header("Retry-After", notNullValue())
                .body("error", equalTo("TooManyRequests"));
        // another caller has a bucket of its own
        given().auth().oauth2(token("dave")).get("/v1/nothing").then().statusCode(404);
        // and operators see it
        given().get(managementMetrics).then().statusCode(200)
                .body(containsString("stowage_gateway_rate_limited_total"))
                .body(containsString("stowage_gateway_auth_failures_total"));
    }

    @Test
    void anUpstreamThatIsDownGives503NamingItAndThenItsCircuitOpens() {
        // metadata-service: nothing listens; two calls without an answer open its circuit
        for (int i = 0; i < 2; i++) {
            given().auth().oauth2(token("erin-" + i)).get("/v1/buckets")
                    .then().statusCode(503)
                    .body("error", equalTo("CatalogUnavailable"))
                    .body("message", containsString("unreachable"))
                    .header("Retry-After", notNullValue());
        }
        given().auth().oauth2(token("erin-open")).get("/v1/buckets")
                .then().statusCode(503)
                .body("error", equalTo("CatalogUnavailable"))
                .body("message", containsString("circuit open"))
                .header("Retry-After", notNullValue());
    }

    @Test
    void anUpstreamThatNeverAnswersGives503NamingItInsteadOfAHang() {
        long started = System.nanoTime();
        given().auth().oauth2(token("frank")).contentType("application/json").body("{\"uploadId\":\"x\"}")
                .post("/v1/files")
                .then().statusCode(503).body("error", equalTo("UploadsUnavailable"))
                .body("message", containsString("no answer in time"))
                .header("Retry-After", notNullValue());
        assertTrue(System.nanoTime() - started < java.time.Duration.ofSeconds(8).toNanos(), "answered by the idle timeout");
    }

    @Test
    void refusesAnApiBodyAboveTheLimitBeforeReadingIt() {
        given().auth().oauth2(token("grace")).contentType("application/json").body("{\"name\":\"" + "x".repeat(2000) + "\"}")
                .post("/v1/buckets")
                .then().statusCode(413).body("error", equalTo("PayloadTooLarge"));
    }

    @Test
    void refusesHugeHeadersWith431() {
        Response response = given().header("X-Padding", "y".repeat(20_000)).get("/v1/buckets");
        response.then().statusCode(431);
    }

    @Test
    void answersCorsPreflightForAConfiguredOrigin() {
        given().header("Origin", "http://localhost:5173")
                .header("Access-Control-Request-Method", "PUT")
                .options("/v1/buckets")
                .then().statusCode(200)
                .header("Access-Control-Allow-Origin", "http://localhost:5173");
    }
}
