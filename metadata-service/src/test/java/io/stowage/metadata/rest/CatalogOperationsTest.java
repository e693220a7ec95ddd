package io.stowage.metadata.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.stowage.events.ObjectEvents;
import io.stowage.infra.PostgresServer;
import io.stowage.infra.SharedInfra;
import io.stowage.infra.quarkus.KafkaResource;
import io.stowage.infra.quarkus.OidcResource;
import io.stowage.infra.quarkus.PostgresResource;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every catalog operation over HTTP against real PostgreSQL, Kafka and token issuer: buckets,
 * metadata, deletes, move and copy, preconditions under races, the access matrix, listing and
 * versions, with the rows and events they leave behind.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(OidcResource.class)
class CatalogOperationsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    // --- buckets -------------------------------------------------------------------------------

    @Test
    void adminUpdatesBucketLimitsAndLimitsAreCheckedAgainAtRegistration() throws SQLException {
        String bucket = newBucket(Map.of());
        as(admin()).body(Map.of("public", true, "fileSizeLimit", 10, "allowedMimeTypes", List.of("image/*", "text/plain")))
                .patch("/v1/buckets/" + bucket)
                .then().statusCode(200).body("public", equalTo(true)).body("fileSizeLimit", equalTo(10))
                .body("allowedMimeTypes", equalTo(List.of("image/*", "text/plain")));
        assertEquals(List.of(Map.of("public", true, "file_size_limit", 10L)),
                query("SELECT public, file_size_limit FROM buckets WHERE name = ?", bucket));

        register(user("alice"), bucket, "big.png", Map.of("size", 11, "contentType", "image/png"))
                .then().statusCode(413).body("error", equalTo("PayloadTooLarge"));
        register(user("alice"), bucket, "doc.pdf", Map.of("size", 5, "contentType", "application/pdf"))
                .then().statusCode(415).body("error", equalTo("InvalidMimeType"));
        register(user("alice"), bucket, "ok.webp", Map.of("size", 10, "contentType", "image/webp")).then().statusCode(201);

        // a null limit removes it; others are left as they are
        as(admin()).body("{\"fileSizeLimit\": null}").patch("/v1/buckets/" + bucket)
                .then().statusCode(200).body("fileSizeLimit", nullValue()).body("public", equalTo(true));
        register(user("alice"), bucket, "big.png", Map.of("size", 11, "contentType", "image/png")).then().statusCode(201);

        as(user("alice")).body(Map.of("public", false)).patch("/v1/buckets/" + bucket)
                .then().statusCode(403).body("error", equalTo("Forbidden"));
        as(admin()).body(Map.of("public", "yes")).patch("/v1/buckets/" + bucket)
                .then().statusCode(400).body("error", equalTo("InvalidRequest"));
    }

    @Test
    void nonEmptyBucketIsNotDeletedUntilABackgroundJobEmptiesIt() throws Exception {
        String bucket = newBucket(Map.of("versioned", true));
        String alice = user("alice");
        for (int i = 0; i < 12; i++) {
            register(alice, bucket, "f" + i + ".txt", Map.of()).then().statusCode(201);
        }
        register(alice, bucket, "f0.txt", Map.of("overwrite", true)).then().statusCode(201);

        as(admin()).delete("/v1/buckets/" + bucket).then().statusCode(409).body("error", equalTo("BucketNotEmpty"));
        as(alice).post("/v1/buckets/" + bucket + "/empty").then().statusCode(403);

        String job = as(admin()).post("/v1/buckets/" + bucket + "/empty")
                .then().statusCode(202).body("kind", equalTo("empty-bucket")).body("bucket", equalTo(bucket))
                .extract().path("id");
        JsonNode finished = awaitJob(admin(), job);
        assertEquals("done", finished.get("state").asText());
        assertEquals(13, finished.get("total").asLong());
        assertEquals(13, finished.get("done").asLong());
        as(alice).get("/v1/jobs/" + job).then().statusCode(404).body("error", equalTo("JobNotFound"));

        as(admin()).delete("/v1/buckets/" + bucket).then().statusCode(200).body("name", equalTo(bucket));
        as(admin()).get("/v1/buckets/" + bucket).then().statusCode(404);
        assertTrue(query("SELECT 1 FROM objects WHERE bucket = ?", bucket).isEmpty());
        assertTrue(query("SELECT 1 FROM blobs WHERE blob_key LIKE ?", "blobs/" + bucket + "/%").isEmpty());
    }

    @Test
    void searchesBucketsBySubstringWithWildcardsTakenLiterally() {
        String tag = UUID.randomUUID().toString().substring(0, 6);
        String literal = "s" + tag + "a_b";
        String lookalike = "s" + tag + "axb";
        newBucketNamed(literal);
        newBucketNamed(lookalike);
        List<String> found = as(user("alice")).queryParam("search", tag + "a_b").get("/v1/buckets")
                .then().statusCode(200).extract().path("name");
        assertEquals(List.of(literal), found);
        List<String> both = as(user("alice")).queryParam("search", tag).get("/v1/buckets").then().extract().path("name");
        assertEquals(List.of(literal, lookalike), both);
    }

    // --- objects -------------------------------------------------------------------------------

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
            byPath(alice, source, "from/a.txt").then().statusCode(404);
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
        assertTrue(query("SELECT 1 FROM outbox WHERE subject LIKE ?", target + "/%").isEmpty());
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
        byPath(alice, bucket, "doc.txt").then().statusCode(200).body("versionId", equalTo(v2.get("versionId").asText()));

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
        register(alice, bucket, "absent.txt", Map.of("ifMatch", "\"one\"")).then().statusCode(412);
        register(user("bob"), bucket, "p.txt", Map.of("overwrite", true)).then().statusCode(409);
        byPath(alice, bucket, "p.txt").then().statusCode(200).body("etag", equalTo("\"three\""));
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

    // --- access --------------------------------------------------------------------------------

    /** Who: anonymous, the owner (alice), another user (bob), an admin. */
    private enum Who { ANONYMOUS, OWNER, OTHER, ADMIN }

    @Test
    void accessMatrixOfVisibilitiesCallersAndOperations() {
        String bucket = newBucket(Map.of());
        String alice = user("alice");
        // visibility -> expected status for read, per caller; then for write
        Map<String, Map<Who, int[]>> expected = new LinkedHashMap<>();
        expected.put("public", Map.of(Who.ANONYMOUS, new int[] {200, 401}, Who.OWNER, new int[] {200, 200},
                Who.OTHER, new int[] {200, 403}, Who.ADMIN, new int[] {200, 200}));
        expected.put("protected", Map.of(Who.ANONYMOUS, new int[] {404, 401}, Who.OWNER, new int[] {200, 200},
                Who.OTHER, new int[] {200, 403}, Who.ADMIN, new int[] {200, 200}));
        expected.put("private", Map.of(Who.ANONYMOUS, new int[] {404, 401}, Who.OWNER, new int[] {200, 200},
                Who.OTHER, new int[] {404, 404}, Who.ADMIN, new int[] {200, 200}));
        expected.put("shared", Map.of(Who.ANONYMOUS, new int[] {404, 401}, Who.OWNER, new int[] {200, 200},
                Who.OTHER, new int[] {404, 404}, Who.ADMIN, new int[] {200, 200}));

        List<String> mismatches = new ArrayList<>();
        for (var row : expected.entrySet()) {
            String visibility = row.getKey();
            String id = register(alice, bucket, "m-" + visibility + ".txt",
                    Map.of("visibility", visibility, "sharedWith", List.of("carol"))).then().statusCode(201).extract().path("id");
            for (Who who : Who.values()) {
                RequestSpecification spec = switch (who) {
                    case ANONYMOUS -> given().contentType(ContentType.JSON);
                    case OWNER -> as(alice);
                    case OTHER -> as(user("bob"));
                    case ADMIN -> as(admin());
                };
                int read = spec.get("/v1/files/" + id).statusCode();
                int write = spec.body(Map.of("category", "c")).patch("/v1/files/" + id).statusCode();
                int[] want = row.getValue().get(who);
                if (read != want[0] || write != want[1]) {
                    mismatches.add(visibility + "/" + who + ": read " + read + " write " + write
                            + " (expected " + want[0] + " " + want[1] + ")");
                }
            }
        }
        assertEquals(List.of(), mismatches);

        // a shared object: the listed user reads it, but may not change it
        String shared = byPath(alice, bucket, "m-shared.txt").then().extract().path("id");
        as(user("carol")).get("/v1/files/" + shared).then().statusCode(200);
        as(user("carol")).body(Map.of("category", "c")).patch("/v1/files/" + shared).then().statusCode(403);
        // a public bucket opens even private objects to anonymous readers, not to writers
        String open = newBucket(Map.of("public", true));
        String privateId = register(alice, open, "p.txt", Map.of()).then().statusCode(201).extract().path("id");
        given().get("/v1/files/" + privateId).then().statusCode(200);
        given().get("/v1/files?bucket=" + open).then().statusCode(200).body("items.name", equalTo(List.of("p.txt")));
        as(user("bob")).delete("/v1/files/" + privateId).then().statusCode(403);
        // anonymous listing of a non-public bucket sees only public objects
        given().get("/v1/files?bucket=" + bucket).then().statusCode(200).body("items.name", equalTo(List.of("m-public.txt")));
        as(user("bob")).get("/v1/files?bucket=" + bucket).then().statusCode(200)
                .body("items.name", equalTo(List.of("m-protected.txt", "m-public.txt")));
        as(user("carol")).get("/v1/files?bucket=" + bucket).then().statusCode(200)
                .body("items.name", equalTo(List.of("m-protected.txt", "m-public.txt", "m-shared.txt")));
    }

    // --- listing -------------------------------------------------------------------------------

    @Test
    void pagesWithKeysetCursorsInEverySortAndOffsetToo() {
        String bucket = newBucket(Map.of());
        String alice = user("alice");
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            String name = String.format("item-%02d.txt", i);
            names.add(name);
            register(alice, bucket, name, Map.of("size", 100 - i)).then().statusCode(201);
        }
        assertEquals(names, pageThrough(alice, bucket, "name", "asc", 10));
        assertEquals(names.reversed(), pageThrough(alice, bucket, "name", "desc", 7));
        assertEquals(names, pageThrough(alice, bucket, "created", "asc", 10));
        assertEquals(names, pageThrough(alice, bucket, "size", "desc", 4));
        assertEquals(names.reversed(), pageThrough(alice, bucket, "size", "asc", 25));
        assertEquals(names, pageThrough(alice, bucket, "updated", "asc", 3));

        as(alice).queryParam("bucket", bucket).queryParam("limit", 5).queryParam("offset", 20).get("/v1/files")
                .then().statusCode(200).body("items.name", equalTo(names.subList(20, 25))).body("nextCursor", nullValue());

        String cursor = as(alice).queryParam("bucket", bucket).queryParam("limit", 2).get("/v1/files").then().extract().path("nextCursor");
        as(alice).queryParam("bucket", bucket).queryParam("cursor", cursor).queryParam("sort", "size").get("/v1/files")
                .then().statusCode(400).body("error", equalTo("InvalidRequest"));
        as(alice).queryParam("bucket", bucket).queryParam("cursor", "garbage!").get("/v1/files").then().statusCode(400);
        as(alice).queryParam("bucket", bucket).queryParam("limit", 1001).get("/v1/files").then().statusCode(400);
        as(alice).queryParam("bucket", bucket).queryParam("sort", "colour").get("/v1/files").then().statusCode(400);
        as(alice).queryParam("bucket", "no-such-bucket").get("/v1/files").then().statusCode(404).body("error", equalTo("BucketNotFound"));
    }

    @Test
    void foldsFoldersIntoCommonPrefixesAndPagesThroughThem() {
        String bucket = newBucket(Map.of());
        String alice = user("alice");
        for (String name : List.of("a.txt", "docs/1.txt", "docs/2.txt", "docs/sub/3.txt", "img/x.png", "img/y.png", "z.txt", "docs.txt")) {
            register(alice, bucket, name, Map.of()).then().statusCode(201);
        }
        as(alice).queryParam("bucket", bucket).queryParam("delimiter", "/").get("/v1/files")
                .then().statusCode(200)
                .body("items.name", equalTo(List.of("a.txt", "docs.txt", "z.txt")))
                .body("prefixes", equalTo(List.of("docs/", "img/")))
                .body("nextCursor", nullValue());
        as(alice).queryParam("bucket", bucket).queryParam("delimiter", "/").queryParam("prefix", "docs/").get("/v1/files")
                .then().statusCode(200)
                .body("items.name", equalTo(List.of("docs/1.txt", "docs/2.txt")))
                .body("prefixes", equalTo(List.of("docs/sub/")));

        // two entries a page: a.txt docs.txt | docs/ img/ | z.txt
        List<List<String>> pages = new ArrayList<>();
        String cursor = null;
        do {
            RequestSpecification spec = as(alice).queryParam("bucket", bucket).queryParam("delimiter", "/").queryParam("limit", 2);
            if (cursor != null) {
                spec.queryParam("cursor", cursor);
            }
            Response page = spec.get("/v1/files");
            page.then().statusCode(200);
            List<String> entries = new ArrayList<>(page.path("items.name"));
            entries.addAll(page.path("prefixes"));
            pages.add(entries);
            cursor = page.path("nextCursor");
        } while (cursor != null);
        assertEquals(List.of(List.of("a.txt", "docs.txt"), List.of("docs/", "img/"), List.of("z.txt")), pages);
    }

    @Test
    void hostileNamesWorkInEveryOperationAndSearchTakesWildcardsLiterally() {
        String bucket = newBucket(Map.of());
        String alice = user("alice");
        List<String> hostile = List.of("100% sure.txt", "under_score.txt", "under score.txt", "a+b#c?d.txt",
                "emoji 😀/file.txt", "日本語/ファイル.txt", "back\\slash.txt", "quote'\"s.txt");
        for (String name : hostile) {
            register(alice, bucket, name, Map.of()).then().statusCode(201).body("name", equalTo(name));
            byPath(alice, bucket, name).then().statusCode(200).body("name", equalTo(name));
        }
        assertEquals(List.of("100% sure.txt"), search(alice, bucket, "%"));
        assertEquals(List.of("under_score.txt"), search(alice, bucket, "_"));
        assertEquals(List.of("back\\slash.txt"), search(alice, bucket, "\\"));
        assertEquals(List.of("emoji 😀/file.txt"), search(alice, bucket, "😀"));
        assertEquals(List.of("日本語/ファイル.txt"), search(alice, bucket, "ファイル"));
        as(alice).queryParam("bucket", bucket).queryParam("prefix", "emoji 😀/").get("/v1/files")
                .then().body("items.name", equalTo(List.of("emoji 😀/file.txt")));

        as(alice).body(Map.of("bucket", bucket, "name", "a+b#c?d.txt", "destinationName", "moved 100%/ü.txt"))
                .post("/v1/files/move").then().statusCode(200).body("name", equalTo("moved 100%/ü.txt"));
        as(alice).body(Map.of("bucket", bucket, "names", List.of("moved 100%/ü.txt"))).post("/v1/files/delete")
                .then().statusCode(200).body("deleted.name", equalTo(List.of("moved 100%/ü.txt")));
        for (String bad : List.of("/lead", "a/./b", "a/..", "tab\there", "x".repeat(1025), "😀".repeat(257))) {
            register(alice, bucket, bad, Map.of()).then().statusCode(400).body("error", equalTo("InvalidObjectName"));
        }
        as(alice).body(Map.of("bucket", bucket, "name", "under_score.txt", "destinationName", "../escape")).post("/v1/files/move")
                .then().statusCode(400).body("error", equalTo("InvalidObjectName"));
    }

    @Test
    void filtersByCategoryAndTag() {
        String bucket = newBucket(Map.of());
        String alice = user("alice");
        register(alice, bucket, "a.jpg", Map.of("category", "photos", "tags", List.of("red", "sea"))).then().statusCode(201);
        register(alice, bucket, "b.jpg", Map.of("category", "photos", "tags", List.of("blue"))).then().statusCode(201);
        register(alice, bucket, "c.pdf", Map.of("category", "docs", "tags", List.of("red"))).then().statusCode(201);
        as(alice).queryParam("bucket", bucket).queryParam("category", "photos").get("/v1/files")
                .then().body("items.name", equalTo(List.of("a.jpg", "b.jpg")));
        as(alice).queryParam("bucket", bucket).queryParam("tag", "red").get("/v1/files")
                .then().body("items.name", equalTo(List.of("a.jpg", "c.pdf")));
        as(alice).queryParam("bucket", bucket).queryParam("tag", "red").queryParam("category", "docs").get("/v1/files")
                .then().body("items.name", equalTo(List.of("c.pdf")));
    }

    // --- versions ------------------------------------------------------------------------------

    @Test
    void versionedBucketsKeepEveryVersionBehindDeleteMarkers() throws Exception {
        String bucket = newBucket(Map.of("versioned", true));
        String alice = user("alice");
        JsonNode v1 = readTree(register(alice, bucket, "doc.txt", Map.of("etag", "\"v1\"")).then().statusCode(201).extract().asString());
        JsonNode v2 = readTree(register(alice, bucket, "doc.txt", Map.of("etag", "\"v2\"", "overwrite", true))
                .then().statusCode(201).extract().asString());

        byPath(alice, bucket, "doc.txt").then().statusCode(200).body("etag", equalTo("\"v2\""));
        given().auth().oauth2(alice).queryParam("versionId", v1.get("versionId").asText())
                .get("/v1/files/by-path/" + bucket + "/doc.txt").then().statusCode(200).body("etag", equalTo("\"v1\""));
        as(alice).get("/v1/files/" + v1.get("id").asText()).then().statusCode(200).body("latest", equalTo(false));

        as(alice).delete("/v1/files/by-path/" + bucket + "/doc.txt").then().statusCode(200);
        byPath(alice, bucket, "doc.txt").then().statusCode(404);
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
        byPath(alice, bucket, "doc.txt").then().statusCode(200).body("versionId", equalTo(v2.get("versionId").asText()));
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

    // --- helpers -------------------------------------------------------------------------------

    private static List<String> pageThrough(String token, String bucket, String sort, String order, int limit) {
        List<String> all = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            RequestSpecification spec = as(token).queryParam("bucket", bucket).queryParam("sort", sort)
                    .queryParam("order", order).queryParam("limit", limit);
            if (cursor != null) {
                spec.queryParam("cursor", cursor);
            }
            Response page = spec.get("/v1/files");
            page.then().statusCode(200);
            all.addAll(page.path("items.name"));
            cursor = page.path("nextCursor");
            assertTrue(++pages < 100, "paging does not end");
        } while (cursor != null);
        return all;
    }

    private static List<String> search(String token, String bucket, String text) {
        return as(token).queryParam("bucket", bucket).queryParam("search", text).get("/v1/files")
                .then().statusCode(200).extract().path("items.name");
    }

    private static JsonNode awaitJob(String token, String id) throws InterruptedException {
        for (int i = 0; i < 120; i++) {
            JsonNode job = readTree(as(token).get("/v1/jobs/" + id).then().statusCode(200).extract().asString());
            if (!job.get("state").asText().equals("pending") && !job.get("state").asText().equals("running")) {
                return job;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("job " + id + " did not finish");
    }

    private static List<String> liveNames(String bucket) throws SQLException {
        return query("SELECT name FROM objects WHERE bucket = ? AND deleted_at IS NULL AND NOT delete_marker ORDER BY name", bucket)
                .stream().map(r -> (String) r.get("name")).toList();
    }

    static String admin() {
        return SharedInfra.issuer().mint("root", Set.of("storage-admin"));
    }

    static String user(String name) {
        return SharedInfra.issuer().mint(name, Set.of());
    }

    static RequestSpecification as(String token) {
        return given().auth().oauth2(token).contentType(ContentType.JSON);
    }

    static String newBucket(Map<String, Object> settings) {
        String name = "c-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, Object> body = new HashMap<>(settings);
        body.put("name", name);
        as(admin()).body(body).post("/v1/buckets").then().statusCode(201);
        return name;
    }

    private static void newBucketNamed(String name) {
        as(admin()).body(Map.of("name", name)).post("/v1/buckets").then().statusCode(201);
    }

    /** Registers an upload of {@code name}; {@code extra} overrides or adds fields. */
    static Response register(String token, String bucket, String name, Map<String, Object> extra) {
        String uploadId = UUID.randomUUID().toString();
        Map<String, Object> body = new HashMap<>(Map.of(
                "uploadId", uploadId, "bucket", bucket, "name", name, "blobKey", "blobs/" + bucket + "/" + uploadId,
                "size", 5, "contentType", "text/plain", "etag", "\"e\""));
        body.putAll(extra);
        return as(token).body(body).post("/internal/objects");
    }

    private static Response byPath(String token, String bucket, String name) {
        String path = Arrays.stream(name.split("/", -1))
                .map(s -> URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20"))
                .collect(Collectors.joining("/"));
        return given().urlEncodingEnabled(false).auth().oauth2(token).get("/v1/files/by-path/" + bucket + "/" + path);
    }

    static JsonNode readTree(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static String header(ConsumerRecord<String, String> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    static KafkaConsumer<String, String> consumer() {
        return consumer(SharedInfra.kafka().bootstrapServers());
    }

    static KafkaConsumer<String, String> consumer(String bootstrapServers) {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "metadata-test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class));
    }

    /** Everything each consumer has polled so far, so that waiting for one key does not lose another's records. */
    private static final Map<KafkaConsumer<String, String>, List<ConsumerRecord<String, String>>> SEEN =
            java.util.Collections.synchronizedMap(new java.util.IdentityHashMap<>());

    static List<ConsumerRecord<String, String>> awaitRecords(KafkaConsumer<String, String> consumer, String key, int count) {
        List<ConsumerRecord<String, String>> seen = SEEN.computeIfAbsent(consumer, c -> new ArrayList<>());
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        List<ConsumerRecord<String, String>> found = withKey(seen, key);
        while (found.size() < count && System.nanoTime() < deadline) {
            consumer.poll(Duration.ofMillis(300)).forEach(seen::add);
            found = withKey(seen, key);
        }
        assertEquals(count, found.size(), "records with key " + key);
        return found;
    }

    private static List<ConsumerRecord<String, String>> withKey(List<ConsumerRecord<String, String>> records, String key) {
        return records.stream().filter(r -> key.equals(r.key())).toList();
    }

    static List<Map<String, Object>> query(String sql, Object... params) throws SQLException {
        PostgresServer pg = SharedInfra.postgres();
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), PostgresServer.USER, PostgresServer.PASSWORD);
             PreparedStatement st = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                st.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = st.executeQuery()) {
                List<Map<String, Object>> rows = new ArrayList<>();
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
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
