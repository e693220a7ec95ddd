package io.stowage.metadata.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.stowage.infra.quarkus.KafkaResource;
import io.stowage.infra.quarkus.OidcResource;
import io.stowage.infra.quarkus.PostgresResource;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.stowage.metadata.rest.MetadataTestSupport.admin;
import static io.stowage.metadata.rest.MetadataTestSupport.as;
import static io.stowage.metadata.rest.MetadataTestSupport.awaitJob;
import static io.stowage.metadata.rest.MetadataTestSupport.newBucket;
import static io.stowage.metadata.rest.MetadataTestSupport.newBucketNamed;
import static io.stowage.metadata.rest.MetadataTestSupport.query;
import static io.stowage.metadata.rest.MetadataTestSupport.register;
import static io.stowage.metadata.rest.MetadataTestSupport.user;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code /v1/buckets}: creation by admins only and its refusals (taken or bad names), reads, search,
 * limits changed and re-checked at registration, and deletion once a background job emptied the bucket.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(OidcResource.class)
class BucketRoutesTest {

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
}
