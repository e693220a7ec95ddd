package io.stowage.metadata.rest;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.stowage.infra.quarkus.KafkaResource;
import io.stowage.infra.quarkus.OidcResource;
import io.stowage.infra.quarkus.PostgresResource;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static io.stowage.metadata.rest.MetadataTestSupport.header;
import static io.stowage.metadata.rest.MetadataTestSupport.user;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

/** What operators read: readiness checks the database, outbox metrics, the caller's request id echoed. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(OidcResource.class)
class OperationsTest {

    @TestHTTPResource(value = "/metrics", management = true)
    java.net.URL metrics;

    @TestHTTPResource(value = "/health/ready", management = true)
    java.net.URL readiness;

    @Test
    void readinessChecksTheDatabase() {
        given().get(readiness)
                .then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem("catalog"))
                .body("checks.find { it.name == 'catalog' }.status", equalTo("UP"));
    }

    @Test
    void exposesOutboxMetricsForOperators() {
        given().get(metrics).then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString("stowage_outbox_published_total"))
                .body(org.hamcrest.Matchers.containsString("stowage_outbox_backlog"))
                .body(org.hamcrest.Matchers.containsString("stowage_outbox_relay_lag_seconds"));
    }

    @Test
    void echoesTheCallersRequestId() {
        given().header("X-Request-Id", "req-123").auth().oauth2(user("alice")).get("/v1/buckets")
                .then().statusCode(200).header("X-Request-Id", "req-123");
    }
}
