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

import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.stowage.metadata.rest.MetadataTestSupport.as;
import static io.stowage.metadata.rest.MetadataTestSupport.awaitRecords;
import static io.stowage.metadata.rest.MetadataTestSupport.consumer;
import static io.stowage.metadata.rest.MetadataTestSupport.fileByPath;
import static io.stowage.metadata.rest.MetadataTestSupport.header;
import static io.stowage.metadata.rest.MetadataTestSupport.liveNames;
import static io.stowage.metadata.rest.MetadataTestSupport.newBucket;
import static io.stowage.metadata.rest.MetadataTestSupport.query;
import static io.stowage.metadata.rest.MetadataTestSupport.readTree;
import static io.stowage.metadata.rest.MetadataTestSupport.register;
import static io.stowage.metadata.rest.MetadataTestSupport.user;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code POST /v1/files/move} and {@code /copy}: rows change, bytes never do. Blob reference counts,
 * events on both sides, overwrite, Supabase's copy options ({@code copyMetadata}, overrides,
 * {@code metadata}, a copy onto itself) and {@code sourceVersionId}.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(OidcResource.class)
class TransferRoutesTest {

    @Test
    void movesAndRenamesWithoutTouchingTheBlobAndAnnouncesBothSides() throws Exception {
        String source = newBucket(Map.of());
        String target = newBucket(Map.of());
        String alice = user("alice");
        JsonNode file = readTree(register(alice, source, "from/a.txt", Map.of()).then().statusCode(201).extract().asString());

        try (KafkaConsumer<String, String> consumer = consumer()) {
            consumer.subscribe(List.of(ObjectEvents.DEFAULT_TOPIC));
            as(alice).body(Map.of("bucket", source, "name", "from/a.txt", "destinationName", "to/b.txt")).post("/v1/files/move")
                    .then().statusCode(200).body("id", equalTo(file.get("id").asText())).body("name", equalTo("to/b.txt"))
                    .body("blobKey", equalTo(file.get("blobKey").asText()));
            fileByPath(alice, source, "from/a.txt").then().statusCode(404);
            as(alice).body(Map.of("bucket", source, "name", "to/b.txt", "destinationBucket", target, "destinationName", "c.txt"))
                    .post("/v1/files/move").then().statusCode(200).body("bucket", equalTo(target)).body("name", equalTo("c.txt"));

            List<ConsumerRecord<String, String>> out = awaitRecords(consumer, source + "/from/a.txt", 2);
            assertEquals(ObjectEvents.DELETED, header(out.getLast(), "ce_type"));
            assertFalse(readTree(out.getLast().value()).get("blobReleased").asBoolean());
            List<ConsumerRecord<String, String>> in = awaitRecords(consumer, target + "/c.txt", 1);
            assertEquals(ObjectEvents.CREATED, header(in.getFirst(), "ce_type"));
        }
        assertEquals(List.of(Map.of("ref_count", 1L)), query("SELECT ref_count FROM blobs WHERE blob_key = ?", file.get("blobKey").asText()));

        // an existing destination: 409 unless overwrite, and the replaced object's blob is released
        String other = register(alice, target, "d.txt", Map.of()).then().statusCode(201).extract().path("blobKey");
        as(alice).body(Map.of("bucket", target, "name", "c.txt", "destinationName", "d.txt")).post("/v1/files/move")
                .then().statusCode(409).body("error", equalTo("ObjectAlreadyExists"));
        as(alice).body(Map.of("bucket", target, "name", "c.txt", "destinationName", "d.txt", "overwrite", true))
                .post("/v1/files/move").then().statusCode(200).body("name", equalTo("d.txt"));
        assertTrue(query("SELECT 1 FROM blobs WHERE blob_key = ?", other).isEmpty());
        assertEquals(List.of("d.txt"), liveNames(target));

        as(user("bob")).body(Map.of("bucket", target, "name", "d.txt", "destinationName", "stolen.txt")).post("/v1/files/move")
                .then().statusCode(404);
    }

