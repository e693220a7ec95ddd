package io.stowage.metadata.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.agroal.api.AgroalDataSource;
import io.quarkus.scheduler.Scheduler;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.stowage.events.ObjectEventData;
import io.stowage.events.ObjectEvents;
import io.stowage.infra.quarkus.KafkaResource;
import io.stowage.infra.quarkus.OidcResource;
import io.stowage.infra.quarkus.PostgresResource;
import io.stowage.metadata.config.MetadataConfig;
import io.stowage.metadata.outbox.EventPublisher;
import io.stowage.metadata.outbox.OutboxRelay;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.stowage.metadata.rest.MetadataTestSupport.JSON;
import static io.stowage.metadata.rest.MetadataTestSupport.admin;
import static io.stowage.metadata.rest.MetadataTestSupport.as;
import static io.stowage.metadata.rest.MetadataTestSupport.assertCloudEvent;
import static io.stowage.metadata.rest.MetadataTestSupport.awaitRecords;
import static io.stowage.metadata.rest.MetadataTestSupport.consumer;
import static io.stowage.metadata.rest.MetadataTestSupport.header;
import static io.stowage.metadata.rest.MetadataTestSupport.internalByPath;
import static io.stowage.metadata.rest.MetadataTestSupport.newBucket;
import static io.stowage.metadata.rest.MetadataTestSupport.query;
import static io.stowage.metadata.rest.MetadataTestSupport.readTree;
import static io.stowage.metadata.rest.MetadataTestSupport.register;
import static io.stowage.metadata.rest.MetadataTestSupport.registerUpload;
import static io.stowage.metadata.rest.MetadataTestSupport.update;
import static io.stowage.metadata.rest.MetadataTestSupport.user;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every change as a CloudEvent on Kafka through the outbox: headers, key and data, sequence order,
 * {@code blobReleased} only with the last reference, the writer's traceparent carried along, and
 * events waiting in the outbox while Kafka is unreachable.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(OidcResource.class)
class ObjectEventsTest {

    @Inject
    AgroalDataSource dataSource;

    @Inject
    Scheduler scheduler;

    @Inject
    MetadataConfig config;

    @Test
    void deletingPublishesCreatedAndDeletedCloudEventsAndHidesTheObject() throws Exception {
        String bucket = newBucket();
        String name = "events/photo 1.png";
        String uploadId = UUID.randomUUID().toString();
        String alice = user("alice");
        String key = bucket + "/" + name;

        try (KafkaConsumer<String, String> consumer = consumer()) {
            consumer.subscribe(List.of(ObjectEvents.DEFAULT_TOPIC));

            JsonNode file = readTree(registerUpload(alice, uploadId, bucket, name, "public")
                    .then().statusCode(201).extract().asString());
            String id = file.get("id").asText();

            as(alice).delete("/v1/files/" + id).then().statusCode(200).body("id", equalTo(id));
            as(alice).get("/v1/files/" + id).then().statusCode(404).body("error", equalTo("ObjectNotFound"));
            internalByPath(alice, bucket, name).then().statusCode(404);

            List<ConsumerRecord<String, String>> records = awaitRecords(consumer, key, 2);
            ConsumerRecord<String, String> created = records.get(0);
            ConsumerRecord<String, String> deleted = records.get(1);

            assertCloudEvent(created, ObjectEvents.CREATED, key);
            assertCloudEvent(deleted, ObjectEvents.DELETED, key);
            assertFalse(header(created, "ce_id").equals(header(deleted, "ce_id")));

            JsonNode createdData = readTree(created.value());
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

            JsonNode deletedData = readTree(deleted.value());
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
            JsonNode deleted = readTree(records.get(1).value());
            assertEquals(ObjectEvents.DELETED, header(records.get(1), "ce_type"));
            assertFalse(deleted.get("blobReleased").asBoolean());
        }
        assertEquals(List.of(Map.of("ref_count", 1L)), query("SELECT ref_count FROM blobs WHERE blob_key = ?", "blobs/shared-" + bucket));
    }

    @Test
    void overwriteAnnouncesTheOldVersionGoneAndTheNewOneCreatedInOrder() throws Exception {
        String bucket = newBucket(Map.of());
        String alice = user("alice");
        try (KafkaConsumer<String, String> consumer = consumer()) {
            consumer.subscribe(List.of(ObjectEvents.DEFAULT_TOPIC));
            String oldBlob = register(alice, bucket, "o.txt", Map.of()).then().statusCode(201).extract().path("blobKey");
            String newBlob = register(alice, bucket, "o.txt", Map.of("overwrite", true)).then().statusCode(201).extract().path("blobKey");
            List<ConsumerRecord<String, String>> records = awaitRecords(consumer, bucket + "/o.txt", 3);
            assertEquals(List.of(ObjectEvents.CREATED, ObjectEvents.DELETED, ObjectEvents.CREATED),
                    records.stream().map(r -> header(r, "ce_type")).toList());
            assertEquals(List.of(1L, 2L, 3L), records.stream().map(r -> readTree(r.value()).get("sequence").asLong()).toList());
            JsonNode gone = readTree(records.get(1).value());
            assertEquals(oldBlob, gone.get("blobKey").asText());
            assertTrue(gone.get("blobReleased").asBoolean());
            assertEquals(newBlob, readTree(records.get(2).value()).get("blobKey").asText());
        }
    }

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

            @Override
            public Quota quota() {
                return real.quota();
            }
        };
    }

    /** A port nothing listens on. */
    private static int closedPort() throws java.io.IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
