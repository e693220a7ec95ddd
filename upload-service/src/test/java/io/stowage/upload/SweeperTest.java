package io.stowage.upload;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.smallrye.mutiny.Uni;
import io.stowage.infra.quarkus.KafkaResource;
import io.stowage.infra.quarkus.OidcResource;
import io.stowage.infra.quarkus.S3Resource;
import io.stowage.upload.config.UploadConfig;
import io.stowage.upload.pending.PendingUploads;
import io.stowage.upload.sweeper.Sweeper;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static io.stowage.upload.CatalogStubs.json;
import static io.stowage.upload.CatalogStubs.token;
import static io.stowage.upload.UploadPathFixtures.HTTP;
import static io.stowage.upload.UploadPathFixtures.JSON;
import static io.stowage.upload.UploadPathFixtures.MIB;
import static io.stowage.upload.UploadPathFixtures.exists;
import static io.stowage.upload.UploadPathFixtures.expire;
import static io.stowage.upload.UploadPathFixtures.partUrls;
import static io.stowage.upload.UploadPathFixtures.pattern;
import static io.stowage.upload.UploadPathFixtures.pending;
import static io.stowage.upload.UploadPathFixtures.physicalBucket;
import static io.stowage.upload.UploadPathFixtures.putPart;
import static io.stowage.upload.UploadPathFixtures.putSingle;
import static io.stowage.upload.UploadPathFixtures.s3;
import static io.stowage.upload.UploadPathFixtures.stubCatalog;
import static io.stowage.upload.UploadPathFixtures.uri;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The sweeper: expired uploads removed once, claims that one replica wins, and registrations whose answer was lost.
 * Against the real S3 server (SigV4-checking S3Proxy), the real Kafka broker and the real token issuer;
 * metadata-service is a WireMock stub. Shares one application start with every test of the same resources.
 */