    @Test
    void copiesReferenceTheSameBlobAndCountReferences() throws SQLException {
        String bucket = newBucket(Map.of());
        String other = newBucket(Map.of());
        String alice = user("alice");
        JsonNode file = readTree(register(alice, bucket, "orig.txt", Map.of("visibility", "protected")).then().statusCode(201).extract().asString());
        String blob = file.get("blobKey").asText();

        String copyId = as(user("bob")).body(Map.of("bucket", bucket, "name", "orig.txt", "destinationBucket", other, "destinationName", "mine.txt"))
                .post("/v1/files/copy")
                .then().statusCode(201).body("owner", equalTo("bob")).body("blobKey", equalTo(blob))
                .extract().path("id");
        assertNotEquals(file.get("id").asText(), copyId);
        assertEquals(List.of(Map.of("ref_count", 2L)), query("SELECT ref_count FROM blobs WHERE blob_key = ?", blob));

        as(alice).delete("/v1/files/" + file.get("id").asText()).then().statusCode(200);
        assertEquals(List.of(Map.of("ref_count", 1L)), query("SELECT ref_count FROM blobs WHERE blob_key = ?", blob));
        as(user("bob")).delete("/v1/files/" + copyId).then().statusCode(200);
        assertTrue(query("SELECT 1 FROM blobs WHERE blob_key = ?", blob).isEmpty());

        // a copy onto itself is a rewrite in place: of an object that is gone, 404
        as(alice).body(Map.of("bucket", bucket, "name", "orig.txt", "destinationName", "orig.txt")).post("/v1/files/copy")
                .then().statusCode(404);
    }

    @Test
    void copyWithoutMetadataDropsUserMetadataAppliesOverridesAndAnnouncesTheNewType() throws Exception {
        String source = newBucket(Map.of());
        String target = newBucket(Map.of("allowedMimeTypes", List.of("text/*")));
        String alice = user("alice");
        JsonNode file = readTree(register(alice, source, "notes.txt", Map.of(
                "metadata", Map.of("author", "alice"), "cacheControl", "max-age=60", "category", "docs"))
                .then().statusCode(201).extract().asString());

        try (KafkaConsumer<String, String> consumer = consumer()) {
            consumer.subscribe(List.of(ObjectEvents.DEFAULT_TOPIC));
            String id = as(alice).body(Map.of("bucket", source, "name", "notes.txt", "destinationBucket", target,
                            "destinationName", "notes.md", "copyMetadata", false, "contentType", "text/markdown",
                            "cacheControl", "no-store", "contentEncoding", "gzip"))
                    .post("/v1/files/copy")
                    .then().statusCode(201).body("contentType", equalTo("text/markdown")).body("cacheControl", equalTo("no-store"))
                    .body("metadata", equalTo(Map.of())).body("category", equalTo("docs"))
                    .body("blobKey", equalTo(file.get("blobKey").asText()))
                    .extract().path("id");
            assertEquals(List.of(Map.of("content_type", "text/markdown", "cache_control", "no-store", "user_metadata", "none",
                            "category", "docs")),
                    query("SELECT content_type, cache_control, coalesce(user_metadata::text, 'none') AS user_metadata, category "
                            + "FROM objects WHERE id = ?", UUID.fromString(id)));
            JsonNode created = readTree(awaitRecords(consumer, target + "/notes.md", 1).getFirst().value());
            assertEquals("text/markdown", created.get("contentType").asText());
            assertEquals(file.get("blobKey").asText(), created.get("blobKey").asText());
        }
        // the source keeps what it had
        as(alice).get("/v1/files/" + file.get("id").asText()).then().statusCode(200)
                .body("metadata.author", equalTo("alice")).body("contentType", equalTo("text/plain"))
                .body("cacheControl", equalTo("max-age=60"));

        // copyMetadata false without overrides: only the user metadata stays behind; absent or true copies it
        as(alice).body(Map.of("bucket", source, "name", "notes.txt", "destinationName", "plain.txt", "copyMetadata", false))
                .post("/v1/files/copy").then().statusCode(201).body("metadata", equalTo(Map.of()))
                .body("contentType", equalTo("text/plain")).body("cacheControl", equalTo("max-age=60"));
        as(alice).body(Map.of("bucket", source, "name", "notes.txt", "destinationName", "full.txt", "copyMetadata", true))
                .post("/v1/files/copy").then().statusCode(201).body("metadata.author", equalTo("alice"));
        // an empty cacheControl override clears it
        as(alice).body(Map.of("bucket", source, "name", "notes.txt", "destinationName", "nocache.txt", "copyMetadata", false,
                        "cacheControl", ""))
                .post("/v1/files/copy").then().statusCode(201).body("cacheControl", nullValue());
    }

