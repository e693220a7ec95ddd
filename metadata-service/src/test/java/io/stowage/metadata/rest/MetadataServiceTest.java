package io.stowage.metadata.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.quarkus.scheduler.Scheduler;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.stowage.events.ObjectEventData;
import io.stowage.events.ObjectEvents;
import io.stowage.infra.PostgresServer;
import io.stowage.infra.SharedInfra;
import io.stowage.infra.quarkus.KafkaResource;
import io.stowage.infra.quarkus.OidcResource;
import io.stowage.infra.quarkus.PostgresResource;
import io.stowage.metadata.config.MetadataConfig;
import io.stowage.metadata.outbox.EventPublisher;
import io.stowage.metadata.outbox.OutboxRelay;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The service against real PostgreSQL, Kafka and token issuer, driven over HTTP and read from Kafka. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(OidcResource.class)
class MetadataServiceTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    AgroalDataSource dataSource;

    @Inject
    Scheduler scheduler;

    @Inject
    MetadataConfig config;

    /** Health and metrics are served on the management interface, apart from the API. */
    @TestHTTPResource(value = "/metrics", management = true)
    java.net.URL metrics;

    @TestHTTPResource(value = "/health/ready", management = true)
    java.net.URL readiness;

    private static String admin() {
        return SharedInfra.issuer().mint("root", Set.of("storage-admin"));
    }

    private static String user(String name) {
        return SharedInfra.issuer().mint(name, Set.of());
    }

    private static RequestSpecification as(String token) {
        return given().auth().oauth2(token).contentType(ContentType.JSON);
    }

    private static String newBucket() {
        String name = "b-" + UUID.randomUUID().toString().substring(0, 8);
        as(admin()).body(Map.of("name", name)).post("/v1/buckets").then().statusCode(201);
        return name;
    }

    private static Response register(String token, String uploadId, String bucket, String name, String visibility) {
        Map<String, Object> body = new java.util.HashMap<>(Map.of(
                "uploadId", uploadId, "bucket", bucket, "name", name, "blobKey", "blobs/" + uploadId,
                "size", 5, "contentType", "text/plain", "etag", "\"5d41402abc4b2a76b9719d911017c592\""));
        if (visibility != null) {
            body.put("visibility", visibility);
        }
        return as(token).body(body).post("/internal/objects");
    }

    /** A Stowage service's client-credentials token, as the gateway holds it. */
    private static String gatewayService() {
        return SharedInfra.issuer().mint("service-account-stowage-gateway", Set.of("stowage-service"));
    }

    /** Registers a private object, naming {@code owner} in the request. */
    private static Response registerFor(String token, String uploadId, String bucket, String name, String owner) {
        return as(token).body(Map.of(
                        "uploadId", uploadId, "bucket", bucket, "name", name, "blobKey", "blobs/" + uploadId,
                        "size", 5, "contentType", "text/plain", "etag", "\"e\"", "owner", owner))
                .post("/internal/objects");
    }

    /** Percent-encodes each segment of an object name, keeping its '/'. */
    private static String pathOf(String name) {
        return Arrays.stream(name.split("/", -1))
                .map(s -> URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20"))
                .collect(Collectors.joining("/"));
    }

    private static Response byPath(String token, String bucket, String name) {
        return given().urlEncodingEnabled(false).auth().oauth2(token)
                .get("/internal/objects/by-path/" + bucket + "/" + pathOf(name));
    }

    // --- buckets -------------------------------------------------------------------------------

    @Test
    void outboxKeepsTheWritersTraceparentAndTheRelaySendsItAsAKafkaHeader() throws SQLException {
        String traceId = "0af7651916cd43dd8448eb211c80319c";
        String traceparent = io.stowage.metadata.outbox.OutboxWriter.traceparent(io.opentelemetry.api.trace.SpanContext.create(
                traceId, "b7ad6b7169203331", io.opentelemetry.api.trace.TraceFlags.getSampled(),
                io.opentelemetry.api.trace.TraceState.getDefault()));
        assertEquals("00-" + traceId + "-b7ad6b7169203331-01", traceparent);
        // no span (tracing off): no header rather than an invalid one
        assertNull(io.stowage.metadata.outbox.OutboxWriter.traceparent(io.opentelemetry.api.trace.SpanContext.getInvalid()));

        var record = new EventPublisher("127.0.0.1:1", config).toRecord(new EventPublisher.Event(UUID.randomUUID(),
                ObjectEvents.CREATED, "photos/a.png", "{}", Instant.now(), traceparent));
        assertEquals(traceparent, new String(record.headers().lastHeader("traceparent").value(), StandardCharsets.UTF_8));
        var untraced = new EventPublisher("127.0.0.1:1", config).toRecord(new EventPublisher.Event(UUID.randomUUID(),
                ObjectEvents.CREATED, "photos/a.png", "{}", Instant.now()));
        assertNull(untraced.headers().lastHeader("traceparent"));

        // the column the relay reads it from exists (migration V3)
        try (Connection c = dataSource.getConnection();
             ResultSet rs = c.createStatement().executeQuery("SELECT traceparent FROM outbox LIMIT 1")) {
            assertEquals("traceparent", rs.getMetaData().getColumnName(1));
        }
    }

    @Test
    void exposesOutboxMetricsForOperators() {
        given().get(metrics).then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString("stowage_outbox_published_total"))
                .body(org.hamcrest.Matchers.containsString("stowage_outbox_backlog"))
                .body(org.hamcrest.Matchers.containsString("stowage_outbox_relay_lag_seconds"));
    }

    @Test
    void aSupabaseServiceKeyIsFullAccessAndAnAnonKeyIsNotSignedIn() {
        // Supabase's project keys carry their access level in the role claim alone, and no subject
        String service = SharedInfra.issuer().mintSupabaseStyle(null, "service_role");
        String anon = SharedInfra.issuer().mintSupabaseStyle(null, "anon");
        String bucket = "keys-" + UUID.randomUUID().toString().substring(0, 8);
        as(service).body(Map.of("name", bucket)).post("/v1/buckets").then().statusCode(201);
        as(anon).body(Map.of("name", bucket + "-anon")).post("/v1/buckets").then().statusCode(403);
        String uploadId = UUID.randomUUID().toString();
        register(user("alice"), uploadId, bucket, "private.txt", "private").then().statusCode(201);
        as(service).get("/internal/objects/by-path/" + bucket + "/private.txt").then().statusCode(200)
                .body("owner", equalTo("alice"));
        as(anon).get("/v1/files/by-path/" + bucket + "/private.txt").then().statusCode(404);
    }

    @Test
    void adminCreatesBucketAndItIsStored() throws SQLException {
        String name = "photos-" + UUID.randomUUID().toString().substring(0, 8);
        as(admin()).body(Map.of("name", name, "public", true, "fileSizeLimit", 1048576, "allowedMimeTypes", List.of("image/*", "application/pdf")))
                .post("/v1/buckets")
                .then().statusCode(201)
                .body("id", equalTo(name))
                .body("name", equalTo(name))
                .body("public", equalTo(true))
                .body("fileSizeLimit", equalTo(1048576))
                .body("allowedMimeTypes", equalTo(List.of("image/*", "application/pdf")))
                .body("owner", equalTo("root"))
                .body("createdAt", notNullValue())
                .body("updatedAt", notNullValue());

        List<Map<String, Object>> rows = query("SELECT public, file_size_limit, owner FROM buckets WHERE name = ?", name);
        assertEquals(1, rows.size());
        assertEquals(true, rows.getFirst().get("public"));
        assertEquals(1048576L, rows.getFirst().get("file_size_limit"));
        assertEquals("root", rows.getFirst().get("owner"));

        as(user("alice")).get("/v1/buckets/" + name).then().statusCode(200).body("name", equalTo(name)).body("public", equalTo(true));
        as(user("alice")).get("/v1/buckets").then().statusCode(200).body("name", hasItem(name));
    }

    @Test
    void userWithoutAdminRoleCannotCreateBucket() throws SQLException {
        String name = "nope-" + UUID.randomUUID().toString().substring(0, 8);
        as(user("alice")).body(Map.of("name", name)).post("/v1/buckets")
                .then().statusCode(403).contentType(ContentType.JSON)
                .body("statusCode", equalTo(403)).body("error", equalTo("Forbidden"));
        assertTrue(query("SELECT 1 FROM buckets WHERE name = ?", name).isEmpty());
    }

    @Test
    void serviceRoleFromRealmAccessIsAdminToo() {
        String name = "svc-" + UUID.randomUUID().toString().substring(0, 8);
        as(SharedInfra.issuer().mint("backend", Set.of("service_role"))).body(Map.of("name", name)).post("/v1/buckets")
                .then().statusCode(201).body("owner", equalTo("backend"));
    }

    @Test
    void creatingAnExistingBucketAnswersConflict() {
        String name = newBucket();
        as(admin()).body(Map.of("name", name)).post("/v1/buckets")
                .then().statusCode(409).body("statusCode", equalTo(409)).body("error", equalTo("BucketAlreadyExists"));
    }

    @Test
    void rejectsBadBucketNames() {
        for (String bad : List.of("", "Upper", "-dash-first", "a".repeat(64), "has space")) {
            as(admin()).body(Map.of("name", bad)).post("/v1/buckets")
                    .then().statusCode(400).body("statusCode", equalTo(400)).body("error", equalTo("InvalidBucketName"));
        }
    }

    @Test
    void unknownBucketIsNotFound() {
        as(user("alice")).get("/v1/buckets/does-not-exist")
                .then().statusCode(404).body("error", equalTo("BucketNotFound"));
    }

    @Test
    void callsWithoutAValidTokenGetUnauthorizedJson() {
        given().get("/v1/buckets")
                .then().statusCode(401).contentType(ContentType.JSON)
                .body("statusCode", equalTo(401)).body("error", equalTo("Unauthorized")).body("message", notNullValue());
        given().auth().oauth2("not-a-token").get("/v1/files/" + UUID.randomUUID())
                .then().statusCode(401).contentType(ContentType.JSON).body("error", equalTo("Unauthorized"));
        String expired = SharedInfra.issuer().mint("alice", Set.of(), Instant.now().minus(Duration.ofHours(2)), Duration.ofHours(1));
        given().auth().oauth2(expired).contentType(ContentType.JSON).body("{}").post("/internal/objects")
                .then().statusCode(401).contentType(ContentType.JSON).body("error", equalTo("Unauthorized"));
    }

    @Test
    void readinessChecksTheDatabase() {
        given().get(readiness)
                .then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem("catalog"))
                .body("checks.find { it.name == 'catalog' }.status", equalTo("UP"));
    }

    @Test
    void echoesTheCallersRequestId() {
        given().header("X-Request-Id", "req-123").auth().oauth2(user("alice")).get("/v1/buckets")
                .then().statusCode(200).header("X-Request-Id", "req-123");
    }

    @Test
    void malformedJsonIsABadRequest() {
        as(admin()).body("{\"name\": ").post("/v1/buckets")
                .then().statusCode(400).contentType(ContentType.JSON)
                .body("statusCode", equalTo(400)).body("error", equalTo("InvalidRequest"));
        as(user("alice")).body("{\"uploadId\": \"u\", \"size\": \"five\"}").post("/internal/objects")
                .then().statusCode(400).contentType(ContentType.JSON)
                .body("statusCode", equalTo(400)).body("error", equalTo("InvalidRequest"));
        as(user("alice")).body("{\"uploadId\": \"u\"}").post("/internal/objects")
                .then().statusCode(400).body("error", equalTo("InvalidBucketName"));
    }

    // --- objects -------------------------------------------------------------------------------

    @Test
    void registersObjectOnceAndRepeatsReturnTheSameFile() throws SQLException {
        String bucket = newBucket();
        String uploadId = UUID.randomUUID().toString();
        String alice = user("alice");
        String id = register(alice, uploadId, bucket, "docs/readme.txt", null)
                .then().statusCode(201)
                .body("bucket", equalTo(bucket))
                .body("name", equalTo("docs/readme.txt"))
                .body("blobKey", equalTo("blobs/" + uploadId))
                .body("size", equalTo(5))
                .body("contentType", equalTo("text/plain"))
                .body("etag", equalTo("\"5d41402abc4b2a76b9719d911017c592\""))
                .body("checksumSha256", nullValue())
                .body("owner", equalTo("alice"))
                .body("visibility", equalTo("private"))
                .body("versionId", notNullValue())
                .extract().path("id");

        register(alice, uploadId, bucket, "docs/readme.txt", null)
                .then().statusCode(200).body("id", equalTo(id));

        assertEquals(1, query("SELECT 1 FROM objects WHERE upload_id = ?", uploadId).size());
        List<Map<String, Object>> events = query("SELECT event_type FROM outbox WHERE subject = ?", bucket + "/docs/readme.txt");
        assertEquals(List.of(Map.of("event_type", ObjectEvents.CREATED)), events);
        assertEquals(List.of(Map.of("ref_count", 1L)), query("SELECT ref_count FROM blobs WHERE blob_key = ?", "blobs/" + uploadId));
    }

    @Test
    void aServiceRegistersAnObjectForTheUserItNamesWhoThenOwnsIt() throws Exception {
        String bucket = newBucket();
        String name = "signed/upload.txt";
        String key = bucket + "/" + name;
        String uploadId = UUID.randomUUID().toString();
        String service = gatewayService();

        try (KafkaConsumer<String, String> consumer = consumer()) {
            consumer.subscribe(List.of(ObjectEvents.DEFAULT_TOPIC));

            String id = registerFor(service, uploadId, bucket, name, "alice")
                    .then().statusCode(201).body("owner", equalTo("alice")).body("visibility", equalTo("private"))
                    .extract().path("id");
            assertEquals(List.of(Map.of("owner", "alice")), query("SELECT owner FROM objects WHERE upload_id = ?", uploadId));

            // the service replays the registration for the same user: the same File, nothing new
            registerFor(service, uploadId, bucket, name, "alice").then().statusCode(200).body("id", equalTo(id));
            // but not for another user, nor for itself: the upload was registered for alice
            registerFor(service, uploadId, bucket, name, "bob").then().statusCode(404).body("error", equalTo("UploadNotFound"));
            register(service, uploadId, bucket, name, null).then().statusCode(404).body("error", equalTo("UploadNotFound"));
            assertEquals(1, query("SELECT 1 FROM objects WHERE upload_id = ?", uploadId).size());

            // alice owns the private object: she reads it and deletes it; bob does not see it
            as(user("bob")).get("/v1/files/" + id).then().statusCode(404);
            as(user("alice")).get("/v1/files/" + id).then().statusCode(200).body("owner", equalTo("alice"));
            byPath(user("alice"), bucket, name).then().statusCode(200).body("id", equalTo(id));
            as(user("alice")).delete("/v1/files/" + id).then().statusCode(200).body("id", equalTo(id));

            List<ConsumerRecord<String, String>> records = awaitRecords(consumer, key, 2);
            assertEquals(ObjectEvents.CREATED, header(records.get(0), "ce_type"));
            assertEquals("alice", JSON.readTree(records.get(0).value()).get("owner").asText());
            assertEquals(ObjectEvents.DELETED, header(records.get(1), "ce_type"));
            assertEquals("alice", JSON.readTree(records.get(1).value()).get("owner").asText());
        }
    }

    @Test
    void onlyAServiceMayNameAnotherOwner() throws SQLException {
        String bucket = newBucket();
        List<String> callers = List.of(user("alice"), admin(),
                SharedInfra.issuer().mint("backend", Set.of("service_role")));
        for (String caller : callers) {
            String uploadId = UUID.randomUUID().toString();
            registerFor(caller, uploadId, bucket, "for-bob-" + uploadId + ".txt", "bob")
                    .then().statusCode(403).body("statusCode", equalTo(403)).body("error", equalTo("Forbidden"));
            assertTrue(query("SELECT 1 FROM objects WHERE upload_id = ?", uploadId).isEmpty());
            assertTrue(query("SELECT 1 FROM outbox WHERE subject = ?", bucket + "/for-bob-" + uploadId + ".txt").isEmpty());
        }

        // naming oneself is the same as naming nobody, replay included
        String uploadId = UUID.randomUUID().toString();
        String id = registerFor(user("alice"), uploadId, bucket, "mine.txt", "alice")
                .then().statusCode(201).body("owner", equalTo("alice")).extract().path("id");
        register(user("alice"), uploadId, bucket, "mine.txt", null).then().statusCode(200).body("id", equalTo(id));

        // an owner that is no user id is bad input, whoever sends it
        for (String bad : List.of("", "x".repeat(256), "bo\u0000b")) {
            registerFor(gatewayService(), UUID.randomUUID().toString(), bucket, "bad-owner.txt", bad)
                    .then().statusCode(400).body("error", equalTo("InvalidRequest"));
        }
        assertTrue(query("SELECT 1 FROM objects WHERE bucket = ? AND name = ?", bucket, "bad-owner.txt").isEmpty());
    }

    @Test
    void refusesATakenNameAMissingBucketAndBadNames() {
        String bucket = newBucket();
        String alice = user("alice");
        register(alice, UUID.randomUUID().toString(), bucket, "taken.txt", null).then().statusCode(201);
        register(alice, UUID.randomUUID().toString(), bucket, "taken.txt", null)
                .then().statusCode(409).body("error", equalTo("ObjectAlreadyExists"));
        register(alice, UUID.randomUUID().toString(), "no-such-bucket", "a.txt", null)
                .then().statusCode(404).body("error", equalTo("BucketNotFound"));
        for (String bad : List.of("/abs", "a/../b", "ctl\u0001x", "x".repeat(1025))) {
            register(alice, UUID.randomUUID().toString(), bucket, bad, null)
                    .then().statusCode(400).body("error", equalTo("InvalidObjectName"));
        }
        register(alice, UUID.randomUUID().toString(), bucket, "v.txt", "everyone")
                .then().statusCode(400).body("error", equalTo("InvalidRequest"));
    }

    @Test
    void readsByIdAndByPathWithAwkwardNamesAndHidesPrivateObjectsFromOthers() {
        String bucket = newBucket();
        String name = "dir one/100% a+b #1 😀.txt";
        String alice = user("alice");
        String id = register(alice, UUID.randomUUID().toString(), bucket, name, null)
                .then().statusCode(201).extract().path("id");

        as(alice).get("/v1/files/" + id).then().statusCode(200).body("name", equalTo(name)).body("id", equalTo(id));
        byPath(alice, bucket, name).then().statusCode(200).body("id", equalTo(id)).body("name", equalTo(name));
        byPath(admin(), bucket, name).then().statusCode(200).body("id", equalTo(id));

        String bob = user("bob");
        as(bob).get("/v1/files/" + id).then().statusCode(404).body("error", equalTo("ObjectNotFound"));
        byPath(bob, bucket, name).then().statusCode(404).body("error", equalTo("ObjectNotFound"));
        as(bob).delete("/v1/files/" + id).then().statusCode(404).body("error", equalTo("ObjectNotFound"));
        byPath(alice, bucket, "dir one/missing.txt").then().statusCode(404).body("error", equalTo("ObjectNotFound"));
    }

    @Test
    void protectedObjectsAreReadableByAnySignedInUserButOnlyTheOwnerDeletes() {
        String bucket = newBucket();
        String id = register(user("alice"), UUID.randomUUID().toString(), bucket, "shared-notes.txt", "protected")
                .then().statusCode(201).body("visibility", equalTo("protected")).extract().path("id");
        as(user("bob")).get("/v1/files/" + id).then().statusCode(200).body("owner", equalTo("alice"));
        as(user("bob")).delete("/v1/files/" + id).then().statusCode(403).body("error", equalTo("Forbidden"));
        as(user("alice")).get("/v1/files/" + id).then().statusCode(200);
    }

    @Test
    void aCachePurgeIsAnEventOfItsOwnOrderedWithTheObjectsEvents() throws Exception {
        String bucket = newBucket();
        String name = "purge/a b.png";
        String uploadId = UUID.randomUUID().toString();
        String key = bucket + "/" + name;
        try (KafkaConsumer<String, String> consumer = consumer()) {
            consumer.subscribe(List.of(ObjectEvents.DEFAULT_TOPIC));
            JsonNode file = JSON.readTree(register(user("alice"), uploadId, bucket, name, "public")
                    .then().statusCode(201).extract().asString());

            // only an admin may purge; a missing object or bucket is 404; nothing is published for those
            as(user("alice")).body(Map.of("bucket", bucket, "name", name)).post("/internal/purges")
                    .then().statusCode(403).body("error", equalTo("Forbidden"));
            as(admin()).body(Map.of("bucket", bucket, "name", "nothing.png")).post("/internal/purges")
                    .then().statusCode(404).body("error", equalTo("ObjectNotFound"));
            as(admin()).body(Map.of("bucket", "no-such-bucket-" + uploadId.substring(0, 8))).post("/internal/purges")
                    .then().statusCode(404).body("error", equalTo("BucketNotFound"));
            as(admin()).body(Map.of("name", name)).post("/internal/purges").then().statusCode(400);
            as(admin()).body(Map.of("bucket", bucket, "name", "../x")).post("/internal/purges").then().statusCode(400);
            as(admin()).body(Map.of("bucket", bucket, "transformations", "yes")).post("/internal/purges").then().statusCode(400);

            String service = SharedInfra.issuer().mintSupabaseStyle(null, "service_role");
            as(service).body(Map.of("bucket", bucket, "name", name, "transformations", true)).post("/internal/purges")
                    .then().statusCode(200).body("scope", equalTo("object")).body("blobKey", equalTo("blobs/" + uploadId));
            List<ConsumerRecord<String, String>> records = awaitRecords(consumer, key, 2);
            assertCloudEvent(records.get(0), ObjectEvents.CREATED, key);
            assertCloudEvent(records.get(1), ObjectEvents.PURGED, key);
            JsonNode created = JSON.readTree(records.get(0).value());
            JsonNode purged = JSON.readTree(records.get(1).value());
            assertEquals("object", purged.get("scope").asText());
            assertEquals(bucket, purged.get("bucket").asText());
            assertEquals(name, purged.get("name").asText());
            assertEquals(file.get("versionId").asText(), purged.get("versionId").asText());
            assertEquals("blobs/" + uploadId, purged.get("blobKey").asText());
            assertTrue(purged.get("transformations").asBoolean());
            assertEquals("service_role", purged.get("requestedBy").asText());
            assertTrue(purged.get("sequence").asLong() > created.get("sequence").asLong(), "ordered after the created event");

            // a bucket and everything: one notice each, keyed "{bucket}/" and "*"
            as(admin()).body(Map.of("bucket", bucket)).post("/internal/purges").then().statusCode(200).body("scope", equalTo("bucket"));
            ConsumerRecord<String, String> ofBucket = awaitRecords(consumer, bucket + "/", 1).get(0);
            assertCloudEvent(ofBucket, ObjectEvents.PURGED, bucket + "/");
            assertFalse(JSON.readTree(ofBucket.value()).get("transformations").asBoolean());
            as(admin()).body(Map.of()).post("/internal/purges").then().statusCode(200).body("scope", equalTo("all"));
        }
    }

    @Test
    void deletingPublishesCreatedAndDeletedCloudEventsAndHidesTheObject() throws Exception {
        String bucket = newBucket();
        String name = "events/photo 1.png";
        String uploadId = UUID.randomUUID().toString();
        String alice = user("alice");
        String key = bucket + "/" + name;

        try (KafkaConsumer<String, String> consumer = consumer()) {
            consumer.subscribe(List.of(ObjectEvents.DEFAULT_TOPIC));

            JsonNode file = JSON.readTree(register(alice, uploadId, bucket, name, "public")
                    .then().statusCode(201).extract().asString());
            String id = file.get("id").asText();

            as(alice).delete("/v1/files/" + id).then().statusCode(200).body("id", equalTo(id));
            as(alice).get("/v1/files/" + id).then().statusCode(404).body("error", equalTo("ObjectNotFound"));
            byPath(alice, bucket, name).then().statusCode(404);

            List<ConsumerRecord<String, String>> records = awaitRecords(consumer, key, 2);
            ConsumerRecord<String, String> created = records.get(0);
            ConsumerRecord<String, String> deleted = records.get(1);

            assertCloudEvent(created, ObjectEvents.CREATED, key);
            assertCloudEvent(deleted, ObjectEvents.DELETED, key);
            assertFalse(header(created, "ce_id").equals(header(deleted, "ce_id")));

            JsonNode createdData = JSON.readTree(created.value());
            assertEquals(bucket, createdData.get("bucket").asText());
            assertEquals(name, createdData.get("name").asText());
            assertEquals(file.get("versionId").asText(), createdData.get("versionId").asText());
            assertEquals(5, createdData.get("size").asLong());
            assertEquals("text/plain", createdData.get("contentType").asText());
            assertEquals(file.get("etag").asText(), createdData.get("etag").asText());
            assertEquals("alice", createdData.get("owner").asText());
            assertEquals("public", createdData.get("visibility").asText());
            assertEquals("blobs/" + uploadId, createdData.get("blobKey").asText());
            assertFalse(createdData.get("blobReleased").asBoolean());

            JsonNode deletedData = JSON.readTree(deleted.value());
            assertEquals(name, deletedData.get("name").asText());
            assertEquals("blobs/" + uploadId, deletedData.get("blobKey").asText());
            assertTrue(deletedData.get("blobReleased").asBoolean());
            assertTrue(deletedData.get("sequence").asLong() > createdData.get("sequence").asLong());

            // the outbox rows behind the two events are marked published, under the CloudEvent ids
            List<Map<String, Object>> rows = query(
                    "SELECT id::text AS id, published_at IS NOT NULL AS published FROM outbox WHERE subject = ? ORDER BY position", key);
            assertEquals(List.of(
                    Map.of("id", header(created, "ce_id"), "published", true),
                    Map.of("id", header(deleted, "ce_id"), "published", true)), rows);
            assertTrue(query("SELECT 1 FROM blobs WHERE blob_key = ?", "blobs/" + uploadId).isEmpty());
        }
    }

    @Test
    void deletingOneOfTwoObjectsSharingABlobDoesNotReleaseIt() throws Exception {
        String bucket = newBucket();
        String alice = user("alice");
        Map<String, Object> common = Map.of("bucket", bucket, "blobKey", "blobs/shared-" + bucket, "size", 1,
                "contentType", "text/plain", "etag", "\"e\"");
        Map<String, Object> first = new java.util.HashMap<>(common);
        first.put("uploadId", UUID.randomUUID().toString());
        first.put("name", "one.txt");
        Map<String, Object> second = new java.util.HashMap<>(common);
        second.put("uploadId", UUID.randomUUID().toString());
        second.put("name", "two.txt");
        String id = as(alice).body(first).post("/internal/objects").then().statusCode(201).extract().path("id");
        as(alice).body(second).post("/internal/objects").then().statusCode(201);

        try (KafkaConsumer<String, String> consumer = consumer()) {
            consumer.subscribe(List.of(ObjectEvents.DEFAULT_TOPIC));
            as(admin()).delete("/v1/files/" + id).then().statusCode(200);
            List<ConsumerRecord<String, String>> records = awaitRecords(consumer, bucket + "/one.txt", 2);
            JsonNode deleted = JSON.readTree(records.get(1).value());
            assertEquals(ObjectEvents.DELETED, header(records.get(1), "ce_type"));
            assertFalse(deleted.get("blobReleased").asBoolean());
        }
        assertEquals(List.of(Map.of("ref_count", 1L)), query("SELECT ref_count FROM blobs WHERE blob_key = ?", "blobs/shared-" + bucket));
    }

    @Test
    void eventsWaitInTheOutboxWhileKafkaIsUnreachableAndGoOutOnceItIsBack() throws Exception {
        UUID eventId = UUID.randomUUID();
        String key = "offline/" + eventId + ".txt";
        ObjectEventData data = new ObjectEventData("offline", eventId + ".txt", "v1", 3, "text/plain", "\"e\"", "alice",
                "private", "blobs/" + eventId, false, 1);
        MetadataConfig quickToGiveUp = withSendTimeout(config, Duration.ofSeconds(2));
        EventPublisher unreachable = new EventPublisher("127.0.0.1:" + closedPort(), quickToGiveUp);
        OutboxRelay cutOff = new OutboxRelay(dataSource, unreachable, quickToGiveUp, new io.micrometer.core.instrument.simple.SimpleMeterRegistry());

        // stop the service's own relay: pause its schedule, then wait out any round in flight (it holds this lock)
        scheduler.pause();
        try {
            update("SELECT pg_advisory_lock(?), pg_advisory_unlock(?)", OutboxRelay.RELAY_LOCK_KEY, OutboxRelay.RELAY_LOCK_KEY);
            update("INSERT INTO outbox (id, event_type, subject, payload, occurred_at) VALUES (?, ?, ?, ?, now())",
                    eventId, ObjectEvents.CREATED, key, JSON.writeValueAsString(data));

            assertThrows(IllegalStateException.class, cutOff::relayBatch);
            assertEquals(List.of(Map.of("published", false)),
                    query("SELECT published_at IS NOT NULL AS published FROM outbox WHERE id = ?", eventId));
        } finally {
            unreachable.close();
            scheduler.resume();
        }

        try (KafkaConsumer<String, String> consumer = consumer()) {
            consumer.subscribe(List.of(ObjectEvents.DEFAULT_TOPIC));
            ConsumerRecord<String, String> record = awaitRecords(consumer, key, 1).getFirst();
            assertEquals(eventId.toString(), header(record, "ce_id"));
            assertEquals(data, JSON.readValue(record.value(), ObjectEventData.class));
        }
        assertEquals(List.of(Map.of("published", true)),
                query("SELECT published_at IS NOT NULL AS published FROM outbox WHERE id = ?", eventId));
    }

    // --- helpers -------------------------------------------------------------------------------

    private static void assertCloudEvent(ConsumerRecord<String, String> record, String type, String key) {
        assertEquals(key, record.key());
        assertEquals("1.0", header(record, "ce_specversion"));
        assertEquals(type, header(record, "ce_type"));
        assertEquals("/stowage/metadata-service", header(record, "ce_source"));
        assertEquals(key, header(record, "ce_subject"));
        assertEquals("application/json", header(record, "content-type"));
        assertNotNull(UUID.fromString(header(record, "ce_id")));
        assertNotNull(Instant.parse(header(record, "ce_time")));
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        Header h = record.headers().lastHeader(name);
        assertNotNull(h, "header " + name);
        return new String(h.value(), StandardCharsets.UTF_8);
    }

    private static KafkaConsumer<String, String> consumer() {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedInfra.kafka().bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "metadata-test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class));
    }

    /** Polls until {@code count} records with the key arrived, or gives up after a generous wait. */
    private static List<ConsumerRecord<String, String>> awaitRecords(KafkaConsumer<String, String> consumer, String key, int count) {
        List<ConsumerRecord<String, String>> found = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (found.size() < count && System.nanoTime() < deadline) {
            for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                if (key.equals(r.key())) {
                    found.add(r);
                }
            }
        }
        assertEquals(count, found.size(), "records with key " + key);
        return found;
    }

    private static MetadataConfig withSendTimeout(MetadataConfig real, Duration sendTimeout) {
        MetadataConfig.Outbox outbox = new MetadataConfig.Outbox() {
            @Override
            public String pollInterval() {
                return real.outbox().pollInterval();
            }

            @Override
            public int batchSize() {
                return real.outbox().batchSize();
            }

            @Override
            public Duration sendTimeout() {
                return sendTimeout;
            }
        };
        return new MetadataConfig() {
            @Override
            public Events events() {
                return real.events();
            }

            @Override
            public Outbox outbox() {
                return outbox;
            }

            @Override
            public Jobs jobs() {
                return real.jobs();
            }

            @Override
            public Catalog catalog() {
                return real.catalog();
            }
        };
    }

    // --- blob references (upload-service's sweeper) ---------------------------------------------

    /** upload-service's client-credentials token, as its sweeper holds it. */
    private static String uploadService() {
        return SharedInfra.issuer().mint("service-account-stowage-upload", Set.of("stowage-service"));
    }

    private static Response referenced(String token, Object blobKeys) {
        Map<String, Object> body = new java.util.HashMap<>();
        body.put("blobKeys", blobKeys);
        return as(token).body(body).post("/internal/blobs/referenced");
    }

    @Test
    void referencedBlobsAreTheOnesALiveObjectOrACopyStillPointsAt() {
        String bucket = newBucket();
        String alice = user("alice");
        String kept = "blobs/" + UUID.randomUUID();
        String gone = "blobs/" + UUID.randomUUID();
        String copied = "blobs/" + UUID.randomUUID();
        String unknown = "blobs/" + UUID.randomUUID();
        register(alice, kept.substring(6), bucket, "kept.txt", null).then().statusCode(201);
        String goneId = register(alice, gone.substring(6), bucket, "gone.txt", null).then().statusCode(201).extract().path("id");
        String copiedId = register(alice, copied.substring(6), bucket, "orig.txt", null).then().statusCode(201).extract().path("id");
        as(alice).body(Map.of("bucket", bucket, "name", "orig.txt", "destinationName", "copy.txt"))
                .post("/v1/files/copy").then().statusCode(201);

        // the only object of a blob deleted; the original of a copy deleted
        as(alice).delete("/v1/files/" + goneId).then().statusCode(200);
        as(alice).delete("/v1/files/" + copiedId).then().statusCode(200);

        referenced(uploadService(), List.of(unknown, copied, gone, kept, copied)).then().statusCode(200)
                .body("referenced", equalTo(List.of(copied, kept)));
        referenced(uploadService(), List.of(gone, unknown)).then().statusCode(200)
                .body("referenced", equalTo(List.of()));
    }

    @Test
    void aLiveObjectKeepsItsBlobReferencedEvenIfItsReferenceCountWentMissing() throws SQLException {
        String bucket = newBucket();
        String uploadId = UUID.randomUUID().toString();
        register(user("alice"), uploadId, bucket, "drift.txt", null).then().statusCode(201);
        // a count that drifted must only ever keep a blob, never let the sweeper delete a live object's bytes
        update("DELETE FROM blobs WHERE blob_key = ?", "blobs/" + uploadId);
        referenced(uploadService(), List.of("blobs/" + uploadId)).then().statusCode(200)
                .body("referenced", equalTo(List.of("blobs/" + uploadId)));
    }

    @Test
    void aKeptVersionKeepsItsBlobReferencedUntilItIsPurged() {
        String bucket = "b-" + UUID.randomUUID().toString().substring(0, 8);
        as(admin()).body(Map.of("name", bucket, "versioned", true)).post("/v1/buckets").then().statusCode(201);
        String alice = user("alice");
        String uploadId = UUID.randomUUID().toString();
        String versionId = register(alice, uploadId, bucket, "v.txt", null).then().statusCode(201).extract().path("versionId");

        as(alice).delete("/v1/files/by-path/" + bucket + "/v.txt").then().statusCode(200);
        referenced(uploadService(), List.of("blobs/" + uploadId)).then().statusCode(200)
                .body("referenced", equalTo(List.of("blobs/" + uploadId)));

        as(alice).delete("/v1/files/by-path/" + bucket + "/v.txt?versionId=" + versionId).then().statusCode(200);
        referenced(uploadService(), List.of("blobs/" + uploadId)).then().statusCode(200)
                .body("referenced", equalTo(List.of()));
    }

    @Test
    void onlyStowageServicesMayAskWhichBlobsAreReferenced() {
        List<String> keys = List.of("blobs/" + UUID.randomUUID());
        given().contentType(ContentType.JSON).body(Map.of("blobKeys", keys)).post("/internal/blobs/referenced")
                .then().statusCode(401).body("error", equalTo("Unauthorized")).body("statusCode", equalTo(401));
        referenced("not-a-token", keys).then().statusCode(401).body("error", equalTo("Unauthorized"));
        for (String token : List.of(user("alice"), admin(), SharedInfra.issuer().mint("backend", Set.of("service_role")),
                SharedInfra.issuer().mintSupabaseStyle(null, "service_role"))) {
            referenced(token, keys).then().statusCode(403).body("error", equalTo("Forbidden")).body("statusCode", equalTo(403));
        }
        referenced(uploadService(), keys).then().statusCode(200).body("referenced", equalTo(List.of()));
    }

    @Test
    void referencedChecksRefuseMalformedKeyLists() {
        String service = uploadService();
        List<String> thousand = java.util.stream.IntStream.range(0, 1000).mapToObj(i -> "blobs/" + UUID.randomUUID()).toList();
        referenced(service, thousand).then().statusCode(200).body("referenced", equalTo(List.of()));

        List<String> tooMany = new ArrayList<>(thousand);
        tooMany.add("blobs/one-more");
        java.util.List<Object> withNull = new ArrayList<>(List.of("blobs/a"));
        withNull.add(null);
        for (Object bad : java.util.Arrays.asList(null, List.of(), tooMany, List.of("blobs/a", " "), withNull,
                List.of("blobs/" + "x".repeat(1019)), "blobs/a")) {
            referenced(service, bad).then().statusCode(400).body("error", equalTo("InvalidRequest")).body("statusCode", equalTo(400));
        }
        as(service).post("/internal/blobs/referenced").then().statusCode(400).body("error", equalTo("InvalidRequest"));
        as(service).body("{\"blobKeys\": [").post("/internal/blobs/referenced").then().statusCode(400).body("error", equalTo("InvalidRequest"));
        // exactly 1024 characters is a key
        referenced(service, List.of("blobs/" + "x".repeat(1018))).then().statusCode(200);
    }

    /** A port nothing listens on. */
    private static int closedPort() throws java.io.IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void update(String sql, Object... params) throws SQLException {
        PostgresServer pg = SharedInfra.postgres();
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), PostgresServer.USER, PostgresServer.PASSWORD);
             PreparedStatement st = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                st.setObject(i + 1, params[i]);
            }
            st.execute();
        }
    }

    private static List<Map<String, Object>> query(String sql, Object... params) throws SQLException {
        PostgresServer pg = SharedInfra.postgres();
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), PostgresServer.USER, PostgresServer.PASSWORD);
             PreparedStatement st = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                st.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = st.executeQuery()) {
                List<Map<String, Object>> rows = new ArrayList<>();
                while (rs.next()) {
                    Map<String, Object> row = new java.util.LinkedHashMap<>();
                    for (int c1 = 1; c1 <= rs.getMetaData().getColumnCount(); c1++) {
                        row.put(rs.getMetaData().getColumnLabel(c1), rs.getObject(c1));
                    }
                    rows.add(row);
                }
                return rows;
            }
        }
    }
}
