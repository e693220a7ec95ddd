package io.stowage.upload;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.stowage.infra.quarkus.KafkaResource;
import io.stowage.infra.quarkus.OidcResource;
import io.stowage.infra.quarkus.S3Resource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static io.stowage.upload.CatalogStubs.token;
import static io.stowage.upload.UploadPathFixtures.awaitTrue;
import static io.stowage.upload.UploadPathFixtures.exists;
import static io.stowage.upload.UploadPathFixtures.pending;
import static io.stowage.upload.UploadPathFixtures.putPart;
import static io.stowage.upload.UploadPathFixtures.putSingle;
import static io.stowage.upload.UploadPathFixtures.stubCatalog;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Presigned URLs S3 itself refuses (tampered, expired), and nothing registered after them.
 * Against the real S3 server (SigV4-checking S3Proxy), the real Kafka broker and the real token issuer;
 * metadata-service is a WireMock stub. Shares one application start with every test of the same resources.
 */
@QuarkusTest
@WithTestResource(S3Resource.class)
@WithTestResource(OidcResource.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(UpstreamsResource.class)
class RefusedPresignedUrlsTest {

    @InjectWireMock
    WireMockServer metadata;

    @BeforeEach
    void buckets() {
        stubCatalog(metadata);
    }

    @Test
    void s3RefusesATamperedUrlAndNothingIsRegistered() throws Exception {
        String alice = token("alice");
        JsonPath issued = given().auth().oauth2(alice).contentType(ContentType.JSON)
                .body(Map.of("bucket", "docs", "path", "t.txt", "contentType", "text/plain", "size", 5))
                .when().post("/v1/files/presigned-url").then().statusCode(200).extract().jsonPath();
        String url = issued.getString("url");
        String otherKey = url.replaceFirst("/blobs/[0-9a-f-]+", "/blobs/" + UUID.randomUUID());
        String longerLife = url.replaceFirst("X-Amz-Expires=\\d+", "X-Amz-Expires=604800");
        for (String tampered : List.of(otherKey, longerLife)) {
            assertTrue(!tampered.equals(url));
            assertEquals(403, putPart(Map.of("url", tampered, "headers", issued.getMap("headers")),
                    "hello".getBytes(StandardCharsets.UTF_8)).statusCode());
        }
        given().auth().oauth2(alice).contentType(ContentType.JSON).body(Map.of("uploadId", issued.getString("uploadId")))
                .when().post("/v1/files").then().statusCode(422).body("error", org.hamcrest.Matchers.equalTo("UploadMismatch"));
        assertFalse(exists(otherKey.replaceFirst(".*/(blobs/[0-9a-f-]+).*", "$1")));
        metadata.verify(0, postRequestedFor(urlEqualTo("/internal/objects")));
    }

    @Test
    void s3RefusesAnExpiredUrlAndRegistrationAnswersGone() throws Exception {
        String alice = token("alice");
        JsonPath issued;
        UpstreamsResource.lifetimeOverride = Duration.ofSeconds(1);
        try {
            issued = given().auth().oauth2(alice).contentType(ContentType.JSON)
                    .body(Map.of("bucket", "docs", "path", "late.txt", "contentType", "text/plain", "size", 5))
                    .when().post("/v1/files/presigned-url").then().statusCode(200).extract().jsonPath();
        } finally {
            UpstreamsResource.lifetimeOverride = null;
        }
        Instant expiresAt = Instant.parse(issued.getString("expiresAt"));
        awaitTrue(() -> Instant.now().isAfter(expiresAt.plusSeconds(1)), "the URL has expired");

        assertEquals(403, putSingle(issued, "hello".getBytes(StandardCharsets.UTF_8)).statusCode());
        given().auth().oauth2(alice).contentType(ContentType.JSON).body(Map.of("uploadId", issued.getString("uploadId")))
                .when().post("/v1/files").then().statusCode(410).body("error", org.hamcrest.Matchers.equalTo("UploadExpired"));
        assertFalse(exists(pending(issued.getString("uploadId")).get("blobKey").toString()));
        metadata.verify(0, postRequestedFor(urlEqualTo("/internal/objects")));
    }
}
