package io.stowage.system;

import static io.stowage.system.SystemTestSupport.presignedPut;
import static io.stowage.system.SystemTestSupport.eventsFor;
import static io.stowage.system.SystemTestSupport.header;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stowage.events.ObjectEvents;
import io.stowage.system.OtlpReceiver.ReceivedSpan;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One upload and one delete through the gateway, the spans exported over OTLP to the receiver the
 * suite runs in this JVM: the traces cross every HTTP hop and Kafka.
 */
// Runs first in its execution. Known issue (open): after tus-js-client aborts PATCHes through the gateway
// (TusJsClientSystemTest), the gateway's later requests lose their trace linkage in this test (the span that
// carries the request id is not the presign request's); alone, or before those aborts, every link holds.
@org.junit.jupiter.api.Order(1)
class TracingSystemTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String REQUEST_ID = "stowage.request_id";

    private static StowageSuite suite;
    private static OtlpReceiver receiver;

    @BeforeAll
    static void suite() {
        suite = StowageSuite.get();
        receiver = suite.traces();
    }

    @Test
    void presignedUploadAndDeleteAreTracedAcrossServicesAndKafka() throws Exception {
        String admin = suite.identities().token("root");
        String alice = suite.identities().token("alice");
        String bucket = "traced-" + UUID.randomUUID().toString().substring(0, 8);
        String path = "docs/traced.txt";
        byte[] bytes = "traced bytes".getBytes(StandardCharsets.UTF_8);
        String presignId = "presign-" + UUID.randomUUID();
        String registerId = "register-" + UUID.randomUUID();
        String deleteId = "delete-" + UUID.randomUUID();

        assertEquals(201, send("POST", "/v1/buckets", admin, Map.of("name", bucket), "bucket-" + UUID.randomUUID()).statusCode());
        HttpResponse<String> presigned = send("POST", "/v1/files/presigned-url", alice,
                Map.of("bucket", bucket, "path", path, "contentType", "text/plain", "size", bytes.length), presignId);
        assertEquals(200, presigned.statusCode(), presigned.body());
        JsonNode upload = JSON.readTree(presigned.body());
        assertEquals(200, HTTP.send(presignedPut(upload, bytes), HttpResponse.BodyHandlers.ofString()).statusCode());
        HttpResponse<String> registered = send("POST", "/v1/files", alice,
                Map.of("uploadId", upload.get("uploadId").asText()), registerId);
        assertEquals(201, registered.statusCode(), registered.body());
        String id = JSON.readTree(registered.body()).get("id").asText();
        HttpResponse<String> deleted = send("DELETE", "/v1/files/" + id, alice, null, deleteId);
        assertEquals(200, deleted.statusCode(), deleted.body());

        // asking for the URL: the gateway calls upload-service, which reads the bucket from
        // metadata-service and has signing-service sign: one trace over the four services
        String presignTrace = traceOfRequest(presignId);
        Set<String> presignServices = awaitServices(presignTrace,
                Set.of("gateway-service", "upload-service", "signing-service", "metadata-service"));
        assertTrue(presignServices.containsAll(Set.of("gateway-service", "upload-service", "signing-service", "metadata-service")),
                "services in the presign trace: " + presignServices);
        // the request id is on the spans of the services it was forwarded to
        for (String service : List.of("gateway-service", "upload-service")) {
            assertTrue(receiver.spans().stream().anyMatch(s -> s.traceId().equals(presignTrace)
                    && s.service().equals(service) && presignId.equals(s.attributes().get(REQUEST_ID))),
                    service + " has no span with the request id: " + describe(presignTrace));
        }

        // the events carry the trace of the request that caused them ...
        String registerTrace = traceOfRequest(registerId);
        String deleteTrace = traceOfRequest(deleteId);
        List<ConsumerRecord<String, String>> events = eventsFor(suite, ObjectEvents.key(bucket, path), 2);
        assertEquals(List.of(ObjectEvents.CREATED, ObjectEvents.DELETED), events.stream().map(r -> header(r, "ce_type")).toList());
        assertEquals(registerTrace, traceIdOf(header(events.get(0), "traceparent")));
        assertEquals(deleteTrace, traceIdOf(header(events.get(1), "traceparent")));
        assertTrue(awaitServices(registerTrace, Set.of("gateway-service", "upload-service", "metadata-service"))
                .containsAll(Set.of("gateway-service", "upload-service", "metadata-service")), describe(registerTrace));

        // ... and the consumers continue it: upload-service releasing the blob, image-service purging variants
        Set<String> deleteServices = awaitServices(deleteTrace,
                Set.of("gateway-service", "metadata-service", "upload-service", "image-service"));
        assertTrue(deleteServices.containsAll(Set.of("gateway-service", "metadata-service", "upload-service", "image-service")),
                "services in the delete trace: " + describe(deleteTrace));
    }

    /** The trace of the gateway request that carried this {@code X-Request-Id}. */
    private static String traceOfRequest(String requestId) throws InterruptedException {
        Predicate<ReceivedSpan> gatewaySpan = s -> s.service().equals("gateway-service")
                && requestId.equals(s.attributes().get(REQUEST_ID));
        Optional<ReceivedSpan> found = Optional.empty();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (found.isEmpty() && System.nanoTime() < deadline) {
            found = receiver.spans().stream().filter(gatewaySpan).findFirst();
            if (found.isEmpty()) {
                Thread.sleep(100);
            }
        }
        assertTrue(found.isPresent(), "no gateway span with request id " + requestId + "; received: "
                + receiver.spans().stream().map(s -> s.service() + ":" + s.name()).distinct().toList());
        return found.get().traceId();
    }

    /** The services that sent spans of this trace, waiting (bounded) until all expected ones did. */
    private static Set<String> awaitServices(String traceId, Set<String> expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        Set<String> services = Set.of();
        while (System.nanoTime() < deadline) {
            services = receiver.spans().stream().filter(s -> s.traceId().equals(traceId))
                    .map(ReceivedSpan::service).collect(Collectors.toSet());
            if (services.containsAll(expected)) {
                break;
            }
            Thread.sleep(100);
        }
        return services;
    }

    private static String describe(String traceId) {
        return receiver.spans().stream().filter(s -> s.traceId().equals(traceId))
                .map(s -> s.service() + ":" + s.name() + s.attributes()).collect(Collectors.joining("\n", "\n", ""));
    }

    /** {@code 00-{trace id}-{span id}-{flags}} */
    private static String traceIdOf(String traceparent) {
        assertNotNull(traceparent, "the event has no traceparent header");
        String[] parts = traceparent.split("-");
        assertEquals(4, parts.length, traceparent);
        return parts[1];
    }

    private static HttpResponse<String> send(String method, String path, String token, Object body, String requestId)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(suite.gatewayUrl() + path))
                .timeout(Duration.ofSeconds(30))
                .header("X-Request-Id", requestId)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