@QuarkusTest
@WithTestResource(S3Resource.class)
@WithTestResource(OidcResource.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(UpstreamsResource.class)
class SweeperTest {

    @InjectWireMock
    WireMockServer metadata;

    @Inject
    Sweeper sweeper;

    @Inject
    PendingUploads pendingUploads;

    @Inject
    UploadConfig config;

    @BeforeEach
    void buckets() {
        stubCatalog(metadata);
    }

    @Test
    void theSweeperRemovesExpiredUploadsOnlyOnceAndLeavesLiveOnesAlone() throws Exception {
        String alice = token("alice");
        // an unfinished multipart upload with one part in S3
        String multipartId = given().auth().oauth2(alice).contentType(ContentType.JSON)
                .body(Map.of("bucket", "docs", "path", "stale.bin", "contentType", "application/octet-stream", "size", 6 * MIB))
                .when().post("/v1/files/multipart/init").then().statusCode(200).extract().jsonPath().getString("uploadId");
        assertEquals(200, putPart(partUrls(alice, multipartId, List.of(1)).get(1), pattern(6 * MIB)).statusCode());
        // a single upload whose bytes landed but that was never registered
        JsonPath single = given().auth().oauth2(alice).contentType(ContentType.JSON)
                .body(Map.of("bucket", "docs", "path", "stale.txt", "contentType", "text/plain", "size", 5))
                .when().post("/v1/files/presigned-url").then().statusCode(200).extract().jsonPath();
        String singleId = single.getString("uploadId");
        assertEquals(200, putSingle(single, "hello".getBytes(StandardCharsets.UTF_8)).statusCode());
        // and one still within its time
        String liveId = given().auth().oauth2(alice).contentType(ContentType.JSON)
                .body(Map.of("bucket", "docs", "path", "live.txt", "contentType", "text/plain", "size", 5))
                .when().post("/v1/files/presigned-url").then().statusCode(200).extract().jsonPath().getString("uploadId");

        Map<String, Object> multipart = expire(multipartId);
        Map<String, Object> singleRecord = expire(singleId);

        // two replicas sweeping at once: each expired upload is claimed by exactly one of them
        var both = Uni.combine().all().unis(sweeper.sweep(), sweeper.sweep()).asTuple().await().atMost(Duration.ofSeconds(60));
        assertTrue(both.getItem1() + both.getItem2() >= 2);
        assertEquals(0, sweeper.sweep().await().atMost(Duration.ofSeconds(60)));

        for (String id : List.of(multipartId, singleId)) {
            assertThrows(NoSuchKeyException.class, () -> s3.headObject(r -> r.bucket(physicalBucket).key(PendingUploads.key(id))));
        }
        assertThrows(NoSuchKeyException.class, () -> s3.headObject(r -> r.bucket(physicalBucket).key(singleRecord.get("blobKey").toString())));
        assertTrue(s3.listMultipartUploads(r -> r.bucket(physicalBucket).prefix(multipart.get("blobKey").toString()))
                .uploads().isEmpty());
        s3.headObject(r -> r.bucket(physicalBucket).key(PendingUploads.key(liveId)));
    }

    @Test
    void aClaimIsAConditionalWriteOnlyOneReplicaWins() {
        String uploadId = given().auth().oauth2(token("alice")).contentType(ContentType.JSON)
                .body(Map.of("bucket", "docs", "path", "claim.txt", "contentType", "text/plain", "size", 5))
                .when().post("/v1/files/presigned-url").then().statusCode(200).extract().jsonPath().getString("uploadId");
        var read = pendingUploads.findVersioned(uploadId).await().atMost(Duration.ofSeconds(10)).orElseThrow();
        assertTrue(pendingUploads.replaceIfUnchanged(read, read.upload().claimed(Instant.now())).await().atMost(Duration.ofSeconds(10)));
        assertFalse(pendingUploads.replaceIfUnchanged(read, read.upload().claimed(Instant.now())).await().atMost(Duration.ofSeconds(10)));
    }

    @Test
    void theSweeperKeepsTheBlobOfAnUploadTheCatalogRegisteredWithoutAnswering() throws Exception {
        String[] lost = presignedUploadWhoseRegistrationGotNoAnswer("lost/kept.txt");
        String uploadId = lost[0];
        String blobKey = lost[1];
        CatalogStubs.referenced(metadata, blobKey);
        expire(uploadId);

        assertTrue(sweeper.sweep().await().atMost(Duration.ofSeconds(60)) >= 1);

        assertTrue(exists(blobKey), "the blob of an object was deleted");
        assertFalse(exists(PendingUploads.key(uploadId)));
        // asked as upload-service itself (client credentials, role stowage-service), never with a user's token
        var asked = metadata.findAll(postRequestedFor(urlEqualTo(CatalogStubs.REFERENCED))
                .withRequestBody(matchingJsonPath("$.blobKeys[?(@ == '" + blobKey + "')]")));
        assertEquals(1, asked.size());
        Map<?, ?> claims = claims(asked.get(0).getHeader("Authorization"));
        assertEquals("service-account-stowage-upload", claims.get("sub"));
        assertTrue(((List<?>) claims.get("groups")).contains("stowage-service"), claims.toString());
    }

    @Test
    void theSweeperRemovesTheBlobOfALostRegistrationTheCatalogDoesNotReference() throws Exception {
        String[] lost = presignedUploadWhoseRegistrationGotNoAnswer("lost/removed.txt");
        expire(lost[0]);

        assertTrue(sweeper.sweep().await().atMost(Duration.ofSeconds(60)) >= 1);

        assertFalse(exists(lost[1]));
        assertFalse(exists(PendingUploads.key(lost[0])));
        metadata.verify(postRequestedFor(urlEqualTo(CatalogStubs.REFERENCED))
                .withRequestBody(matchingJsonPath("$.blobKeys[?(@ == '" + lost[1] + "')]")));
    }

    @Test
    void theSweeperTouchesNothingWhileTheCatalogCannotSayAndSettlesItOnTheNextSweep() throws Exception {
        String[] lost = presignedUploadWhoseRegistrationGotNoAnswer("lost/unknown.txt");
        expire(lost[0]);
        metadata.stubFor(post(urlEqualTo(CatalogStubs.REFERENCED)).atPriority(1).willReturn(json(503,
                "{\"statusCode\":503,\"error\":\"Unavailable\",\"message\":\"down\"}")));

        sweeper.sweep().await().atMost(Duration.ofSeconds(60));

        assertTrue(exists(lost[1]));
        Map<String, Object> record = pending(lost[0]);
        // left unclaimed, so the next sweep asks again rather than waiting for a claim to lapse
        assertFalse(record.containsKey("claimedAt"), record.toString());

        CatalogStubs.resetWithBuckets(metadata);
        sweeper.sweep().await().atMost(Duration.ofSeconds(60));
        assertFalse(exists(lost[1]));
        assertFalse(exists(PendingUploads.key(lost[0])));
    }

    /** A presigned upload whose bytes are in S3 and whose registration met a reset connection: {uploadId, blobKey}. */
    private String[] presignedUploadWhoseRegistrationGotNoAnswer(String path) throws Exception {
        String alice = token("alice");
        JsonPath issued = given().auth().oauth2(alice).contentType(ContentType.JSON)
                .body(Map.of("bucket", "docs", "path", path, "contentType", "text/plain", "size", 5))
                .when().post("/v1/files/presigned-url").then().statusCode(200).extract().jsonPath();
        String uploadId = issued.getString("uploadId");
        assertEquals(200, putSingle(issued, "hello".getBytes(StandardCharsets.UTF_8)).statusCode());
        metadata.stubFor(post(urlEqualTo("/internal/objects")).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        given().auth().oauth2(alice).contentType(ContentType.JSON).body(Map.of("uploadId", uploadId))
                .when().post("/v1/files").then().statusCode(503).header("Retry-After", org.hamcrest.Matchers.notNullValue())
                .body("error", org.hamcrest.Matchers.equalTo("CatalogUnavailable"));
        Map<String, Object> record = pending(uploadId);
        assertFalse(record.containsKey("objectId"), "marked registered without an answer");
        String blobKey = record.get("blobKey").toString();
        assertTrue(exists(blobKey));
        return new String[]{uploadId, blobKey};
    }

    private static Map<?, ?> claims(String authorization) throws Exception {
        assertTrue(authorization != null && authorization.startsWith("Bearer "), String.valueOf(authorization));
        String payload = authorization.substring("Bearer ".length()).split("\\.")[1];
        return JSON.readValue(java.util.Base64.getUrlDecoder().decode(payload), Map.class);
    }
}
