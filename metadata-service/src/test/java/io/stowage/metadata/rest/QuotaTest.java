package io.stowage.metadata.rest;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.stowage.infra.quarkus.KafkaResource;
import io.stowage.infra.quarkus.OidcResource;
import io.stowage.infra.quarkus.PostgresResource;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.stowage.metadata.rest.MetadataTestSupport.admin;
import static io.stowage.metadata.rest.MetadataTestSupport.as;
import static io.stowage.metadata.rest.MetadataTestSupport.liveNames;
import static io.stowage.metadata.rest.MetadataTestSupport.newBucket;
import static io.stowage.metadata.rest.MetadataTestSupport.query;
import static io.stowage.metadata.rest.MetadataTestSupport.register;
import static io.stowage.metadata.rest.MetadataTestSupport.user;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A bucket's quotas ({@code maxBytes}, {@code maxObjects}): set at creation and by PATCH, refused
 * with 413 {@code QuotaExceeded} at the write-check (before any byte) and again at registration,
 * copy and move, nothing written; concurrent registrations never overshoot.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(OidcResource.class)
class QuotaTest {

    @Test
    void aBucketsObjectQuotaRefusesTheNextObjectButNotAnOverwrite() throws Exception {
        String bucket = newBucket(Map.of("maxObjects", 2));
        as(admin()).get("/v1/buckets/" + bucket).then().statusCode(200).body("maxObjects", equalTo(2)).body("maxBytes", nullValue());
        String alice = user("alice");
        register(alice, bucket, "a.txt", Map.of()).then().statusCode(201);
        register(alice, bucket, "b.txt", Map.of()).then().statusCode(201);

        // before any byte: the write-check says what the registration would
        as(alice).body(Map.of("bucket", bucket, "name", "c.txt", "size", 5)).post("/internal/objects/write-checks")
                .then().statusCode(413).body("error", equalTo("QuotaExceeded")).body("statusCode", equalTo(413));
        as(alice).body(Map.of("bucket", bucket, "name", "a.txt", "overwrite", true, "size", 5))
                .post("/internal/objects/write-checks").then().statusCode(204);
        register(alice, bucket, "c.txt", Map.of()).then().statusCode(413).body("error", equalTo("QuotaExceeded"));
        assertEquals(List.of("a.txt", "b.txt"), liveNames(bucket));
        assertEquals(0, query("SELECT 1 FROM outbox WHERE subject = ?", bucket + "/c.txt").size(), "no event of a refused write");

        register(alice, bucket, "a.txt", Map.of("overwrite", true, "size", 50)).then().statusCode(201);
        as(alice).body(Map.of("bucket", bucket, "name", "a.txt", "destinationName", "copy.txt")).post("/v1/files/copy")
                .then().statusCode(413).body("error", equalTo("QuotaExceeded"));
        String other = newBucket();
        register(alice, other, "in.txt", Map.of()).then().statusCode(201);
        as(alice).body(Map.of("bucket", other, "name", "in.txt", "destinationBucket", bucket, "destinationName", "in.txt"))
                .post("/v1/files/move").then().statusCode(413);
        assertEquals(List.of("in.txt"), liveNames(other));

        as(alice).urlEncodingEnabled(false).delete("/v1/files/by-path/" + bucket + "/b.txt").then().statusCode(200);
        register(alice, bucket, "c.txt", Map.of()).then().statusCode(201);
        // lifting the quota
        as(admin()).body("{\"maxObjects\":null}").patch("/v1/buckets/" + bucket).then().statusCode(200).body("maxObjects", nullValue());
        register(alice, bucket, "d.txt", Map.of()).then().statusCode(201);
    }

    @Test
    void aBucketsByteQuotaCountsEveryStoredVersion() throws Exception {
        String bucket = newBucket(Map.of("maxBytes", 100, "versioned", true));
        String alice = user("alice");
        register(alice, bucket, "a.bin", Map.of("size", 60)).then().statusCode(201);
        as(alice).body(Map.of("bucket", bucket, "name", "b.bin", "size", 41)).post("/internal/objects/write-checks")
                .then().statusCode(413).body("error", equalTo("QuotaExceeded"));
        // the kept version still holds its 60 bytes: an overwrite of 41 would store 101
        register(alice, bucket, "a.bin", Map.of("size", 41, "overwrite", true)).then().statusCode(413);
        register(alice, bucket, "a.bin", Map.of("size", 40, "overwrite", true)).then().statusCode(201);
        as(admin()).get("/v1/buckets/" + bucket + "/usage").then().statusCode(200)
                .body("bytes", equalTo(100)).body("objects", equalTo(2)).body("maxBytes", equalTo(100));
    }

    @Test
    void concurrentRegistrationsNeverOvershootTheQuota() throws Exception {
        String bucket = newBucket(Map.of("maxObjects", 5));
        String alice = user("alice");
        ExecutorService pool = Executors.newFixedThreadPool(12);
        try {
            List<Callable<Integer>> writes = new ArrayList<>();
            for (int i = 0; i < 24; i++) {
                String name = "n" + i + "-" + UUID.randomUUID() + ".txt";
                writes.add(() -> register(alice, bucket, name, Map.of()).statusCode());
            }
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> f : pool.invokeAll(writes)) {
                statuses.add(f.get());
            }
            assertEquals(5, statuses.stream().filter(s -> s == 201).count(), statuses.toString());
            assertEquals(19, statuses.stream().filter(s -> s == 413).count(), statuses.toString());
        } finally {
            pool.shutdownNow();
        }
        assertEquals(5, liveNames(bucket).size());
        as(admin()).get("/v1/buckets/" + bucket + "/usage").then().statusCode(200).body("objects", equalTo(5));
    }

    @Test
    void quotasMustBeWholeNumbersOfZeroOrMore() {
        for (String body : List.of("{\"name\":\"q-%s\",\"maxBytes\":-1}", "{\"name\":\"q-%s\",\"maxObjects\":\"5\"}",
                "{\"name\":\"q-%s\",\"maxBytes\":1.5}", "{\"name\":\"q-%s\",\"maxBytes\":99999999999999999999999}",
                "{\"name\":\"q-%s\",\"maxObjects\":[]}")) {
            as(admin()).body(body.formatted(UUID.randomUUID().toString().substring(0, 8))).post("/v1/buckets")
                    .then().statusCode(400).body("error", equalTo("InvalidRequest"));
        }
        String bucket = newBucket();
        for (String body : List.of("{\"maxBytes\":-5}", "{\"maxObjects\":true}", "{\"maxBytes\":1e30}", "{\"maxObjects\":2.5}")) {
            as(admin()).body(body).patch("/v1/buckets/" + bucket).then().statusCode(400).body("error", equalTo("InvalidRequest"));
        }
        as(user("alice")).body("{\"maxBytes\":5}").patch("/v1/buckets/" + bucket).then().statusCode(403);
        as(admin()).get("/v1/buckets/" + bucket).then().body("maxBytes", nullValue());
    }
}