    @Test
    void aCopyOntoItselfRewritesTypeCacheControlAndMetadataInPlaceKeepingItsBlob() throws SQLException {
        String bucket = newBucket(Map.of());
        String alice = user("alice");
        JsonNode file = readTree(register(alice, bucket, "self.txt", Map.of()).then().statusCode(201).extract().asString());
        String blob = file.get("blobKey").asText();

        as(alice).body(Map.of("bucket", bucket, "name", "self.txt", "destinationName", "self.txt", "copyMetadata", false,
                        "contentType", "text/markdown", "cacheControl", "max-age=5", "metadata", Map.of("k", "v")))
                .post("/v1/files/copy")
                .then().statusCode(201).body("id", equalTo(file.get("id").asText())).body("contentType", equalTo("text/markdown"))
                .body("cacheControl", equalTo("max-age=5")).body("metadata.k", equalTo("v")).body("blobKey", equalTo(blob));
        // one row, its blob referenced once and never released
        assertEquals(List.of(Map.of("ref_count", 1L)), query("SELECT ref_count FROM blobs WHERE blob_key = ?", blob));
        assertEquals(1, query("SELECT 1 FROM objects WHERE bucket = ? AND name = 'self.txt'", bucket).size());
        // a move onto itself, or someone who may not write it, is still refused
        as(alice).body(Map.of("bucket", bucket, "name", "self.txt", "destinationName", "self.txt"))
                .post("/v1/files/move").then().statusCode(400);
        as(user("bob")).body(Map.of("bucket", bucket, "name", "self.txt", "destinationName", "self.txt"))
                .post("/v1/files/copy").then().statusCode(404);
    }

    @Test
    void aCopyTakesItsOwnMetadataWithOrWithoutCopyMetadata() {
        String bucket = newBucket(Map.of());
        String alice = user("alice");
        register(alice, bucket, "m.txt", Map.of()).then().statusCode(201);
        as(alice).body(Map.of("bucket", bucket, "name", "m.txt", "destinationName", "own.txt", "metadata", Map.of("k", "own")))
                .post("/v1/files/copy").then().statusCode(201).body("metadata", equalTo(Map.of("k", "own")));
        as(alice).body(Map.of("bucket", bucket, "name", "m.txt", "destinationName", "moved.txt", "metadata", Map.of("k", "own")))
                .post("/v1/files/move").then().statusCode(400);
        as(alice).body(Map.of("bucket", bucket, "name", "m.txt", "destinationName", "bad.txt", "metadata", List.of("x")))
                .post("/v1/files/copy").then().statusCode(400);
    }

    @Test
    void overrideTypeTheDestinationRefusesIs415AndWritesNothing() throws SQLException {
        String source = newBucket(Map.of());
        String target = newBucket(Map.of("allowedMimeTypes", List.of("text/*")));
        String alice = user("alice");
        String blob = register(alice, source, "a.txt", Map.of()).then().statusCode(201).extract().path("blobKey");

        as(alice).body(Map.of("bucket", source, "name", "a.txt", "destinationBucket", target, "destinationName", "a.pdf",
                        "copyMetadata", false, "contentType", "application/pdf"))
                .post("/v1/files/copy")
                .then().statusCode(415).body("error", equalTo("InvalidMimeType")).body("statusCode", equalTo(415));
        assertTrue(query("SELECT 1 FROM objects WHERE bucket = ?", target).isEmpty());
        assertEquals(List.of(Map.of("ref_count", 1L)), query("SELECT ref_count FROM blobs WHERE blob_key = ?", blob));
        // no object event in the target bucket (its own created event is keyed "{bucket}/")
        assertTrue(query("SELECT 1 FROM outbox WHERE subject LIKE ? AND subject <> ?", target + "/%", target + "/").isEmpty());
    }

    @Test
    void overridesOnMoveOrWithoutCopyMetadataFalseAre400() throws SQLException {
        String bucket = newBucket(Map.of());
        String alice = user("alice");
        register(alice, bucket, "m.txt", Map.of()).then().statusCode(201);

        for (Map<String, Object> extra : List.<Map<String, Object>>of(Map.of("contentType", "text/html"),
                Map.of("cacheControl", "no-store"), Map.of("contentEncoding", "gzip"), Map.of("copyMetadata", false))) {
            Map<String, Object> body = new HashMap<>(Map.of("bucket", bucket, "name", "m.txt", "destinationName", "moved.txt"));
            body.putAll(extra);
            as(alice).body(body).post("/v1/files/move")
                    .then().statusCode(400).body("error", equalTo("InvalidRequest"));
        }
        for (Map<String, Object> extra : List.<Map<String, Object>>of(Map.of("contentType", "text/html"),
                Map.of("cacheControl", "no-store", "copyMetadata", true))) {
            Map<String, Object> body = new HashMap<>(Map.of("bucket", bucket, "name", "m.txt", "destinationName", "copied.txt"));
            body.putAll(extra);
            as(alice).body(body).post("/v1/files/copy")
                    .then().statusCode(400).body("error", equalTo("InvalidRequest"));
        }
        as(alice).body(Map.of("bucket", bucket, "name", "m.txt", "destinationName", "copied.txt", "copyMetadata", false,
                        "contentType", " "))
                .post("/v1/files/copy").then().statusCode(400).body("error", equalTo("InvalidRequest"));
        assertEquals(List.of("m.txt"), liveNames(bucket));
    }

