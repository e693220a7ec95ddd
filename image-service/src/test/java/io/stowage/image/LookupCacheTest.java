package io.stowage.image;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.stowage.infra.S3Server;
import io.stowage.infra.SharedInfra;
import io.stowage.infra.quarkus.KafkaResource;
import io.stowage.infra.quarkus.OidcResource;
import io.stowage.infra.quarkus.S3Resource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

import java.net.URL;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * metadata-service's lookup answers kept for their bound (client/RecentLookups), here a bound longer than
 * any test so that nothing depends on time: within it a hot image is served without asking
 * metadata-service again, and each caller only ever from what metadata-service answered that caller.
 * (What happens past the bound: RecentLookupsTest, on a clock it moves.)
 */
@QuarkusTest
@TestProfile(LookupCacheTest.LongBound.class)
@WithTestResource(S3Resource.class)
@WithTestResource(OidcResource.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(UpstreamsResource.class)
class LookupCacheTest {

    public static class LongBound implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("stowage.image.lookup-cache-ttl", "1H");
        }
    }

    private static final String JSON_TYPE = "application/json";
    private static final String NOT_FOUND = "{\"statusCode\":404,\"error\":\"ObjectNotFound\",\"message\":\"not found\"}";
    private static final byte[] HALVES = TestImages.halves(400, 300, "jpg");
    private static S3Client s3;
    private static String physical;

    @InjectMetadata
    WireMockServer metadata;

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    @BeforeAll
    static void s3() {
        S3Server server = SharedInfra.s3();
        physical = server.bucket();
        s3 = TestS3.client(server);
    }

    @AfterAll
    static void close() {
        s3.close();
    }

    /** The blob in S3 and the catalog's File as metadata-service answers it. */
    private static String file(String name, String visibility) throws Exception {
        String blobKey = "blobs/" + UUID.randomUUID();
        s3.putObject(b -> b.bucket(physical).key(blobKey).contentType("image/jpeg"), RequestBody.fromBytes(HALVES));
        return new ObjectMapper().writeValueAsString(Map.of("id", UUID.randomUUID().toString(), "bucket", "photos",
                "name", name, "blobKey", blobKey, "size", HALVES.length, "contentType", "image/jpeg", "etag", "\"e\"",
                "visibility", visibility));
    }

    @Test
    void aHotImageIsServedWithinTheBoundWithoutAskingMetadataServiceAgain() throws Exception {
        String name = "c-" + UUID.randomUUID() + ".jpg";
        String lookup = "/v1/files/by-path/photos/" + name;
        metadata.stubFor(get(urlPathEqualTo(lookup)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", JSON_TYPE).withBody(file(name, "public"))));
        String route = "/render/image/public/photos/" + name + "?width=64&height=48";

        Response first = given().header("Accept", "image/webp").get(route);
        assertEquals(200, first.statusCode(), first.asString());
        assertEquals("miss", first.header("X-Stowage-Variant"));
        // deleted since: within the bound the answer kept is still the one used (the documented staleness)
        metadata.stubFor(get(urlPathEqualTo(lookup)).willReturn(aResponse().withStatus(404)
                .withHeader("Content-Type", JSON_TYPE).withBody(NOT_FOUND)));
        Response again = given().header("Accept", "image/webp").get(route);

        assertEquals(200, again.statusCode(), again.asString());
        assertEquals("hit", again.header("X-Stowage-Variant"));
        assertEquals("public, max-age=31536000, immutable", again.header("Cache-Control"));
        assertArrayEquals(first.asByteArray(), again.asByteArray());
        assertEquals(1, metadata.findAll(getRequestedFor(urlPathEqualTo(lookup))).size());
        given().get(metrics).then().statusCode(200).body(containsString("cache=\"image-object-lookups\""));
    }

    @Test
    void aCallerMetadataServiceRefusesIsNeverServedFromAnotherCallersAnswer() throws Exception {
        String alice = "Bearer " + SharedInfra.issuer().mint("alice", Set.of());
        String bob = "Bearer " + SharedInfra.issuer().mint("bob", Set.of());
        String name = "c-" + UUID.randomUUID() + ".jpg";
        String lookup = "/internal/objects/by-path/photos/" + name;
        metadata.stubFor(get(urlPathEqualTo(lookup)).atPriority(9).willReturn(aResponse().withStatus(403)
                .withHeader("Content-Type", JSON_TYPE)
                .withBody("{\"statusCode\":403,\"error\":\"AccessDenied\",\"message\":\"not yours\"}")));
        metadata.stubFor(get(urlPathEqualTo(lookup)).atPriority(1).withHeader("Authorization", equalTo(alice))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", JSON_TYPE).withBody(file(name, "private"))));
        metadata.stubFor(get(urlPathEqualTo("/v1/files/by-path/photos/" + name)).willReturn(aResponse().withStatus(404)
                .withHeader("Content-Type", JSON_TYPE).withBody(NOT_FOUND)));
        String route = "/render/image/authenticated/photos/" + name + "?width=20";

        for (int i = 0; i < 2; i++) {
            Response mine = given().header("Authorization", alice).header("Accept", "*/*").get(route);
            assertEquals(200, mine.statusCode(), mine.asString());
            assertEquals("private, max-age=31536000, immutable", mine.header("Cache-Control"));
        }
        // alice's answer is kept: bob, anonymous callers and bad tokens are each refused, every time
        for (int i = 0; i < 2; i++) {
            Response bobs = given().header("Authorization", bob).header("Accept", "*/*").get(route);
            assertEquals(403, bobs.statusCode(), bobs.asString());
            assertEquals("AccessDenied", bobs.jsonPath().getString("error"));
            assertEquals(404, given().header("Accept", "*/*").get("/render/image/public/photos/" + name + "?width=20").statusCode());
            assertEquals(401, given().header("Accept", "*/*").get(route).statusCode());
            assertEquals(401, given().header("Authorization", "Bearer not.a.token").header("Accept", "*/*").get(route).statusCode());
        }
        assertEquals(1, metadata.findAll(getRequestedFor(urlPathEqualTo(lookup)).withHeader("Authorization", equalTo(alice))).size());
        assertEquals(2, metadata.findAll(getRequestedFor(urlPathEqualTo(lookup)).withHeader("Authorization", equalTo(bob))).size());
    }
}
