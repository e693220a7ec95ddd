package io.stowage.image;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.stowage.infra.quarkus.KafkaResource;
import io.stowage.infra.quarkus.OidcResource;
import io.stowage.infra.quarkus.S3Resource;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** With {@code STOWAGE_IMAGE_UNSAFE_ENABLED=false}, only signed URLs are served. */
@QuarkusTest
@TestProfile(UnsafeDisabledTest.Profile.class)
@WithTestResource(S3Resource.class)
@WithTestResource(OidcResource.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(UpstreamsResource.class)
class UnsafeDisabledTest {

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("stowage.image.unsafe-enabled", "false");
        }
    }

    @Test
    void unsafeUrlsAreRefusedBeforeAnyLookup() {
        Response refused = given().get("/img/unsafe/fit-in/100x100/photos/any.jpg");
        assertEquals(403, refused.statusCode());
        assertEquals("Forbidden", refused.jsonPath().getString("error"));
        // a signed URL still goes through the signature check
        Response tampered = given().urlEncodingEnabled(false).get("/img/AAAA/fit-in/100x100/photos/any.jpg");
        assertEquals(403, tampered.statusCode());
        assertEquals("InvalidSignature", tampered.jsonPath().getString("error"));
    }
}
