package io.stowage.upload;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.stowage.infra.quarkus.KafkaResource;
import io.stowage.infra.quarkus.OidcResource;
import io.stowage.infra.quarkus.S3Resource;
import io.stowage.upload.blobs.StampedBlobs;
import io.stowage.upload.pending.PendingUploads;
import io.stowage.upload.sweeper.StampedBlobSweeper;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.stowage.upload.CatalogStubs.json;
import static io.stowage.upload.CatalogStubs.token;
import static io.stowage.upload.UploadPathFixtures.HTTP;
import static io.stowage.upload.UploadPathFixtures.JSON;
import static io.stowage.upload.UploadPathFixtures.exists;
import static io.stowage.upload.UploadPathFixtures.pendingRecords;
import static io.stowage.upload.UploadPathFixtures.physicalBucket;
import static io.stowage.upload.UploadPathFixtures.s3;
import static io.stowage.upload.UploadPathFixtures.stubCatalog;
import static io.stowage.upload.UploadPathFixtures.uri;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A direct upload whose body fits in one PUT writes no pending record: its blob's key carries the time it was
 * written, and the blob sweep finds an orphan (a replica that died after the PUT, a registration without answer)
 * by listing those keys, asks the catalog, and deletes what no object references. Against the real S3 server,
 * Kafka and token issuer; metadata-service a WireMock stub. Shares one application start with the other path tests.
 */
