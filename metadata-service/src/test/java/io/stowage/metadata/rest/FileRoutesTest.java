package io.stowage.metadata.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.stowage.events.ObjectEvents;
import io.stowage.infra.quarkus.KafkaResource;
import io.stowage.infra.quarkus.OidcResource;
import io.stowage.infra.quarkus.PostgresResource;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static io.stowage.metadata.rest.MetadataTestSupport.JSON;
import static io.stowage.metadata.rest.MetadataTestSupport.admin;
import static io.stowage.metadata.rest.MetadataTestSupport.as;
import static io.stowage.metadata.rest.MetadataTestSupport.awaitJob;
import static io.stowage.metadata.rest.MetadataTestSupport.awaitRecords;
import static io.stowage.metadata.rest.MetadataTestSupport.consumer;
import static io.stowage.metadata.rest.MetadataTestSupport.fileByPath;
import static io.stowage.metadata.rest.MetadataTestSupport.internalByPath;
import static io.stowage.metadata.rest.MetadataTestSupport.liveNames;
import static io.stowage.metadata.rest.MetadataTestSupport.newBucket;
import static io.stowage.metadata.rest.MetadataTestSupport.query;
import static io.stowage.metadata.rest.MetadataTestSupport.readTree;
import static io.stowage.metadata.rest.MetadataTestSupport.register;
import static io.stowage.metadata.rest.MetadataTestSupport.registerUpload;
import static io.stowage.metadata.rest.MetadataTestSupport.user;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code /v1/files} reads, HEAD, metadata changes and deletes (by id, by path, many by names, by
 * prefix in a background job), and the versions a versioned bucket keeps behind delete markers.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(OidcResource.class)
class FileRoutesTest {

    @Test
    void readsByIdAndByPathWithAwkwardNamesAndHidesPrivateObjectsFromOthers() {
        String bucket = newBucket();
        String name = "dir one/100% a+b #1 😀.txt";
        String alice = user("alice");
        String id = registerUpload(alice, UUID.randomUUID().toString(), bucket, name, null)
                .then().statusCode(201).extract().path("id");

        as(alice).get("/v1/files/" + id).then().statusCode(200).body("name", equalTo(name)).body("id", equalTo(id));
        internalByPath(alice, bucket, name).then().statusCode(200).body("id", equalTo(id)).body("name", equalTo(name));
        internalByPath(admin(), bucket, name).then().statusCode(200).body("id", equalTo(id));

        String bob = user("bob");
        as(bob).get("/v1/files/" + id).then().statusCode(404).body("error", equalTo("ObjectNotFound"));
        internalByPath(bob, bucket, name).then().statusCode(404).body("error", equalTo("ObjectNotFound"));
        as(bob).delete("/v1/files/" + id).then().statusCode(404).body("error", equalTo("ObjectNotFound"));
        internalByPath(alice, bucket, "dir one/missing.txt").then().statusCode(404).body("error", equalTo("ObjectNotFound"));
    }

    @Test
    void headAnswersExistenceAndUpdatesChangeMetadata() throws SQLException {
        String bucket = newBucket(Map.of());
        String alice = user("alice");
        String id = register(alice, bucket, "meta.txt", Map.of()).then().statusCode(201).extract().path("id");

        given().auth().oauth2(alice).head("/v1/files/" + id).then().statusCode(200);
        given().auth().oauth2(alice).head("/v1/files/" + UUID.randomUUID()).then().statusCode(404);
        given().auth().oauth2(user("bob")).head("/v1/files/" + id).then().statusCode(404);

        Map<String, Object> changes = Map.of("visibility", "shared", "sharedWith", List.of("carol"), "category", "docs",
                "tags", List.of("red", "blue"), "metadata", Map.of("author", "Ann", "pages", 3), "cacheControl", "max-age=60");
        as(alice).body(changes).patch("/v1/files/" + id)
                .then().statusCode(200)
                .body("visibility", equalTo("shared")).body("sharedWith", equalTo(List.of("carol")))
                .body("category", equalTo("docs")).body("tags", equalTo(List.of("red", "blue")))
                .body("metadata.author", equalTo("Ann")).body("metadata.pages", equalTo(3))
                .body("cacheControl", equalTo("max-age=60"));
        Map<String, Object> row = query("SELECT visibility, category, cache_control, user_metadata FROM objects WHERE id = ?::uuid", id).getFirst();
        assertEquals("shared", row.get("visibility"));
        assertEquals("docs", row.get("category"));
        assertEquals("max-age=60", row.get("cache_control"));
        assertEquals(Map.of("author", "Ann", "pages", 3), JSON.convertValue(readTree((String) row.get("user_metadata")), Map.class));
        as(user("carol")).get("/v1/files/" + id).then().statusCode(200);

        as(alice).body(Map.of("metadata", Map.of("blob", "x".repeat(9000)))).patch("/v1/files/" + id)
                .then().statusCode(413).body("error", equalTo("PayloadTooLarge"));
        as(alice).body(Map.of("metadata", List.of(1))).patch("/v1/files/" + id)
                .then().statusCode(400).body("error", equalTo("InvalidRequest"));
        as(alice).body(Map.of("visibility", "nobody")).patch("/v1/files/" + id).then().statusCode(400);
        // "" and [] clear
        as(alice).body(Map.of("category", "", "tags", List.of())).patch("/v1/files/" + id)
                .then().statusCode(200).body("category", nullValue()).body("tags", equalTo(List.of()));
    }

