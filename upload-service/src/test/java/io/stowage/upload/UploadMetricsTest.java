package io.stowage.upload;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.stowage.events.ObjectEvents;
import io.stowage.infra.SharedInfra;
import io.stowage.infra.quarkus.KafkaResource;
import io.stowage.infra.quarkus.OidcResource;
import io.stowage.infra.quarkus.S3Resource;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;

import static io.stowage.upload.CatalogStubs.token;
import static io.stowage.upload.UploadPathFixtures.HTTP;
import static io.stowage.upload.UploadPathFixtures.awaitTrue;
import static io.stowage.upload.UploadPathFixtures.deleted;
import static io.stowage.upload.UploadPathFixtures.delta;
import static io.stowage.upload.UploadPathFixtures.exists;
import static io.stowage.upload.UploadPathFixtures.physicalBucket;
import static io.stowage.upload.UploadPathFixtures.png;
import static io.stowage.upload.UploadPathFixtures.producer;
import static io.stowage.upload.UploadPathFixtures.s3;
import static io.stowage.upload.UploadPathFixtures.sample;
import static io.stowage.upload.UploadPathFixtures.scrape;
import static io.stowage.upload.UploadPathFixtures.stubCatalog;
import static io.stowage.upload.UploadPathFixtures.uri;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The metrics of uploads: bytes and outcomes counted, and the events consumed.
 * Against the real S3 server (SigV4-checking S3Proxy), the real Kafka broker and the real token issuer;
 * metadata-service is a WireMock stub. Shares one application start with every test of the same resources.
 */
@QuarkusTest
@WithTestResource(S3Resource.class)
@WithTestResource(OidcResource.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(UpstreamsResource.class)
class UploadMetricsTest {

    /** Metrics are served on the management interface, apart from the API. */
    @io.quarkus.test.common.http.TestHTTPResource(value = "/metrics", management = true)
    java.net.URL metrics;

    @InjectWireMock
    WireMockServer metadata;

    @BeforeEach
    void buckets() {
        stubCatalog(metadata);
    }

    @Test
    void metricsCountTheBytesAndOutcomesOfUploadsAndTheEventsConsumed() throws Exception {
        String before = scrape(metrics);
        byte[] png = png(300);
        HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(uri("/v1/objects/photos/metrics/counted.png"))
                .header("Authorization", "Bearer " + token("alice")).header("Content-Type", "image/png")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(png)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, answer.statusCode(), answer.body());
        HttpResponse<String> disguised = HTTP.send(HttpRequest.newBuilder(uri("/v1/objects/photos/metrics/evil.png"))
                .header("Authorization", "Bearer " + token("alice")).header("Content-Type", "image/png")
                .PUT(HttpRequest.BodyPublishers.ofString("MZ\u0090\u0000 not a PNG")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(422, disguised.statusCode(), disguised.body());
        // a released blob's deleted event, consumed from the real broker
        String released = "blobs/" + UUID.randomUUID();
        s3.putObject(r -> r.bucket(physicalBucket).key(released), RequestBody.fromString("bytes"));
        SharedInfra.kafka().createTopic(ObjectEvents.DEFAULT_TOPIC, 3);
        try (KafkaProducer<String, String> producer = producer()) {
            producer.send(deleted("docs/metrics.txt", released, true)).get();
        }
        awaitTrue(() -> !exists(released), "the released blob is deleted");

        String after = scrape(metrics);
        assertEquals(png.length, delta(before, after, "stowage_upload_bytes_total", "path", "direct"));
        assertEquals(2, delta(before, after, "stowage_uploads_started_total", "path", "direct"));
        assertEquals(1, delta(before, after, "stowage_uploads_total", "outcome", "registered", "path", "direct"));
        assertEquals(1, delta(before, after, "stowage_uploads_total", "outcome", "refused", "path", "direct"));
        assertEquals(0, delta(before, after, "stowage_uploads_total", "outcome", "failed", "path", "direct"));
        assertEquals(1, delta(before, after, "stowage_events_consumed_total", "type", ObjectEvents.DELETED));
        // every path and outcome has a series from the start, so dashboards show zeros, not gaps
        for (String path : List.of("presigned", "multipart", "direct")) {
            sample(after, "stowage_upload_bytes_total", "path", path);
            sample(after, "stowage_upload_sweeper_expired_total", "path", path);
            sample(after, "stowage_upload_sweeper_referenced_total", "path", path);
            for (String outcome : List.of("registered", "refused", "failed", "expired", "aborted")) {
                sample(after, "stowage_uploads_total", "outcome", outcome, "path", path);
            }
        }
        sample(after, "stowage_uploads_pending");
        // Quarkus's HTTP server metrics, with one uri per route rather than one per object
        assertTrue(sample(after, "http_server_requests_seconds_count", "method", "PUT", "status", "201",
                "uri", "/v1/objects/{bucket}/{path}") >= 1);
        assertFalse(after.contains("counted.png"), "an object name became a label value");
    }
}
