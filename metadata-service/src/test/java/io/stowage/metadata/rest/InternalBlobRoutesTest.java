package io.stowage.metadata.rest;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.stowage.infra.SharedInfra;
import io.stowage.infra.quarkus.KafkaResource;
import io.stowage.infra.quarkus.OidcResource;
import io.stowage.infra.quarkus.PostgresResource;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;

import static io.restassured.RestAssured.given;
import static io.stowage.metadata.rest.MetadataTestSupport.admin;
import static io.stowage.metadata.rest.MetadataTestSupport.as;
import static io.stowage.metadata.rest.MetadataTestSupport.newBucket;
import static io.stowage.metadata.rest.MetadataTestSupport.registerUpload;
import static io.stowage.metadata.rest.MetadataTestSupport.update;
import static io.stowage.metadata.rest.MetadataTestSupport.uploadService;
import static io.stowage.metadata.rest.MetadataTestSupport.user;
import static org.hamcrest.Matchers.equalTo;

/**
 * {@code POST /internal/blobs/referenced}, for upload-service's sweeper: which blobs a live object,
 * a copy or a kept version still holds; only Stowage's services may ask; malformed key lists are 400.
 * {@code GET /internal/blobs}, for its reconciler: every referenced blob, page by page in key order.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(OidcResource.class)
class InternalBlobRoutesTest {

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
        registerUpload(alice, kept.substring(6), bucket, "kept.txt", null).then().statusCode(201);
        String goneId = registerUpload(alice, gone.substring(6), bucket, "gone.txt", null).then().statusCode(201).extract().path("id");
        String copiedId = registerUpload(alice, copied.substring(6), bucket, "orig.txt", null).then().statusCode(201).extract().path("id");
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
        registerUpload(user("alice"), uploadId, bucket, "drift.txt", null).then().statusCode(201);
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
        String versionId = registerUpload(alice, uploadId, bucket, "v.txt", null).then().statusCode(201).extract().path("versionId");

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

    @Test
    void theReferencedBlobsArePagedInKeyOrderWithAnObjectOfEach() {
        String bucket = newBucket();
        String alice = user("alice");
        // keys under a prefix no other test uses, so that the walk from just before it sees exactly these
        String prefix = "blobs/page-" + UUID.randomUUID() + "/";
        List<String> keys = IntStream.range(0, 5).mapToObj(i -> prefix + i).toList();
        for (int i = 0; i < keys.size(); i++) {
            registerUpload(alice, keys.get(i).substring(6), bucket, "p" + i + ".txt", null).then().statusCode(201);
        }
        String goneId = registerUpload(alice, (prefix + "9").substring(6), bucket, "gone.txt", null).then().statusCode(201).extract().path("id");
        as(alice).delete("/v1/files/" + goneId).then().statusCode(200);

        List<String> walked = new ArrayList<>();
        String after = prefix;
        do {
            Response page = as(uploadService()).queryParam("after", after).queryParam("limit", 2).get("/internal/blobs");
            page.then().statusCode(200);
            List<Map<String, String>> blobs = page.jsonPath().getList("blobs");
            for (Map<String, String> blob : blobs) {
                if (blob.get("blobKey").startsWith(prefix)) {
                    walked.add(blob.get("blobKey"));
                    org.junit.jupiter.api.Assertions.assertEquals(bucket, blob.get("bucket"));
                    org.junit.jupiter.api.Assertions.assertEquals("p" + blob.get("blobKey").substring(prefix.length()) + ".txt", blob.get("name"));
                }
            }
            after = blobs.isEmpty() || !blobs.getLast().get("blobKey").startsWith(prefix) ? null : page.jsonPath().getString("next");
        } while (after != null);
        // the deleted object's blob is not referenced any more
        org.junit.jupiter.api.Assertions.assertEquals(keys, walked);

        for (String token : List.of(alice, admin())) {
            as(token).get("/internal/blobs").then().statusCode(403).body("error", equalTo("Forbidden"));
        }
        given().get("/internal/blobs").then().statusCode(401).body("error", equalTo("Unauthorized"));
        for (String limit : List.of("0", "1001", "-1", "ten", "1e3")) {
            as(uploadService()).queryParam("limit", limit).get("/internal/blobs").then().statusCode(400).body("error", equalTo("InvalidRequest"));
        }
    }
}
