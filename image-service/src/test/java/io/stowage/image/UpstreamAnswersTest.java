package io.stowage.image;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.stowage.infra.SharedInfra;
import io.stowage.infra.quarkus.KafkaResource;
import io.stowage.infra.quarkus.OidcResource;
import io.stowage.infra.quarkus.S3Resource;
import org.junit.jupiter.api.Test;

import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * How image-service answers what metadata-service answers (the WireMock stub of {@link UpstreamsResource}):
 * outages are 503 naming the catalog with Retry-After, other failures 502, refusals passed on as they
 * came, the lookup URL built from the checked names, each segment encoded once, and the object a signed
 * token names looked up with image-service's own token (the REST client's OIDC filter).
 */
@QuarkusTest
@WithTestResource(S3Resource.class)
@WithTestResource(OidcResource.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(UpstreamsResource.class)
class UpstreamAnswersTest {

    private static final String JSON = "application/json";

    @InjectMetadata
    WireMockServer metadata;

    @Test
    void metadataAnswering503IsCatalogUnavailableWithRetryAfter() {
        String name = unique();
        metadata.stubFor(get(urlPathEqualTo("/v1/files/by-path/photos/" + name)).willReturn(aResponse().withStatus(503)
                .withHeader("Content-Type", JSON)
                .withBody("{\"statusCode\":503,\"error\":\"CatalogUnavailable\",\"message\":\"PostgreSQL did not answer\"}")));

        Response answer = given().get("/img/unsafe/fit-in/10x10/photos/" + name);

        assertEquals(503, answer.statusCode());
        assertEquals("CatalogUnavailable", answer.jsonPath().getString("error"));
        assertEquals("2", answer.header("Retry-After"));
    }

    @Test
    void metadataGivingNoAnswerIsCatalogUnavailableWithRetryAfter() {
        String name = unique();
        metadata.stubFor(get(urlPathEqualTo("/v1/files/by-path/photos/" + name))
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

        Response answer = given().get("/img/unsafe/fit-in/10x10/photos/" + name);

        assertEquals(503, answer.statusCode());
        assertEquals("CatalogUnavailable", answer.jsonPath().getString("error"));
        assertEquals("2", answer.header("Retry-After"));
    }

    @Test
    void metadataFailingOtherwiseIs502UpstreamUnavailable() {
        String name = unique();
        metadata.stubFor(get(urlPathEqualTo("/v1/files/by-path/photos/" + name))
                .willReturn(aResponse().withStatus(500).withBody("boom")));

        Response answer = given().get("/img/unsafe/fit-in/10x10/photos/" + name);

        assertEquals(502, answer.statusCode());
        assertEquals("UpstreamUnavailable", answer.jsonPath().getString("error"));
    }

    @Test
    void aRefusalOfTheCallerIsPassedOnWithItsCode() {
        String alice = "Bearer " + SharedInfra.issuer().mint("alice", Set.of());
        String name = unique();
        metadata.stubFor(get(urlPathEqualTo("/internal/objects/by-path/photos/" + name)).willReturn(aResponse().withStatus(403)
                .withHeader("Content-Type", JSON)
                .withBody("{\"statusCode\":403,\"error\":\"AccessDenied\",\"message\":\"not yours\"}")));

        Response answer = given().header("Authorization", alice).get("/render/image/authenticated/photos/" + name + "?width=10");

        assertEquals(403, answer.statusCode());
        assertEquals("AccessDenied", answer.jsonPath().getString("error"));
        assertEquals("not yours", answer.jsonPath().getString("message"));
    }

    @Test
    void looksTheObjectUpByItsNameEncodedOnce() {
        String name = "folder " + UUID.randomUUID() + "/café+1.png";
        String encoded = "folder%20" + name.substring("folder ".length(), name.indexOf('/')) + "/caf%C3%A9+1.png";
        // only the exact encoded URL is answered, and with an answer no missing stub gives
        metadata.stubFor(get(urlEqualTo("/v1/files/by-path/photos/" + encoded)).willReturn(aResponse().withStatus(503)
                .withHeader("Content-Type", JSON)
                .withBody("{\"statusCode\":503,\"error\":\"CatalogUnavailable\",\"message\":\"found by its encoded name\"}")));

        Response answer = given().urlEncodingEnabled(false).get("/img/unsafe/fit-in/10x10/photos/" + encoded);

        assertEquals(503, answer.statusCode(), answer.asString());
        assertEquals("CatalogUnavailable", answer.jsonPath().getString("error"));
    }

    @Test
    void theObjectASignedTokenNamesIsLookedUpWithImageServicesOwnToken() throws Exception {
        String name = unique();
        String lookup = "/internal/objects/by-path/photos/" + name;
        metadata.stubFor(get(urlPathEqualTo(lookup)).willReturn(aResponse().withStatus(503)
                .withHeader("Content-Type", JSON)
                .withBody("{\"statusCode\":503,\"error\":\"CatalogUnavailable\",\"message\":\"looked up\"}")));

        Response answer = given().get("/render/image/sign/photos/" + name + "?token=" + UpstreamsResource.GOOD_TOKEN);

        assertEquals(503, answer.statusCode(), answer.asString());
        List<LoggedRequest> asked = metadata.findAll(getRequestedFor(urlPathEqualTo(lookup)));
        assertEquals(1, asked.size());
        String token = asked.getFirst().getHeader("Authorization").substring("Bearer ".length());
        Map<?, ?> claims = new ObjectMapper().readValue(Base64.getUrlDecoder().decode(token.split("\\.")[1]), Map.class);
        assertEquals("service-account-stowage-image", claims.get("sub"));
    }

    private static String unique() {
        return "u-" + UUID.randomUUID() + ".jpg";
    }
}
