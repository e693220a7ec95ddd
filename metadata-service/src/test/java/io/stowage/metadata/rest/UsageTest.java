package io.stowage.metadata.rest;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.stowage.infra.quarkus.KafkaResource;
import io.stowage.infra.quarkus.OidcResource;
import io.stowage.infra.quarkus.PostgresResource;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import static io.stowage.metadata.rest.MetadataTestSupport.admin;
import static io.stowage.metadata.rest.MetadataTestSupport.as;
import static io.stowage.metadata.rest.MetadataTestSupport.awaitJob;
import static io.stowage.metadata.rest.MetadataTestSupport.newBucket;
import static io.stowage.metadata.rest.MetadataTestSupport.query;
import static io.stowage.metadata.rest.MetadataTestSupport.register;
import static io.stowage.metadata.rest.MetadataTestSupport.user;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Usage per bucket and per owner, kept by each change in its own transaction: after many random
 * creates, overwrites, deletes, moves, copies, version purges and a bucket emptied, every usage row
 * equals a full recount of the catalog; and the routes that read it answer only admins and owners.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(OidcResource.class)
class UsageTest {

    private static final String RECOUNT_BUCKETS = """
            SELECT b.name AS key, COALESCE(sum(o.size), 0)::bigint AS bytes, count(o.id) AS objects
              FROM buckets b
              LEFT JOIN objects o ON o.bucket = b.name AND (o.deleted_at IS NULL OR o.retained) AND NOT o.delete_marker
             WHERE b.name = ANY (?)
             GROUP BY b.name ORDER BY b.name
            """;
    private static final String KEPT_BUCKETS = """
            SELECT b.name AS key, COALESCE(u.bytes, 0) AS bytes, COALESCE(u.objects, 0) AS objects
              FROM buckets b LEFT JOIN bucket_usage u ON u.bucket = b.name
             WHERE b.name = ANY (?) ORDER BY b.name
            """;
    private static final String RECOUNT_OWNERS = """
            SELECT owner AS key, sum(size)::bigint AS bytes, count(*) AS objects FROM objects
             WHERE (deleted_at IS NULL OR retained) AND NOT delete_marker AND owner = ANY (?)
             GROUP BY owner ORDER BY owner
            """;
    private static final String KEPT_OWNERS = "SELECT owner AS key, bytes, objects FROM owner_usage "
            + "WHERE owner = ANY (?) AND (bytes <> 0 OR objects <> 0) ORDER BY owner";

    @Test
    void usageEqualsAFullRecountAfterManyChangesOfEveryKind() throws Exception {
        String plain = newBucket();
        String versioned = newBucket(Map.of("versioned", true));
        String suffix = UUID.randomUUID().toString().substring(0, 6);
        List<String> users = List.of("u1-" + suffix, "u2-" + suffix, "u3-" + suffix);
        List<String> buckets = List.of(plain, versioned);
        Random random = new Random(42);
        for (int i = 0; i < 160; i++) {
            String bucket = buckets.get(random.nextInt(2));
            String owner = users.get(random.nextInt(3));
            String token = user(owner);
            String name = "n" + random.nextInt(12) + ".txt";
            switch (random.nextInt(6)) {
                case 0, 1 -> register(token, bucket, name, Map.of("size", 1 + random.nextInt(1000), "overwrite", true));
                case 2 -> as(token).urlEncodingEnabled(false).delete("/v1/files/by-path/" + bucket + "/" + name);
                case 3 -> as(token).body(Map.of("bucket", bucket, "name", name, "destinationBucket", buckets.get(random.nextInt(2)),
                        "destinationName", "m" + random.nextInt(12) + ".txt", "overwrite", true)).post("/v1/files/move");
                case 4 -> as(token).body(Map.of("bucket", bucket, "name", name, "destinationBucket", buckets.get(random.nextInt(2)),
                        "destinationName", "c" + random.nextInt(12) + ".txt", "overwrite", true)).post("/v1/files/copy");
                default -> {
                    // a kept version removed for good (or a delete marker), when there is one
                    var versions = query("SELECT version_id FROM objects WHERE bucket = ? AND name = ? AND retained",
                            versioned, name);
                    if (!versions.isEmpty()) {
                        as(admin()).queryParam("versionId", versions.getFirst().get("version_id"))
                                .delete("/v1/files/by-path/" + versioned + "/" + name);
                    }
                }
            }
            if (i == 100) {
                String job = as(admin()).post("/v1/buckets/" + plain + "/empty").then().statusCode(202).extract().path("id");
                assertEquals("done", awaitJob(admin(), job).get("state").asText());
            }
        }
        String[] bucketKeys = buckets.toArray(String[]::new);
        String[] ownerKeys = users.toArray(String[]::new);
        assertEquals(query(RECOUNT_BUCKETS, (Object) bucketKeys), query(KEPT_BUCKETS, (Object) bucketKeys));
        assertEquals(query(RECOUNT_OWNERS, (Object) ownerKeys), query(KEPT_OWNERS, (Object) ownerKeys));
        // the route answers what the row holds
        long objects = (Long) query(RECOUNT_BUCKETS, (Object) new String[] {versioned}).getFirst().get("objects");
        as(admin()).get("/v1/buckets/" + versioned + "/usage").then().statusCode(200)
                .body("bucket", equalTo(versioned)).body("objects", equalTo((int) objects));
    }

    @Test
    void ownersReadTheirOwnUsageAndAdminsAnyones() throws Exception {
        String bucket = newBucket();
        String carol = "carol-" + UUID.randomUUID().toString().substring(0, 6);
        register(user(carol), bucket, "a.txt", Map.of("size", 300)).then().statusCode(201);
        register(user(carol), bucket, "b.txt", Map.of("size", 20)).then().statusCode(201);

        as(user(carol)).get("/v1/usage").then().statusCode(200)
                .body("owner", equalTo(carol)).body("bytes", equalTo(320)).body("objects", equalTo(2));
        as(user(carol)).queryParam("owner", carol).get("/v1/usage").then().statusCode(200).body("bytes", equalTo(320));
        as(admin()).queryParam("owner", carol).get("/v1/usage").then().statusCode(200).body("objects", equalTo(2));
        as(user("mallory")).queryParam("owner", carol).get("/v1/usage").then().statusCode(403)
                .body("error", equalTo("Forbidden")).body("statusCode", equalTo(403));
        as(admin()).queryParam("owner", "x".repeat(300)).get("/v1/usage").then().statusCode(400)
                .body("error", equalTo("InvalidRequest"));
        as(admin()).queryParam("owner", "nobody-" + UUID.randomUUID()).get("/v1/usage").then().statusCode(200)
                .body("bytes", equalTo(0)).body("objects", equalTo(0));

        as(admin()).get("/v1/buckets/" + bucket + "/usage").then().statusCode(200)
                .body("bucket", equalTo(bucket)).body("bytes", equalTo(320)).body("objects", equalTo(2));
        as(user(carol)).get("/v1/buckets/" + bucket + "/usage").then().statusCode(403).body("error", equalTo("Forbidden"));
        as(admin()).get("/v1/buckets/no-such-" + UUID.randomUUID().toString().substring(0, 6) + "/usage").then().statusCode(404)
                .body("error", equalTo("BucketNotFound"));
        io.restassured.RestAssured.given().get("/v1/usage").then().statusCode(401);
    }
}
