package io.stowage.upload;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.stowage.events.ObjectEvents;
import io.stowage.infra.SharedInfra;
import io.stowage.infra.quarkus.KafkaResource;
import io.stowage.infra.quarkus.OidcResource;
import io.stowage.infra.quarkus.S3Resource;
import jakarta.inject.Inject;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.stowage.upload.CatalogStubs.json;
import static io.stowage.upload.CatalogStubs.token;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * With tracing switched on (as STOWAGE_TRACING_DISABLED=false does): a traced request's trace goes on
 * to metadata-service, its server span carries the request id, and a deleted event's traceparent
 * header is continued by the blob release. Its own application start (a test profile).
 */
@QuarkusTest
@TestProfile(TracingTest.Traced.class)
@WithTestResource(S3Resource.class)
@WithTestResource(OidcResource.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(UpstreamsResource.class)
class TracingTest {

    public static class Traced implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.otel.sdk.disabled", "false",
                    // spans are collected by CollectedSpans; no collector to send them to here
                    "quarkus.otel.exporter.otlp.traces.endpoint", "http://127.0.0.1:1",
                    "quarkus.otel.bsp.schedule.delay", "PT0.1S");
        }
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final String FILE = """
            {"id": "file-t", "bucket": "photos", "name": "traced.png", "versionId": "v1", "blobKey": "blobs/x",
             "size": 1, "contentType": "image/png", "etag": "e", "owner": "alice", "visibility": "private",
             "createdAt": "2026-01-01T00:00:00Z", "updatedAt": "2026-01-01T00:00:00Z"}""";

    @InjectWireMock
    WireMockServer metadata;

    @Inject
    CollectedSpans spans;

    @Test
    void aTracedUploadCarriesItsTraceToMetadataServiceWithTheRequestIdOnTheServerSpan() throws Exception {
        CatalogStubs.resetWithBuckets(metadata);
        metadata.stubFor(post(urlEqualTo("/internal/objects")).willReturn(json(201, FILE)));
        String traceId = hex(16);
        byte[] png = new byte[200];
        System.arraycopy(new byte[]{(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}, 0, png, 0, 8);

        HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + RestAssured.port + "/v1/objects/photos/traced.png"))
                .header("Authorization", "Bearer " + token("alice")).header("Content-Type", "image/png")
                .header("traceparent", "00-" + traceId + "-" + hex(8) + "-01").header("X-Request-Id", "req-traced-1")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(png)).build(), HttpResponse.BodyHandlers.ofString());

        assertEquals(201, answer.statusCode(), answer.body());
        var registered = metadata.findAll(postRequestedFor(urlEqualTo("/internal/objects")));
        assertEquals(1, registered.size());
        String sent = registered.get(0).getHeader("traceparent");
        assertTrue(sent != null && sent.startsWith("00-" + traceId + "-"), "traceparent sent on: " + sent);
        awaitTrue(() -> spans.ofTrace(traceId).stream().anyMatch(s -> s.getKind() == SpanKind.SERVER
                && "req-traced-1".equals(s.getAttributes().get(AttributeKey.stringKey("stowage.request_id")))),
                "a server span of the trace with the request id, among " + describe(spans.ofTrace(traceId)) + " all: " + describe(spans.all()));
        List<SpanData> clients = spans.ofTrace(traceId).stream().filter(s -> s.getKind() == SpanKind.CLIENT).toList();
        assertTrue(clients.size() >= 2, "client spans for the bucket read and the registration: " + clients);
    }

    @Test
    void theBlobReleaseContinuesTheTraceOfTheDeletedEvent() throws Exception {
        S3Client s3 = SharedInfra.s3().client();
        String blobKey = "blobs/" + UUID.randomUUID();
        s3.putObject(r -> r.bucket(SharedInfra.s3().bucket()).key(blobKey), RequestBody.fromString("bytes"));
        String traceId = hex(16);
        String parentSpan = hex(8);
        SharedInfra.kafka().createTopic(ObjectEvents.DEFAULT_TOPIC, 3);
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedInfra.kafka().bootstrapServers());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            String value = new ObjectMapper().writeValueAsString(Map.ofEntries(Map.entry("bucket", "docs"),
                    Map.entry("name", "traced.txt"), Map.entry("versionId", UUID.randomUUID().toString()),
                    Map.entry("size", 5), Map.entry("contentType", "text/plain"), Map.entry("etag", "e"),
                    Map.entry("owner", "alice"), Map.entry("visibility", "private"), Map.entry("blobKey", blobKey),
                    Map.entry("blobReleased", true), Map.entry("sequence", 2)));
            ProducerRecord<String, String> record = new ProducerRecord<>(ObjectEvents.DEFAULT_TOPIC, "docs/traced.txt", value);
            record.headers().add(ObjectEvents.HEADER_SPEC_VERSION, bytes("1.0"));
            record.headers().add(ObjectEvents.HEADER_ID, bytes(UUID.randomUUID().toString()));
            record.headers().add(ObjectEvents.HEADER_SOURCE, bytes(ObjectEvents.SOURCE));
            record.headers().add(ObjectEvents.HEADER_TYPE, bytes(ObjectEvents.DELETED));
            record.headers().add(ObjectEvents.HEADER_TIME, bytes(Instant.now().toString()));
            record.headers().add(ObjectEvents.HEADER_SUBJECT, bytes("docs/traced.txt"));
            record.headers().add(ObjectEvents.HEADER_CONTENT_TYPE, bytes("application/json"));
            record.headers().add("traceparent", bytes("00-" + traceId + "-" + parentSpan + "-01"));
            producer.send(record).get();
        }

        awaitTrue(() -> {
            try {
                s3.headObject(r -> r.bucket(SharedInfra.s3().bucket()).key(blobKey));
                return false;
            } catch (NoSuchKeyException e) {
                return true;
            }
        }, "the released blob is deleted");
        awaitTrue(() -> spans.ofTrace(traceId).stream().anyMatch(s -> s.getKind() == SpanKind.CONSUMER
                && s.getParentSpanId().equals(parentSpan)), "a consumer span, child of the event's traceparent");
        s3.close();
    }

    private static String describe(List<SpanData> found) {
        return found.stream().map(s -> s.getTraceId() + " " + s.getKind() + " " + s.getName() + " " + s.getAttributes()).toList().toString();
    }

    private static byte[] bytes(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    private static String hex(int bytes) {
        byte[] random = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(random);
        random[0] |= 1; // never all zeros (invalid in W3C trace context)
        return HexFormat.of().formatHex(random);
    }

    /** Waits for an effect that happens asynchronously; the deadline is generous and never what is tested. */
    private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("never happened: " + what);
            }
            Thread.sleep(100);
        }
    }
}
