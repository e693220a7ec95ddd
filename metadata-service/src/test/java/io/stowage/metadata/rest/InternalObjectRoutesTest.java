package io.stowage.metadata.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.stowage.events.ObjectEvents;
import io.stowage.infra.SharedInfra;
import io.stowage.infra.quarkus.KafkaResource;
import io.stowage.infra.quarkus.OidcResource;
import io.stowage.infra.quarkus.PostgresResource;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import static io.stowage.metadata.rest.MetadataTestSupport.admin;
import static io.stowage.metadata.rest.MetadataTestSupport.as;
import static io.stowage.metadata.rest.MetadataTestSupport.awaitRecords;
import static io.stowage.metadata.rest.MetadataTestSupport.consumer;
import static io.stowage.metadata.rest.MetadataTestSupport.fileByPath;
import static io.stowage.metadata.rest.MetadataTestSupport.gatewayService;
import static io.stowage.metadata.rest.MetadataTestSupport.header;
import static io.stowage.metadata.rest.MetadataTestSupport.internalByPath;
import static io.stowage.metadata.rest.MetadataTestSupport.newBucket;
import static io.stowage.metadata.rest.MetadataTestSupport.query;
import static io.stowage.metadata.rest.MetadataTestSupport.readTree;
import static io.stowage.metadata.rest.MetadataTestSupport.register;
import static io.stowage.metadata.rest.MetadataTestSupport.registerFor;
import static io.stowage.metadata.rest.MetadataTestSupport.registerUpload;
import static io.stowage.metadata.rest.MetadataTestSupport.user;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code POST /internal/objects}, the registration of an uploaded blob: idempotent on the upload id,
 * registered for the user a Stowage service names, and the preconditions on the name
 * ({@code notExists}, {@code overwrite}, {@code ifMatch}) holding under concurrent writers.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(OidcResource.class)
class InternalObjectRoutesTest {

    @Test
    void registersObjectOnceAndRepeatsReturnTheSameFile() throws SQLException {
        String bucket = newBucket();
        String uploadId = UUID.randomUUID().toString();
        String alice = user("alice");
        String id = registerUpload(alice, uploadId, bucket, "docs/readme.txt", null)
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

        registerUpload(alice, uploadId, bucket, "docs/readme.txt", null)
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
            registerUpload(service, uploadId, bucket, name, null).then().statusCode(404).body("error", equalTo("UploadNotFound"));
            assertEquals(1, query("SELECT 1 FROM objects WHERE upload_id = ?", uploadId).size());

            // alice owns the private object: she reads it and deletes it; bob does not see it
            as(user("bob")).get("/v1/files/" + id).then().statusCode(404);
            as(user("alice")).get("/v1/files/" + id).then().statusCode(200).body("owner", equalTo("alice"));
            internalByPath(user("alice"), bucket, name).then().statusCode(200).body("id", equalTo(id));
            as(user("alice")).delete("/v1/files/" + id).then().statusCode(200).body("id", equalTo(id));

            List<ConsumerRecord<String, String>> records = awaitRecords(consumer, key, 2);
            assertEquals(ObjectEvents.CREATED, header(records.get(0), "ce_type"));
            assertEquals("alice", readTree(records.get(0).value()).get("owner").asText());
            assertEquals(ObjectEvents.DELETED, header(records.get(1), "ce_type"));
            assertEquals("alice", readTree(records.get(1).value()).get("owner").asText());
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
        registerUpload(user("alice"), uploadId, bucket, "mine.txt", null).then().statusCode(200).body("id", equalTo(id));

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
        registerUpload(alice, UUID.randomUUID().toString(), bucket, "taken.txt", null).then().statusCode(201);
        registerUpload(alice, UUID.randomUUID().toString(), bucket, "taken.txt", null)
                .then().statusCode(409).body("error", equalTo("ObjectAlreadyExists"));
        registerUpload(alice, UUID.randomUUID().toString(), "no-such-bucket", "a.txt", null)
                .then().statusCode(404).body("error", equalTo("BucketNotFound"));
        for (String bad : List.of("/abs", "a/../b", "ctl\u0001x", "x".repeat(1025))) {
            registerUpload(alice, UUID.randomUUID().toString(), bucket, bad, null)
                    .then().statusCode(400).body("error", equalTo("InvalidObjectName"));
        }
        registerUpload(alice, UUID.randomUUID().toString(), bucket, "v.txt", "everyone")
                .then().statusCode(400).body("error", equalTo("InvalidRequest"));
    }

