package io.stowage.metadata.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.stowage.infra.quarkus.KafkaResource;
import io.stowage.infra.quarkus.OidcResource;
import io.stowage.infra.quarkus.PostgresResource;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.stowage.metadata.rest.MetadataTestSupport.as;
import static io.stowage.metadata.rest.MetadataTestSupport.liveNames;
import static io.stowage.metadata.rest.MetadataTestSupport.newBucket;
import static io.stowage.metadata.rest.MetadataTestSupport.query;
import static io.stowage.metadata.rest.MetadataTestSupport.readTree;
import static io.stowage.metadata.rest.MetadataTestSupport.register;
import static io.stowage.metadata.rest.MetadataTestSupport.user;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code If-Match} on {@code PATCH /v1/files/{id}}, {@code DELETE /v1/files/{id}} and
 * {@code DELETE /v1/files/by-path/...}: a tag that no longer names the object is 412
 * {@code PreconditionFailed} and nothing changes (no row, no event); the ETag, the version id or
 * {@code *} let the change through; a caller who may not see the object still gets 404; a header that
 * lists no tag is 400.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(OidcResource.class)
class IfMatchRoutesTest {

    @Test
    void aPatchWithAStaleTagIs412AndChangesNothing() throws Exception {
        String bucket = newBucket();
        String alice = user("alice");
        JsonNode v1 = readTree(register(alice, bucket, "doc.txt", Map.of("etag", "\"one\"")).then().statusCode(201).extract().asString());
        String id = v1.get("id").asText();
        String key = bucket + "/doc.txt";
        long eventsBefore = events(key);

        as(alice).header("If-Match", "\"other\"").body(Map.of("tags", List.of("t"))).patch("/v1/files/" + id)
                .then().statusCode(412).body("error", equalTo("PreconditionFailed")).body("statusCode", equalTo(412));
        as(alice).header("If-Match", "W/\"one\"").body(Map.of("tags", List.of("t"))).patch("/v1/files/" + id)
                .then().statusCode(412);
        assertEquals(List.of(Map.of("tags", "{}")), query("SELECT tags::text AS tags FROM objects WHERE id = ?::uuid", id));
        assertEquals(eventsBefore, events(key), "a refused change is no event");

        // a caller who may not see it learns nothing from the tag
        as(user("bob")).header("If-Match", "\"one\"").body(Map.of("tags", List.of("t"))).patch("/v1/files/" + id)
                .then().statusCode(404);

        as(alice).header("If-Match", "\"x\", \"one\"").body(Map.of("tags", List.of("a"))).patch("/v1/files/" + id)
                .then().statusCode(200).body("tags", equalTo(List.of("a")));
        as(alice).header("If-Match", v1.get("versionId").asText()).body(Map.of("tags", List.of("b"))).patch("/v1/files/" + id)
                .then().statusCode(200).body("tags", equalTo(List.of("b")));
        as(alice).header("If-Match", "*").body(Map.of("tags", List.of("c"))).patch("/v1/files/" + id)
                .then().statusCode(200).body("tags", equalTo(List.of("c")));
        as(alice).header("If-Match", ", ,").body(Map.of("tags", List.of("d"))).patch("/v1/files/" + id)
                .then().statusCode(400).body("error", equalTo("InvalidRequest"));
        assertEquals(eventsBefore + 3, events(key));
    }

    @Test
    void deletesOnlyWhileTheTagStillNamesTheObject() throws Exception {
        String bucket = newBucket();
        String alice = user("alice");
        String first = register(alice, bucket, "a.txt", Map.of("etag", "\"one\"")).then().statusCode(201).extract().path("id");
        // overwritten meanwhile: the tag the client read is stale
        register(alice, bucket, "a.txt", Map.of("etag", "\"two\"", "overwrite", true)).then().statusCode(201);

        as(alice).header("If-Match", "\"one\"").urlEncodingEnabled(false).delete("/v1/files/by-path/" + bucket + "/a.txt")
                .then().statusCode(412).body("error", equalTo("PreconditionFailed"));
        assertEquals(List.of("a.txt"), liveNames(bucket));
        as(alice).header("If-Match", "\"one\"").delete("/v1/files/" + first).then().statusCode(404);

        String current = query("SELECT id::text AS id FROM objects WHERE bucket = ? AND deleted_at IS NULL", bucket)
                .getFirst().get("id").toString();
        as(alice).header("If-Match", "\"one\"").delete("/v1/files/" + current)
                .then().statusCode(412).body("error", equalTo("PreconditionFailed"));
        assertEquals(List.of("a.txt"), liveNames(bucket));
        as(alice).header("If-Match", "\"two\"").delete("/v1/files/" + current).then().statusCode(200);
        assertEquals(List.of(), liveNames(bucket));

        register(alice, bucket, "b.txt", Map.of("etag", "\"three\"")).then().statusCode(201);
        as(alice).header("If-Match", "\"three\"").delete("/v1/files/by-path/" + bucket + "/b.txt").then().statusCode(200);
        assertEquals(List.of(), liveNames(bucket));
    }

    private static long events(String key) throws Exception {
        return (Long) query("SELECT count(*) AS n FROM outbox WHERE subject = ?", key).getFirst().get("n");
    }
}
