package io.stowage.metadata.rest;

import static io.restassured.RestAssured.given;
import static io.stowage.metadata.rest.MetadataTestSupport.admin;
import static io.stowage.metadata.rest.MetadataTestSupport.newBucket;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.stowage.infra.SharedInfra;
import io.stowage.infra.quarkus.KafkaResource;
import io.stowage.infra.quarkus.OidcResource;
import io.stowage.infra.quarkus.PostgresResource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL hung (every process of the real server SIGSTOPped): requests are answered 503
 * CatalogUnavailable with Retry-After by the deadline instead of waiting out the hang, readiness says
 * DOWN within its bound, and everything answers again as soon as the server runs.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(OidcResource.class)
class CatalogOutageTest {

    @TestHTTPResource(value = "/health/ready", management = true)
    java.net.URL readiness;

    @TestHTTPResource(value = "/health/live", management = true)
    java.net.URL liveness;

    @TestHTTPResource(value = "/metrics", management = true)
    java.net.URL metrics;

    @Test
    void aHungDatabaseIsA503WithinTheDeadlineAndRecoveryIsImmediate() throws Exception {
        String admin = admin();
        String bucket = newBucket();
        given().get(readiness).then().statusCode(200).body("checks.find { it.name == 'catalog' }.status", equalTo("UP"));

        SharedInfra.postgres().pause();
        try {
            // several at once, reads and writes: each is answered by the deadline (5 s), none waits out the hang
            List<CompletableFuture<Timed>> calls = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                calls.add(CompletableFuture.supplyAsync(() -> timed(() -> given().auth().oauth2(admin).get("/v1/buckets/" + bucket))));
                int n = i;
                calls.add(CompletableFuture.supplyAsync(() -> timed(() -> given().auth().oauth2(admin).contentType(ContentType.JSON)
                        .body(Map.of("name", bucket + "-" + n)).post("/v1/buckets"))));
            }
            for (CompletableFuture<Timed> call : calls) {
                Timed t = call.join();
                assertEquals(503, t.response().statusCode(), t.response().asString());
                assertEquals("CatalogUnavailable", t.response().jsonPath().getString("error"));
                assertEquals(503, t.response().jsonPath().getInt("statusCode"));
                assertNotNull(t.response().header("Retry-After"));
                assertTrue(Integer.parseInt(t.response().header("Retry-After")) >= 1);
                assertTrue(t.elapsed().compareTo(Duration.ofSeconds(15)) < 0, "answered after " + t.elapsed());
            }

            // readiness answers DOWN within its bound; liveness does not depend on the database
            Timed ready = timed(() -> given().get(readiness));
            assertEquals(503, ready.response().statusCode(), ready.response().asString());
            assertEquals("DOWN", ready.response().jsonPath().getString("checks.find { it.name == 'catalog' }.status"));
            assertTrue(ready.elapsed().compareTo(Duration.ofSeconds(3)) < 0, "readiness answered after " + ready.elapsed());
            given().get(liveness).then().statusCode(200);
        } finally {
            SharedInfra.postgres().resume();
        }

        // back at once: the first requests after the resume succeed (bounded wait for in-flight work to drain)
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        int status = 0;
        while (System.nanoTime() < deadline && status != 200) {
            status = given().auth().oauth2(admin).get("/v1/buckets/" + bucket).statusCode();
        }
        assertEquals(200, status);
        given().get(readiness).then().statusCode(200);
        // nothing half-written: no bucket of the refused creates exists unless its insert completed whole
        for (int i = 0; i < 3; i++) {
            int code = given().auth().oauth2(admin).get("/v1/buckets/" + bucket + "-" + i).statusCode();
            assertTrue(code == 200 || code == 404, "bucket " + i + ": " + code);
        }
        String scraped = given().get(metrics).asString();
        assertTrue(scraped.contains("stowage_outbox_oldest_age_seconds"), "the outbox age gauge is published");
        assertTrue(scraped.contains("stowage_outbox_backlog"), "the outbox backlog gauge is published");
    }

    private record Timed(Response response, Duration elapsed) {
    }

    private static Timed timed(java.util.function.Supplier<Response> call) {
        long started = System.nanoTime();
        Response response = call.get();
        return new Timed(response, Duration.ofNanos(System.nanoTime() - started));
    }
}