    @Test
    void ifMatchReplacesOnlyTheVersionItNames() {
        String bucket = newBucket(Map.of());
        String alice = user("alice");
        JsonNode first = readTree(register(alice, bucket, "p.txt", Map.of("etag", "\"one\"")).then().statusCode(201).extract().asString());

        register(alice, bucket, "p.txt", Map.of("etag", "\"two\"", "ifMatch", "\"other\""))
                .then().statusCode(412).body("error", equalTo("PreconditionFailed"));
        register(alice, bucket, "p.txt", Map.of("etag", "\"two\"", "ifMatch", "\"one\"")).then().statusCode(201);
        register(alice, bucket, "p.txt", Map.of("etag", "\"three\"", "ifMatch", first.get("versionId").asText()))
                .then().statusCode(412);
        register(alice, bucket, "p.txt", Map.of("etag", "\"three\"", "overwrite", true)).then().statusCode(201);
        register(alice, bucket, "p.txt", Map.of("etag", "\"four\"", "notExists", true)).then().statusCode(409);
        // HTTP's If-None-Match: * (a direct upload's header) that does not hold is 412, not the JSON routes' 409
        register(alice, bucket, "p.txt", Map.of("etag", "\"four\"", "notExists", true, "ifNoneMatch", "*"))
                .then().statusCode(412).body("error", equalTo("PreconditionFailed"));
        register(alice, bucket, "p.txt", Map.of("etag", "\"four\"", "ifNoneMatch", "\"three\"")).then().statusCode(400);
        register(alice, bucket, "p.txt", Map.of("etag", "\"four\"", "ifNoneMatch", "*", "overwrite", true)).then().statusCode(400);
        register(alice, bucket, "fresh.txt", Map.of("ifNoneMatch", "*")).then().statusCode(201);
        register(alice, bucket, "absent.txt", Map.of("ifMatch", "\"one\"")).then().statusCode(412);
        register(user("bob"), bucket, "p.txt", Map.of("overwrite", true)).then().statusCode(409);
        fileByPath(alice, bucket, "p.txt").then().statusCode(200).body("etag", equalTo("\"three\""));
    }

    @Test
    void ofTwentyRacingNotExistsCreatorsExactlyOneWins() throws Exception {
        String bucket = newBucket(Map.of());
        String alice = user("alice");
        ExecutorService pool = Executors.newFixedThreadPool(20);
        try {
            List<Callable<Integer>> racers = IntStream.range(0, 20)
                    .<Callable<Integer>>mapToObj(i -> () -> register(alice, bucket, "race.txt", Map.of("notExists", true)).statusCode())
                    .toList();
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> f : pool.invokeAll(racers)) {
                statuses.add(f.get());
            }
            assertEquals(1, statuses.stream().filter(s -> s == 201).count(), statuses.toString());
            assertEquals(19, statuses.stream().filter(s -> s == 409).count(), statuses.toString());
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, query("SELECT 1 FROM objects WHERE bucket = ? AND name = 'race.txt'", bucket).size());
        assertEquals(1, query("SELECT 1 FROM outbox WHERE subject = ?", bucket + "/race.txt").size());
    }

    @Test
    void theWriteCheckAnswersWhatARegistrationWouldWithoutWritingAnything() throws SQLException {
        String bucket = newBucket();
        String alice = user("alice");
        String bob = user("bob");
        registerUpload(alice, UUID.randomUUID().toString(), bucket, "taken.txt", "protected").then().statusCode(201);
        long rows = (long) query("select count(*) as n from objects where bucket = ?", bucket).get(0).get("n");
        // a free name: yes
        writeCheck(bob, bucket, "free.txt", false).then().statusCode(204);
        // a taken name: 409 without overwrite, 403 for someone else's object with it, 204 for its owner
        writeCheck(bob, bucket, "taken.txt", false).then().statusCode(409);
        writeCheck(bob, bucket, "taken.txt", true).then().statusCode(403);
        writeCheck(alice, bucket, "taken.txt", true).then().statusCode(204);
        writeCheck(admin(), bucket, "taken.txt", true).then().statusCode(204);
        // no bucket, bad names, no body, no token
        writeCheck(alice, "no-such-bucket-" + UUID.randomUUID().toString().substring(0, 8), "x", false).then().statusCode(404);
        writeCheck(alice, bucket, "a/../x", false).then().statusCode(400);
        as(alice).contentType("application/json").body("{\"bucket\":5}").post("/internal/objects/write-checks").then().statusCode(400);
        io.restassured.RestAssured.given().contentType("application/json").body(Map.of("bucket", bucket, "name", "x"))
                .post("/internal/objects/write-checks").then().statusCode(401);
        assertEquals(rows, (long) query("select count(*) as n from objects where bucket = ?", bucket).get(0).get("n"));
    }

    private static io.restassured.response.Response writeCheck(String token, String bucket, String name, boolean overwrite) {
        return as(token).contentType("application/json").body(Map.of("bucket", bucket, "name", name, "overwrite", overwrite))
                .post("/internal/objects/write-checks");
    }
}
