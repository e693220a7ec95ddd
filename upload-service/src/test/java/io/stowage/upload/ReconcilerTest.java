package io.stowage.upload;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.stowage.infra.quarkus.KafkaResource;
import io.stowage.infra.quarkus.OidcResource;
import io.stowage.infra.quarkus.S3Resource;
import io.stowage.upload.pending.PendingUpload;
import io.stowage.upload.pending.PendingUploads;
import io.stowage.upload.reconcile.ReconcileReport;
import io.stowage.upload.reconcile.Reconciler;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.stowage.upload.CatalogStubs.json;
import static io.stowage.upload.CatalogStubs.token;
import static io.stowage.upload.UploadPathFixtures.HTTP;
import static io.stowage.upload.UploadPathFixtures.JSON;
import static io.stowage.upload.UploadPathFixtures.exists;
import static io.stowage.upload.UploadPathFixtures.physicalBucket;
import static io.stowage.upload.UploadPathFixtures.s3;
import static io.stowage.upload.UploadPathFixtures.stubCatalog;
import static io.stowage.upload.UploadPathFixtures.uri;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The reconciler against the real S3 server (metadata-service a WireMock stub): a direct upload whose registration is
 * cut off after its blob is in S3 leaves an orphan that a run finds and deletes once the grace is past, never before;
 * a blob an object references, or one a pending upload names, is never deleted; a referenced blob S3 lacks is reported
 * as a dangling row; with no answer from the catalog nothing is deleted. Runs over every blob of the shared bucket, as
 * if a day had passed: the blobs of earlier tests here are the stub catalog's, so unreferenced, and may go.
 */