    @Test
    void deletesManyByNamesAndReportsWhatItCouldNot() throws SQLException {
        String bucket = newBucket(Map.of());
        String alice = user("alice");
        register(alice, bucket, "a.txt", Map.of()).then().statusCode(201);
        register(alice, bucket, "b 100%.txt", Map.of()).then().statusCode(201);
        register(user("bob"), bucket, "bobs.txt", Map.of("visibility", "protected")).then().statusCode(201);

        Response r = as(alice).body(Map.of("bucket", bucket, "names", List.of("a.txt", "b 100%.txt", "missing.txt", "bobs.txt")))
                .post("/v1/files/delete");
        r.then().statusCode(200);
        assertEquals(List.of("a.txt", "b 100%.txt"), r.path("deleted.name"));
        assertEquals(List.of("missing.txt", "bobs.txt"), r.path("failed.name"));
        assertEquals(List.of("ObjectNotFound", "Forbidden"), r.path("failed.error"));
        assertEquals(List.of(Map.of("name", "bobs.txt")), query("SELECT name FROM objects WHERE bucket = ? AND deleted_at IS NULL", bucket));
    }

    @Test
    void deletesByPrefixInTheBackgroundOnlyWhatTheCallerOwns() throws Exception {
        String bucket = newBucket(Map.of());
        String alice = user("alice");
        for (String name : List.of("logs/1.txt", "logs/2.txt", "logs/deep/3.txt", "logsx.txt", "other/logs/4.txt")) {
            register(alice, bucket, name, Map.of()).then().statusCode(201);
        }
        register(user("bob"), bucket, "logs/bobs.txt", Map.of()).then().statusCode(201);

        String job = as(alice).body(Map.of("bucket", bucket, "prefix", "logs/")).post("/v1/files/delete")
                .then().statusCode(202).body("kind", equalTo("delete-prefix")).extract().path("id");
        JsonNode finished = awaitJob(alice, job);
        assertEquals("done", finished.get("state").asText());
        assertEquals(3, finished.get("done").asLong());
        assertEquals(List.of("logs/bobs.txt", "logsx.txt", "other/logs/4.txt"), liveNames(bucket));
    }

    @Test
    void versionedBucketsKeepEveryVersionBehindDeleteMarkers() throws Exception {
        String bucket = newBucket(Map.of("versioned", true));
        String alice = user("alice");
        JsonNode v1 = readTree(register(alice, bucket, "doc.txt", Map.of("etag", "\"v1\"")).then().statusCode(201).extract().asString());
        JsonNode v2 = readTree(register(alice, bucket, "doc.txt", Map.of("etag", "\"v2\"", "overwrite", true))
                .then().statusCode(201).extract().asString());

        fileByPath(alice, bucket, "doc.txt").then().statusCode(200).body("etag", equalTo("\"v2\""));
        given().auth().oauth2(alice).queryParam("versionId", v1.get("versionId").asText())
                .get("/v1/files/by-path/" + bucket + "/doc.txt").then().statusCode(200).body("etag", equalTo("\"v1\""));
        as(alice).get("/v1/files/" + v1.get("id").asText()).then().statusCode(200).body("latest", equalTo(false));

        as(alice).delete("/v1/files/by-path/" + bucket + "/doc.txt").then().statusCode(200);
        fileByPath(alice, bucket, "doc.txt").then().statusCode(404);
        as(alice).queryParam("bucket", bucket).get("/v1/files").then().body("items", equalTo(List.of()));
        Response versions = as(alice).get("/v1/files/" + v2.get("id").asText() + "/versions");
        versions.then().statusCode(200);
        assertEquals(List.of(true, false, false), versions.path("deleteMarker"));
        assertEquals(List.of(true, false, false), versions.path("latest"));
        assertEquals(List.of(v2.get("versionId").asText(), v1.get("versionId").asText()),
                versions.<List<String>>path("versionId").subList(1, 3));
        // both blobs are still referenced by their versions
        assertEquals(2, query("SELECT 1 FROM blobs WHERE blob_key IN (?, ?)", v1.get("blobKey").asText(), v2.get("blobKey").asText()).size());

        // removing the delete marker brings v2 back; removing v1 for good releases its blob
        String marker = versions.path("[0].versionId");
        given().auth().oauth2(alice).queryParam("versionId", marker).delete("/v1/files/by-path/" + bucket + "/doc.txt")
                .then().statusCode(200).body("deleteMarker", equalTo(true));
        fileByPath(alice, bucket, "doc.txt").then().statusCode(200).body("versionId", equalTo(v2.get("versionId").asText()));
        try (KafkaConsumer<String, String> consumer = consumer()) {
            consumer.subscribe(List.of(ObjectEvents.DEFAULT_TOPIC));
            as(alice).delete("/v1/files/" + v1.get("id").asText()).then().statusCode(200);
            List<ConsumerRecord<String, String>> records = awaitRecords(consumer, bucket + "/doc.txt", 6);
            // created v1, deleted v1 (overwritten), created v2, deleted v2 (marker), created v2 (marker removed),
            // deleted v1 (purged): sequences only grow
            long last = 0;
            for (ConsumerRecord<String, String> r : records) {
                long sequence = readTree(r.value()).get("sequence").asLong();
                assertTrue(sequence > last, "sequence " + sequence + " after " + last);
                last = sequence;
            }
            JsonNode purged = readTree(records.getLast().value());
            assertEquals(v1.get("versionId").asText(), purged.get("versionId").asText());
            assertTrue(purged.get("blobReleased").asBoolean());
        }
        assertTrue(query("SELECT 1 FROM blobs WHERE blob_key = ?", v1.get("blobKey").asText()).isEmpty());
    }
}