@QuarkusTest
@WithTestResource(S3Resource.class)
@WithTestResource(OidcResource.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(UpstreamsResource.class)
class StampedBlobSweeperTest {

    @InjectWireMock
    WireMockServer metadata;

    @Inject
    StampedBlobSweeper sweeper;

    @BeforeEach
    void buckets() {
        stubCatalog(metadata);
    }

    @Test
    void aDirectUploadThatFitsOnePutWritesNoRecordAndStampsItsBlobKey() throws Exception {
        Instant before = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        HttpResponse<String> answer = put("/v1/objects/docs/stamped/one.txt", "one PUT, no record");
        Instant after = Instant.now();
        assertEquals(201, answer.statusCode(), answer.body());

        var registration = registration();
        String blobKey = registration.get("blobKey").asText();
        assertTrue(blobKey.startsWith(StampedBlobs.PREFIX), blobKey);
        Instant stamp = StampedBlobs.stampOf(blobKey).orElseThrow();
        assertFalse(stamp.isBefore(before) || stamp.isAfter(after), stamp + " not within the request");
        assertTrue(exists(blobKey));
        assertFalse(pendingRecords().contains(PendingUploads.key(registration.get("uploadId").asText())));
    }

    @Test
    void aDirectUploadWithoutRegistrationAnswerLeavesItsBlobForTheBlobSweepWhichDeletesItOnceSettled() throws Exception {
        metadata.stubFor(post(urlEqualTo("/internal/objects")).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        HttpResponse<String> answer = put("/v1/objects/docs/stamped/unanswered.txt", "streamed, registered, unanswered");
        // metadata-service gave no answer: its outage, said as such
        assertEquals(503, answer.statusCode(), answer.body());
        assertEquals("CatalogUnavailable", JSON.readTree(answer.body()).get("error").asText());
        assertTrue(answer.headers().firstValue("Retry-After").isPresent());

        var registration = registration();
        String blobKey = registration.get("blobKey").asText();
        assertTrue(exists(blobKey), "the blob of an object that may exist was deleted");
        assertFalse(pendingRecords().contains(PendingUploads.key(registration.get("uploadId").asText())), "a record was written");

        // a registration of it may still land: not settled yet, not even asked about
        sweeper.sweep(Instant.now()).await().atMost(Duration.ofSeconds(60));
        assertTrue(exists(blobKey));
        assertTrue(askedAbout(blobKey).isEmpty());

        Instant settled = StampedBlobs.stampOf(blobKey).orElseThrow().plus(sweeper.settleAfter()).plusSeconds(1);
        assertTrue(sweeper.sweep(settled).await().atMost(Duration.ofSeconds(60)) >= 1);
        assertFalse(exists(blobKey));
        // asked as upload-service itself (client credentials, role stowage-service), never with a user's token
        Map<?, ?> claims = claims(askedAbout(blobKey).get(0).getHeader("Authorization"));
        assertEquals("service-account-stowage-upload", claims.get("sub"));
        assertTrue(((List<?>) claims.get("groups")).contains("stowage-service"), claims.toString());
    }

    @Test
    void theBlobOfAReplicaThatDiedAfterItsPutIsFoundWithoutAnyRecordAndDeleted() throws Exception {
        // what a replica leaves when it dies between the PUT and the registration: a stamped blob, nothing else
        String orphan = StampedBlobs.newKey(Instant.now());
        s3.putObject(r -> r.bucket(physicalBucket).key(orphan).contentType("text/plain"), RequestBody.fromString("orphan"));

        Instant settled = Instant.now().plus(sweeper.settleAfter()).plusSeconds(2);
        assertTrue(sweeper.sweep(settled).await().atMost(Duration.ofSeconds(60)) >= 1);

        assertFalse(exists(orphan));
        metadata.verify(postRequestedFor(urlEqualTo(CatalogStubs.REFERENCED))
                .withRequestBody(matchingJsonPath("$.blobKeys[?(@ == '" + orphan + "')]")));
    }

    @Test
    void theBlobSweepKeepsTheBlobsOfObjects() throws Exception {
        assertEquals(201, put("/v1/objects/docs/stamped/kept.txt", "an object's bytes").statusCode());
        String blobKey = registration().get("blobKey").asText();
        CatalogStubs.referenced(metadata, blobKey);

        Instant settled = StampedBlobs.stampOf(blobKey).orElseThrow().plus(sweeper.settleAfter()).plusSeconds(1);
        sweeper.sweep(settled).await().atMost(Duration.ofSeconds(60));

        assertTrue(exists(blobKey), "the blob of an object was deleted");
        assertFalse(askedAbout(blobKey).isEmpty());
    }

    @Test
    void theBlobSweepTouchesNothingWhileTheCatalogCannotSayAndSettlesItOnTheNextSweep() throws Exception {
        String orphan = StampedBlobs.newKey(Instant.now());
        s3.putObject(r -> r.bucket(physicalBucket).key(orphan).contentType("text/plain"), RequestBody.fromString("unknown"));
        metadata.stubFor(post(urlEqualTo(CatalogStubs.REFERENCED)).atPriority(1).willReturn(json(503,
                "{\"statusCode\":503,\"error\":\"Unavailable\",\"message\":\"down\"}")));
        Instant settled = Instant.now().plus(sweeper.settleAfter()).plusSeconds(2);

        assertEquals(0, sweeper.sweep(settled).await().atMost(Duration.ofSeconds(60)));
        assertTrue(exists(orphan));

        // the mark did not move past it: the next sweep, with an answer, settles it
        CatalogStubs.resetWithBuckets(metadata);
        assertTrue(sweeper.sweep(settled).await().atMost(Duration.ofSeconds(60)) >= 1);
        assertFalse(exists(orphan));
    }

    @Test
    void theMarkResumesAtTheSecondOfTheLastKeySettled() {
        String second = StampedBlobs.PREFIX + "20261129T215012Z";
        String first = second + "/aaaa";
        String later = second + "/bbbb";
        assertEquals(second, sweeperMark(null, first));
        // the keys of that second are listed again next time: one may still sort before the last one
        assertNull(sweeperMark(second, later));
        assertEquals(StampedBlobs.PREFIX + "20261129T215013Z", sweeperMark(second, StampedBlobs.PREFIX + "20261129T215013Z/cccc"));
        assertNull(sweeperMark(second, null));
        assertTrue(first.compareTo(second) > 0 && later.compareTo(second) > 0);
        assertEquals(Instant.parse("2026-11-29T21:50:12Z"), StampedBlobs.stampOf(first).orElseThrow());
        assertTrue(StampedBlobs.stampOf("blobs/" + java.util.UUID.randomUUID()).isEmpty());
        assertTrue(StampedBlobs.stampOf(StampedBlobs.PREFIX + "not-a-time/x").isEmpty());
    }

    // ---------------------------------------------------------------- helpers

    private static String sweeperMark(String mark, String settled) {
        return StampedBlobSweeper.nextMark(mark, settled);
    }

    private static HttpResponse<String> put(String path, String body) throws Exception {
        return UploadPathFixtures.putAsAlice(path, body);
    }

    private com.fasterxml.jackson.databind.JsonNode registration() throws Exception {
        var registered = metadata.findAll(postRequestedFor(urlEqualTo("/internal/objects")));
        assertEquals(1, registered.size());
        return JSON.readTree(registered.get(0).getBodyAsString());
    }

    private List<com.github.tomakehurst.wiremock.verification.LoggedRequest> askedAbout(String blobKey) {
        return metadata.findAll(postRequestedFor(urlEqualTo(CatalogStubs.REFERENCED))
                .withRequestBody(matchingJsonPath("$.blobKeys[?(@ == '" + blobKey + "')]")));
    }

    private static Map<?, ?> claims(String authorization) throws Exception {
        assertTrue(authorization != null && authorization.startsWith("Bearer "), String.valueOf(authorization));
        String payload = authorization.substring("Bearer ".length()).split("\\.")[1];
        return JSON.readValue(java.util.Base64.getUrlDecoder().decode(payload), Map.class);
    }
}
