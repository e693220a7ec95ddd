package io.stowage.system;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Faults injected under the real services: PostgreSQL stopped, or frozen (SIGSTOP of every process
 * of it), a service frozen, the S3 server stopped. Each fault is answered fast and honestly (503, the code
 * naming what failed, {@code Retry-After}, within a bound far below the fault's length), everything
 * answers again within seconds of the part coming back (no minutes of open circuits), and nothing is
 * left half-written. Runs in its own surefire execution (its own JVM and servers): it freezes shared
 * parts that other tests would trip over.
 */
class FaultSystemTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    /** How long a caller may wait for the answer during a fault: the deadlines are 5-7 s. */
    private static final Duration ANSWER_BOUND = Duration.ofSeconds(12);
    /** How soon after the part is back everything must answer again. */
    private static final Duration RECOVERY_BOUND = Duration.ofSeconds(10);
    private static final byte[] TEXT = "before the fault".getBytes(StandardCharsets.UTF_8);

    private static StowageSuite suite;
    private static String admin;
    private static String bucket;

    @BeforeAll
    static void bucketWithAnObject() throws Exception {
        suite = StowageSuite.get();
        admin = suite.identities().token("root");
        bucket = "faults-" + UUID.randomUUID().toString().substring(0, 8);
        assertEquals(201, call("POST", "/v1/buckets", JSON.writeValueAsBytes(Map.of("name", bucket)), "application/json").status());
        assertEquals(201, call("PUT", "/v1/objects/" + bucket + "/a.txt", TEXT, "text/plain").status());
    }

    @Test
    void postgresHungIsCatalogUnavailableFromMetadataServiceNotACircuitOpenAtTheGateway() throws Exception {
        suite.postgres().pause();
        try {
            Answer read = call("GET", "/v1/files/by-path/" + bucket + "/a.txt", null, null);
            assertOutage(read, "CatalogUnavailable");
            Answer write = call("PUT", "/v1/objects/" + bucket + "/during-pg.txt", TEXT, "text/plain");
            assertOutage(write, "CatalogUnavailable");
            // Supabase's routes keep a server failure's status, in Supabase's shape
            Answer info = call("GET", "/storage/v1/object/info/" + bucket + "/a.txt", null, null);
            assertEquals(503, info.status(), info.text());
            assertEquals("503", info.json().get("statusCode").asText());
            // metadata-service says it is not ready, within a probe's second
            Answer ready = get(suite.managementUrl("metadata-service") + "/q/health/ready");
            assertEquals(503, ready.status(), ready.text());
            assertTrue(ready.elapsed().compareTo(Duration.ofSeconds(2)) < 0, "readiness answered after " + ready.elapsed());
            assertEquals(200, get(suite.managementUrl("metadata-service") + "/q/health/live").status());
            // a service reporting its dependency is not itself broken: the gateway keeps calling it
            Answer again = call("GET", "/v1/files/by-path/" + bucket + "/a.txt", null, null);
            assertOutage(again, "CatalogUnavailable");
            assertTrue(!again.text().contains("circuit open"), again.text());
        } finally {
            suite.postgres().resume();
        }
        awaitRecovery("GET", "/v1/files/by-path/" + bucket + "/a.txt");
        assertNothingHalfWritten("during-pg.txt");
    }

    @Test
    void postgresDownIsCatalogUnavailableAtOnceAndTheCatalogIsBackAsSoonAsItIs() throws Exception {
        suite.stopPostgres();
        try {
            Answer read = call("GET", "/v1/files/by-path/" + bucket + "/a.txt", null, null);
            assertOutage(read, "CatalogUnavailable");
            assertTrue(read.elapsed().compareTo(Duration.ofSeconds(5)) < 0, "refused connections answer fast: " + read.elapsed());
            assertOutage(call("PUT", "/v1/objects/" + bucket + "/during-pg-down.txt", TEXT, "text/plain"), "CatalogUnavailable");
            Answer ready = get(suite.managementUrl("metadata-service") + "/q/health/ready");
            assertEquals(503, ready.status(), ready.text());
            assertTrue(ready.elapsed().compareTo(Duration.ofSeconds(2)) < 0, "readiness answered after " + ready.elapsed());
        } finally {
            suite.startPostgres();
        }
        awaitRecovery("GET", "/v1/files/by-path/" + bucket + "/a.txt");
        assertNothingHalfWritten("during-pg-down.txt");
    }

    @Test
    void aHungMetadataServiceCostsCallersTheDeadlineThenItsCircuitAnswersAtOnce() throws Exception {
        suite.pause("metadata-service");
        try {
            assertOutage(call("GET", "/v1/files/by-path/" + bucket + "/a.txt", null, null), "CatalogUnavailable");
            assertOutage(call("GET", "/v1/buckets/" + bucket, null, null), "CatalogUnavailable");
            // two calls without an answer opened its circuit: the next answer is immediate
            Answer open = call("GET", "/v1/files/by-path/" + bucket + "/a.txt", null, null);
            assertOutage(open, "CatalogUnavailable");
            assertTrue(open.elapsed().compareTo(Duration.ofSeconds(1)) < 0, "the open circuit answered after " + open.elapsed());
        } finally {
            suite.resume("metadata-service");
        }
        awaitRecovery("GET", "/v1/files/by-path/" + bucket + "/a.txt");
    }

    @Test
    void aHungSigningServiceIsSigningUnavailableOnDownloads() throws Exception {
        // an object never read: neither its bytes nor a presigned GET of its blob are kept by the gateway
        assertEquals(201, call("PUT", "/v1/objects/" + bucket + "/cold-signing.txt", TEXT, "text/plain").status());
        suite.pause("signing-service");
        try {
            assertOutage(call("GET", "/v1/objects/" + bucket + "/cold-signing.txt", null, null), "SigningUnavailable");
        } finally {
            suite.resume("signing-service");
        }
        Duration took = awaitRecovery("GET", "/v1/objects/" + bucket + "/cold-signing.txt");
        assertTrue(took.compareTo(RECOVERY_BOUND) < 0);
        assertArrayEquals(TEXT, call("GET", "/v1/objects/" + bucket + "/cold-signing.txt", null, null).body());
    }

    @Test
    void s3DownIsStorageUnavailableForUploadsAndDownloadsAndNothingIsLeftBehind() throws Exception {
        // one object never read (its bytes only in S3), one read just before (its small body kept by the gateway)
        assertEquals(201, call("PUT", "/v1/objects/" + bucket + "/cold-s3.txt", TEXT, "text/plain").status());
        assertArrayEquals(TEXT, call("GET", "/v1/objects/" + bucket + "/a.txt", null, null).body());
        suite.stopS3();
        try {
            assertOutage(call("PUT", "/v1/objects/" + bucket + "/during-s3.txt", TEXT, "text/plain"), "StorageUnavailable");
            assertOutage(call("GET", "/v1/objects/" + bucket + "/cold-s3.txt", null, null), "StorageUnavailable");
            // blobs never change: a small one the gateway keeps in memory is still served while S3 is down
            Answer kept = call("GET", "/v1/objects/" + bucket + "/a.txt", null, null);
            assertEquals(200, kept.status(), kept.text());
            assertArrayEquals(TEXT, kept.body());
            Answer supabase = call("POST", "/storage/v1/object/" + bucket + "/during-s3-supabase.txt", TEXT, "text/plain");
            assertEquals(503, supabase.status(), supabase.text());
            assertEquals("StorageUnavailable", supabase.json().get("error").asText(), supabase.text());
            // the catalog does not need S3: reads of records go on
            assertEquals(200, call("GET", "/v1/files/by-path/" + bucket + "/a.txt", null, null).status());
        } finally {
            suite.startS3();
        }
        // upload-service reported S3, it did not fail itself: its circuit at the gateway never opened
        awaitRecovery("PUT", "/v1/objects/" + bucket + "/after-s3.txt");
        assertArrayEquals(TEXT, call("GET", "/v1/objects/" + bucket + "/a.txt", null, null).body());
        assertNothingHalfWritten("during-s3.txt");
        assertNothingHalfWritten("during-s3-supabase.txt");
        // nothing lost: the write after the outage has its created event, as the first write had (delivery is
        // at least once: a relay round cut by a PostgreSQL fault may send an event again, with the same ce_id)
        assertOneCreatedEvent(bucket + "/after-s3.txt");
        assertOneCreatedEvent(bucket + "/a.txt");
    }

    private static void assertOneCreatedEvent(String key) {
        var events = SystemTestSupport.eventsAtLeast(suite, key, 1);
        assertEquals(1, events.stream().map(e -> SystemTestSupport.header(e, "ce_id")).distinct().count(), key + ": one event");
        assertEquals("io.stowage.object.created.v1", SystemTestSupport.header(events.get(0), "ce_type"));
    }

    /** 503, the code naming the part, Retry-After, within the bound. */
    private static void assertOutage(Answer answer, String code) throws Exception {
        System.out.printf("fault answer: %s %s -> %d in %d ms%n", answer.response().request().method(),
                answer.response().request().uri().getPath(), answer.status(), answer.elapsed().toMillis());
        assertEquals(503, answer.status(), answer.text());
        assertEquals(code, answer.json().get("error").asText(), answer.text());
        String retryAfter = answer.response().headers().firstValue("Retry-After").orElse("");
        assertTrue(retryAfter.matches("[1-9][0-9]*"), "Retry-After: '" + retryAfter + "'");
        assertTrue(answer.elapsed().compareTo(ANSWER_BOUND) < 0, "answered after " + answer.elapsed());
    }

    /** Polls until the route answers 2xx again; returns how long that took. */
    private static Duration awaitRecovery(String method, String path) throws Exception {
        long started = System.nanoTime();
        Answer last = null;
        while (System.nanoTime() - started < RECOVERY_BOUND.toNanos()) {
            last = call(method, path, method.equals("PUT") ? TEXT : null, method.equals("PUT") ? "text/plain" : null);
            if (last.status() >= 200 && last.status() < 300) {
                Duration took = Duration.ofNanos(System.nanoTime() - started);
                System.out.printf("fault recovery: %s %s answered %d %d ms after the part was back%n", method, path,
                        last.status(), took.toMillis());
                return took;
            }
            Thread.sleep(200);
        }
        throw new AssertionError(method + " " + path + " did not recover within " + RECOVERY_BOUND + ": "
                + (last == null ? "no answer" : last.status() + " " + last.text()));
    }

    /** An object whose write was refused during a fault either does not exist or is whole. */
    private static void assertNothingHalfWritten(String name) throws Exception {
        Answer record = call("GET", "/v1/files/by-path/" + bucket + "/" + name, null, null);
        if (record.status() == 404) {
            return;
        }
        assertEquals(200, record.status(), record.text());
        assertArrayEquals(TEXT, call("GET", "/v1/objects/" + bucket + "/" + name, null, null).body(), name + " is whole");
    }

    private record Answer(HttpResponse<byte[]> response, Duration elapsed) {
        int status() {
            return response.statusCode();
        }

        byte[] body() {
            return response.body();
        }

        String text() {
            return new String(response.body(), StandardCharsets.UTF_8);
        }

        JsonNode json() throws Exception {
            return JSON.readTree(response.body());
        }
    }

    private static Answer call(String method, String path, byte[] body, String contentType) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(suite.gatewayUrl() + path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + admin)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        long started = System.nanoTime();
        HttpResponse<byte[]> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        return new Answer(response, Duration.ofNanos(System.nanoTime() - started));
    }

    private static Answer get(String url) throws Exception {
        long started = System.nanoTime();
        HttpResponse<byte[]> response = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        return new Answer(response, Duration.ofNanos(System.nanoTime() - started));
    }
}
