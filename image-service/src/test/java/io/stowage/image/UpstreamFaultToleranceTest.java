package io.stowage.image;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.stowage.infra.quarkus.KafkaResource;
import io.stowage.infra.quarkus.OidcResource;
import io.stowage.infra.quarkus.S3Resource;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The fault tolerance of the calls to metadata-service (the WireMock stub of {@link UpstreamsResource}): a
 * lookup that got no answer is tried again and its answer is used; lookups that keep getting no answer
 * open the breaker, which is answered as the catalog's outage (503, Retry-After) without calling it, and
 * lets a call through again after its delay.
 */
@QuarkusTest
@WithTestResource(S3Resource.class)
@WithTestResource(OidcResource.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(UpstreamsResource.class)
class UpstreamFaultToleranceTest {

    private static final String NOT_FOUND = "{\"statusCode\":404,\"error\":\"ObjectNotFound\",\"message\":\"no such object\"}";
    /** The breaker's delay before it lets a call through again (client/CallBudgets), and so the Retry-After. */
    private static final int BREAKER_DELAY_SECONDS = 5;

    @InjectMetadata
    WireMockServer metadata;

    @Test
    void aLookupThatGotNoAnswerIsTriedAgainAndItsAnswerUsed() {
        String lookup = "/v1/files/by-path/photos/" + unique();
        metadata.stubFor(get(urlPathEqualTo(lookup)).inScenario(lookup).whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)).willSetStateTo("answering"));
        metadata.stubFor(get(urlPathEqualTo(lookup)).inScenario(lookup).whenScenarioStateIs("answering")
                .willReturn(notFound()));

        Response answer = given().get("/img/unsafe/fit-in/10x10/photos/" + lookup.substring(lookup.lastIndexOf('/') + 1));

        assertEquals(404, answer.statusCode(), answer.asString());
        assertEquals("ObjectNotFound", answer.jsonPath().getString("error"));
        assertEquals(2, metadata.findAll(getRequestedFor(urlPathEqualTo(lookup))).size(), "one failure, one retry");
    }

    @Test
    void lookupsWithoutAnswerOpenTheBreakerWhichIsAnsweredAsTheCatalogsOutageUntilACallGetsThrough() throws Exception {
        metadata.stubFor(get(urlPathMatching("/v1/files/by-path/photos/gone-.*"))
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        // each image tries the lookup up to three times; the breaker looks at the last 20 lookups
        for (int i = 0; i < 10; i++) {
            Response down = given().get("/img/unsafe/fit-in/10x10/photos/gone-" + unique());
            assertEquals(503, down.statusCode(), down.asString());
            assertEquals("CatalogUnavailable", down.jsonPath().getString("error"));
        }
        String name = unique();
        String lookup = "/v1/files/by-path/photos/" + name;
        metadata.stubFor(get(urlPathEqualTo(lookup)).willReturn(notFound()));

        // open: an object that would be answered is not even looked up, and the answer is the catalog's outage
        Response refused = given().get("/img/unsafe/fit-in/10x10/photos/" + name);
        assertEquals(503, refused.statusCode(), refused.asString());
        assertEquals("CatalogUnavailable", refused.jsonPath().getString("error"));
        assertEquals(String.valueOf(BREAKER_DELAY_SECONDS), refused.header("Retry-After"));
        assertEquals(0, metadata.findAll(getRequestedFor(urlPathEqualTo(lookup))).size());

        // after the delay one call is let through; it gets its answer and the breaker closes
        Thread.sleep(BREAKER_DELAY_SECONDS * 1_000L + 500);
        assertEquals(404, given().get("/img/unsafe/fit-in/10x10/photos/" + name).statusCode());
        assertEquals(404, given().get("/img/unsafe/fit-in/10x10/photos/" + name).statusCode());
        assertEquals(2, metadata.findAll(getRequestedFor(urlPathEqualTo(lookup))).size());
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder notFound() {
        return aResponse().withStatus(404).withHeader("Content-Type", "application/json").withBody(NOT_FOUND);
    }

    private static String unique() {
        return "u-" + UUID.randomUUID() + ".jpg";
    }
}