@QuarkusTest
@WithTestResource(S3Resource.class)
@WithTestResource(OidcResource.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(UpstreamsResource.class)
class ReconcilerTest {

    @InjectWireMock
    WireMockServer metadata;

    @Inject
    Reconciler reconciler;

    @Inject
    PendingUploads pending;

    @BeforeEach
    void catalog() {
        stubCatalog(metadata);
        metadata.stubFor(get(urlPathEqualTo("/internal/blobs")).willReturn(json(200, "{\"blobs\": [], \"next\": null}")));
    }

    @Test
    void theOrphanOfARegistrationCutOffIsDeletedAfterTheGraceAndReferencedOrPendingBlobsNever() throws Exception {
        // an object's blob: the catalog references it
        assertEquals(201, put("/v1/objects/docs/reconcile/kept.txt", "an object's bytes").statusCode());
        String referenced = lastRegistration().get("blobKey").asText();
        CatalogStubs.referenced(metadata, referenced);

        // the registration of a direct upload is cut off once its blob is in S3
        metadata.stubFor(post(urlEqualTo("/internal/objects")).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        assertEquals(503, put("/v1/objects/docs/reconcile/lost.txt", "streamed, registration cut off").statusCode());
        String orphan = lastRegistration().get("blobKey").asText();
        assertTrue(exists(orphan));

        // a presigned upload not registered yet: its pending record names its blob
        String uploading = "blobs/" + UUID.randomUUID();
        s3.putObject(r -> r.bucket(physicalBucket).key(uploading), RequestBody.fromString("PUT to a presigned URL"));
        String uploadId = UUID.randomUUID().toString();
        pending.save(PendingUpload.single(uploadId, "alice", "docs", "reconcile/uploading.txt", "text/plain", 22, uploading,
                "private", Instant.now(), Instant.now().plusSeconds(900))).await().atMost(Duration.ofSeconds(10));

        // within the grace: a registration may still land, nothing is judged
        ReconcileReport early = run(Instant.now());
        assertEquals(ReconcileReport.FINISHED, early.state(), early.error());
        assertTrue(exists(orphan) && exists(referenced) && exists(uploading));
        assertTrue(early.blobs().young() >= 3, early.toString());
        assertTrue(askedAbout(orphan).isEmpty(), "a young blob was asked about");

        ReconcileReport late = run(Instant.now().plus(reconciler.grace()).plusSeconds(1));
        assertEquals(ReconcileReport.FINISHED, late.state(), late.error());
        assertFalse(exists(orphan), "the orphan is still there");
        assertTrue(late.blobs().sample().contains(orphan) || late.blobs().orphans() > ReconcileReport.SAMPLE, late.toString());
        assertTrue(late.blobs().deleted() >= 1 && late.blobs().pending() >= 1, late.toString());
        assertTrue(exists(referenced), "the blob of an object was deleted");
        assertTrue(exists(uploading), "the blob of a pending upload was deleted");
        assertFalse(askedAbout(referenced).isEmpty());
        pending.delete(uploadId).await().atMost(Duration.ofSeconds(10));
    }

    @Test
    void aReferencedBlobS3DoesNotHoldIsReportedAsADanglingRow() throws Exception {
        String missing = "blobs/" + UUID.randomUUID();
        String present = "blobs/" + UUID.randomUUID();
        s3.putObject(r -> r.bucket(physicalBucket).key(present), RequestBody.fromString("here"));
        CatalogStubs.referenced(metadata, missing);
        CatalogStubs.referenced(metadata, present);
        metadata.stubFor(get(urlPathEqualTo("/internal/blobs")).willReturn(json(200, JSON.writeValueAsString(java.util.Map.of("blobs", List.of(
                java.util.Map.of("blobKey", missing, "bucket", "docs", "name", "gone.txt"),
                java.util.Map.of("blobKey", present, "bucket", "docs", "name", "here.txt")))))));

        ReconcileReport report = run(Instant.now());
        assertEquals(ReconcileReport.FINISHED, report.state(), report.error());
        assertEquals(2, report.rows().seen());
        assertEquals(1, report.rows().dangling());
        assertEquals(List.of(new ReconcileReport.Dangling(missing, "docs", "gone.txt")), report.rows().sample());
        assertTrue(exists(present));
    }

    @Test
    void withoutAnAnswerFromTheCatalogNothingIsDeleted() throws Exception {
        String orphan = "blobs/" + UUID.randomUUID();
        s3.putObject(r -> r.bucket(physicalBucket).key(orphan), RequestBody.fromString("unknown"));
        metadata.stubFor(post(urlEqualTo(CatalogStubs.REFERENCED)).atPriority(1).willReturn(json(503,
                "{\"statusCode\":\"503\",\"error\":\"CatalogUnavailable\",\"message\":\"down\"}")));

        ReconcileReport report = run(Instant.now().plus(reconciler.grace()).plusSeconds(1));
        assertEquals(ReconcileReport.FAILED, report.state());
        assertTrue(report.error() != null && !report.error().isBlank());
        assertTrue(exists(orphan), "a blob the catalog could not vouch for was deleted");
        assertEquals(0, report.blobs().deleted());
        assertEquals(0, report.rows().seen(), "the run went on past the failure");
    }

    private ReconcileReport run(Instant now) {
        return reconciler.run(UUID.randomUUID().toString(), now, Reconciler.BLOBS).await().atMost(Duration.ofSeconds(120));
    }

    private static HttpResponse<String> put(String path, String body) throws Exception {
        return UploadPathFixtures.putAsAlice(path, body);
    }

    private com.fasterxml.jackson.databind.JsonNode lastRegistration() throws Exception {
        var registered = metadata.findAll(postRequestedFor(urlEqualTo("/internal/objects")));
        assertFalse(registered.isEmpty());
        return JSON.readTree(registered.getLast().getBodyAsString());
    }

    private List<com.github.tomakehurst.wiremock.verification.LoggedRequest> askedAbout(String blobKey) {
        return metadata.findAll(postRequestedFor(urlEqualTo(CatalogStubs.REFERENCED))
                .withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath("$.blobKeys[?(@ == '" + blobKey + "')]")));
    }
}
