package io.stowage.metadata.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.stowage.events.ObjectEvents;
import io.stowage.infra.quarkus.KafkaResource;
import io.stowage.infra.quarkus.OidcResource;
import io.stowage.infra.quarkus.PostgresResource;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.stowage.metadata.rest.MetadataTestSupport.admin;
import static io.stowage.metadata.rest.MetadataTestSupport.as;
import static io.stowage.metadata.rest.MetadataTestSupport.assertCloudEvent;
import static io.stowage.metadata.rest.MetadataTestSupport.awaitJob;
import static io.stowage.metadata.rest.MetadataTestSupport.awaitRecords;
import static io.stowage.metadata.rest.MetadataTestSupport.consumer;
import static io.stowage.metadata.rest.MetadataTestSupport.query;
import static io.stowage.metadata.rest.MetadataTestSupport.readTree;
import static io.stowage.metadata.rest.MetadataTestSupport.register;
import static io.stowage.metadata.rest.MetadataTestSupport.user;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The events of changes beyond creates and deletes: a metadata PATCH ({@code object.updated}) in the
 * object's own sequence, and the bucket events (created, updated, emptied, deleted) keyed
 * {@code {bucket}/}, each written to the outbox in the change's transaction and a refused change
 * writing none.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(OidcResource.class)
class ChangeEventsTest {

    @Test
    void aMetadataPatchIsAnUpdatedEventOrderedWithTheObjectsOtherEvents() throws Exception {
        String bucket = "ev-" + UUID.randomUUID().toString().substring(0, 8);
        as(admin()).body(Map.of("name", bucket)).post("/v1/buckets").then().statusCode(201);
        String alice = user("alice");
        String key = bucket + "/notes/a.txt";
        try (KafkaConsumer<String, String> consumer = consumer()) {
            consumer.subscribe(List.of(ObjectEvents.DEFAULT_TOPIC));
            String id = register(alice, bucket, "notes/a.txt", Map.of()).then().statusCode(201).extract().path("id");
            as(alice).body(Map.of("visibility", "shared", "sharedWith", List.of("bob"), "tags", List.of("x", "y"),
                            "metadata", Map.of("k", "v"), "cacheControl", "max-age=60"))
                    .patch("/v1/files/" + id).then().statusCode(200);
            // refused changes write no event: another user, and an empty change names nothing
            as(user("bob")).body(Map.of("visibility", "public")).patch("/v1/files/" + id).then().statusCode(403);
            as(alice).body(Map.of()).patch("/v1/files/" + id).then().statusCode(200);
            as(alice).delete("/v1/files/" + id).then().statusCode(200);

            List<Map<String, Object>> rows = query("SELECT event_type FROM outbox WHERE subject = ? ORDER BY position", key);
            assertEquals(List.of(ObjectEvents.CREATED, ObjectEvents.UPDATED, ObjectEvents.DELETED),
                    rows.stream().map(r -> r.get("event_type")).toList());

            List<ConsumerRecord<String, String>> records = awaitRecords(consumer, key, 3);
            assertCloudEvent(records.get(1), ObjectEvents.UPDATED, key);
            JsonNode created = readTree(records.get(0).value());
            JsonNode updated = readTree(records.get(1).value());
            JsonNode deleted = readTree(records.get(2).value());
            assertEquals(List.of("visibility", "sharedWith", "tags", "metadata", "cacheControl"),
                    MetadataTestSupport.JSON.convertValue(updated.get("changed"), List.class));
            assertEquals("shared", updated.get("visibility").asText());
            assertEquals("bob", updated.get("sharedWith").get(0).asText());
            assertEquals("v", updated.get("metadata").get("k").asText());
            assertEquals("max-age=60", updated.get("cacheControl").asText());
            assertEquals(created.get("versionId").asText(), updated.get("versionId").asText());
            assertEquals("alice", updated.get("owner").asText());
            assertTrue(created.get("sequence").asLong() < updated.get("sequence").asLong());
            assertTrue(updated.get("sequence").asLong() < deleted.get("sequence").asLong());
        }
    }