    @Test
    void copiesAnOlderVersionAndMovesOnlyTheCurrentOne() throws Exception {
        String bucket = newBucket(Map.of("versioned", true));
        String alice = user("alice");
        JsonNode v1 = readTree(register(alice, bucket, "doc.txt", Map.of("etag", "\"v1\"", "contentType", "text/csv"))
                .then().statusCode(201).extract().asString());
        JsonNode v2 = readTree(register(alice, bucket, "doc.txt", Map.of("etag", "\"v2\"", "overwrite", true))
                .then().statusCode(201).extract().asString());
        String v1Version = v1.get("versionId").asText();

        try (KafkaConsumer<String, String> consumer = consumer()) {
            consumer.subscribe(List.of(ObjectEvents.DEFAULT_TOPIC));
            as(alice).body(Map.of("bucket", bucket, "name", "doc.txt", "destinationName", "restored.txt", "sourceVersionId", v1Version))
                    .post("/v1/files/copy")
                    .then().statusCode(201).body("etag", equalTo("\"v1\"")).body("blobKey", equalTo(v1.get("blobKey").asText()))
                    .body("contentType", equalTo("text/csv")).body("latest", equalTo(true));
            JsonNode created = readTree(awaitRecords(consumer, bucket + "/restored.txt", 1).getFirst().value());
            assertEquals(v1.get("blobKey").asText(), created.get("blobKey").asText());
        }
        assertEquals(List.of(Map.of("ref_count", 2L)), query("SELECT ref_count FROM blobs WHERE blob_key = ?", v1.get("blobKey").asText()));
        // the source name is untouched: v2 stays current, v1 kept
        fileByPath(alice, bucket, "doc.txt").then().statusCode(200).body("versionId", equalTo(v2.get("versionId").asText()));

        // moving a kept version would rewrite history: 400; the current version by id moves as usual
        as(alice).body(Map.of("bucket", bucket, "name", "doc.txt", "destinationName", "elsewhere.txt", "sourceVersionId", v1Version))
                .post("/v1/files/move").then().statusCode(400).body("error", equalTo("InvalidRequest"));
        assertEquals(List.of("doc.txt", "restored.txt"), liveNames(bucket));
        as(alice).body(Map.of("bucket", bucket, "name", "doc.txt", "destinationName", "elsewhere.txt",
                        "sourceVersionId", v2.get("versionId").asText()))
                .post("/v1/files/move").then().statusCode(200).body("etag", equalTo("\"v2\"")).body("name", equalTo("elsewhere.txt"));
        assertEquals(List.of("elsewhere.txt", "restored.txt"), liveNames(bucket));

        // unknown versions, delete markers and versions the caller may not read: 404 ObjectNotFound
        String marker = as(alice).get("/v1/files/" + v1.get("id").asText() + "/versions").then().statusCode(200)
                .extract().path("[0].versionId");
        for (String missing : List.of(UUID.randomUUID().toString(), marker)) {
            for (String operation : List.of("copy", "move")) {
                as(alice).body(Map.of("bucket", bucket, "name", "doc.txt", "destinationName", "x.txt", "sourceVersionId", missing))
                        .post("/v1/files/" + operation)
                        .then().statusCode(404).body("error", equalTo("ObjectNotFound"));
            }
        }
        as(user("bob")).body(Map.of("bucket", bucket, "name", "doc.txt", "destinationName", "bobs.txt", "sourceVersionId", v1Version))
                .post("/v1/files/copy").then().statusCode(404).body("error", equalTo("ObjectNotFound"));
        assertEquals(List.of("elsewhere.txt", "restored.txt"), liveNames(bucket));
    }
}
