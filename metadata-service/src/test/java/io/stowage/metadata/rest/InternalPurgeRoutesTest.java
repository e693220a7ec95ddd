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

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.stowage.metadata.rest.MetadataTestSupport.admin;
import static io.stowage.metadata.rest.MetadataTestSupport.as;
import static io.stowage.metadata.rest.MetadataTestSupport.assertCloudEvent;
import static io.stowage.metadata.rest.MetadataTestSupport.awaitRecords;
import static io.stowage.metadata.rest.MetadataTestSupport.consumer;
import static io.stowage.metadata.rest.MetadataTestSupport.newBucket;
import static io.stowage.metadata.rest.MetadataTestSupport.readTree;
import static io.stowage.metadata.rest.MetadataTestSupport.registerUpload;
import static io.stowage.metadata.rest.MetadataTestSupport.user;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code POST /internal/purges}: a cache purge of an object, a bucket or everything is an event of its
 * own, ordered with the object's events; admins only.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(OidcResource.class)
class InternalPurgeRoutesTest {

    @Test
    void aCachePurgeIsAnEventOfItsOwnOrderedWithTheObjectsEvents() throws Exception {
        String bucket = newBucket();
        String name = "purge/a b.png";
        String uploadId = UUID.randomUUID().toString();
        String key = bucket + "/" + name;
        try (KafkaConsumer<String, String> consumer = consumer()) {
            consumer.subscribe(List.of(ObjectEvents.DEFAULT_TOPIC));
            JsonNode file = readTree(registerUpload(user("alice"), uploadId, bucket, name, "public")
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
            JsonNode created = readTree(records.get(0).value());
            JsonNode purged = readTree(records.get(1).value());
            assertEquals("object", purged.get("scope").asText());
            assertEquals(bucket, purged.get("bucket").asText());
            assertEquals(name, purged.get("name").asText());
            assertEquals(file.get("versionId").asText(), purged.get("versionId").asText());
            assertEquals("blobs/" + uploadId, purged.get("blobKey").asText());
            assertTrue(purged.get("transformations").asBoolean());
            assertEquals("service_role", purged.get("requestedBy").asText());
            assertTrue(purged.get("sequence").asLong() > created.get("sequence").asLong(), "ordered after the created event");

            // a bucket and everything: one notice each, keyed "{bucket}/" (after the bucket's created event) and "*"
            as(admin()).body(Map.of("bucket", bucket)).post("/internal/purges").then().statusCode(200).body("scope", equalTo("bucket"));
            List<ConsumerRecord<String, String>> bucketEvents = awaitRecords(consumer, bucket + "/", 2);
            assertCloudEvent(bucketEvents.get(0), ObjectEvents.BUCKET_CREATED, bucket + "/");
            ConsumerRecord<String, String> ofBucket = bucketEvents.get(1);
            assertCloudEvent(ofBucket, ObjectEvents.PURGED, bucket + "/");
            assertFalse(readTree(ofBucket.value()).get("transformations").asBoolean());
            as(admin()).body(Map.of()).post("/internal/purges").then().statusCode(200).body("scope", equalTo("all"));
        }
    }
}