    @Test
    void bucketChangesAreEventsKeyedByTheBucketInTheirOrder() throws Exception {
        String bucket = "bev-" + UUID.randomUUID().toString().substring(0, 8);
        String key = bucket + "/";
        try (KafkaConsumer<String, String> consumer = consumer()) {
            consumer.subscribe(List.of(ObjectEvents.DEFAULT_TOPIC));
            as(admin()).body(Map.of("name", bucket, "fileSizeLimit", 100)).post("/v1/buckets").then().statusCode(201);
            // refused: a second create, a non-admin's update, a bad field; none is an event
            as(admin()).body(Map.of("name", bucket)).post("/v1/buckets").then().statusCode(409);
            as(user("alice")).body(Map.of("public", true)).patch("/v1/buckets/" + bucket).then().statusCode(403);
            as(admin()).body(Map.of("public", "yes")).patch("/v1/buckets/" + bucket).then().statusCode(400);
            as(admin()).body(Map.of("public", true, "allowedMimeTypes", List.of("text/*"))).patch("/v1/buckets/" + bucket)
                    .then().statusCode(200);
            register(user("alice"), bucket, "one.txt", Map.of()).then().statusCode(201);
            as(admin()).delete("/v1/buckets/" + bucket).then().statusCode(409);
            String job = as(admin()).post("/v1/buckets/" + bucket + "/empty").then().statusCode(202).extract().path("id");
            assertEquals("done", awaitJob(admin(), job).get("state").asText());
            as(admin()).delete("/v1/buckets/" + bucket).then().statusCode(200);

            List<Map<String, Object>> rows = query("SELECT event_type FROM outbox WHERE subject = ? ORDER BY position", key);
            List<String> types = List.of(ObjectEvents.BUCKET_CREATED, ObjectEvents.BUCKET_UPDATED, ObjectEvents.BUCKET_EMPTIED,
                    ObjectEvents.BUCKET_DELETED);
            assertEquals(types, rows.stream().map(r -> r.get("event_type")).toList());

            List<ConsumerRecord<String, String>> records = awaitRecords(consumer, key, 4);
            long sequence = 0;
            for (int i = 0; i < 4; i++) {
                assertCloudEvent(records.get(i), types.get(i), key);
                JsonNode data = readTree(records.get(i).value());
                assertEquals(bucket, data.get("bucket").asText());
                assertEquals("root", data.get("requestedBy").asText());
                assertTrue(data.get("sequence").asLong() > sequence, "sequences grow");
                sequence = data.get("sequence").asLong();
            }
            JsonNode created = readTree(records.get(0).value());
            assertFalse(created.get("public").asBoolean());
            assertEquals(100, created.get("fileSizeLimit").asLong());
            JsonNode updated = readTree(records.get(1).value());
            assertEquals(List.of("public", "allowedMimeTypes"), MetadataTestSupport.JSON.convertValue(updated.get("changed"), List.class));
            assertTrue(updated.get("public").asBoolean());
            assertEquals("text/*", updated.get("allowedMimeTypes").get(0).asText());
            JsonNode emptied = readTree(records.get(2).value());
            assertEquals(job, emptied.get("jobId").asText());
            assertEquals(1, emptied.get("removed").asLong());
            // the object's own deleted event was written (and so is published) before the emptied one
            long deletedAt = (Long) query("SELECT position FROM outbox WHERE subject = ? AND event_type = ?",
                    bucket + "/one.txt", ObjectEvents.DELETED).getFirst().get("position");
            long emptiedAt = (Long) query("SELECT position FROM outbox WHERE subject = ? AND event_type = ?",
                    key, ObjectEvents.BUCKET_EMPTIED).getFirst().get("position");
            assertTrue(deletedAt < emptiedAt);
        }
    }
}
