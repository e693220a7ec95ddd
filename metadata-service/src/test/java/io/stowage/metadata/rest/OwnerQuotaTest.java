package io.stowage.metadata.rest;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.stowage.infra.quarkus.KafkaResource;
import io.stowage.infra.quarkus.OidcResource;
import io.stowage.infra.quarkus.PostgresResource;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.UUID;

import static io.stowage.metadata.rest.MetadataTestSupport.admin;
import static io.stowage.metadata.rest.MetadataTestSupport.as;
import static io.stowage.metadata.rest.MetadataTestSupport.gatewayService;
import static io.stowage.metadata.rest.MetadataTestSupport.newBucket;
import static io.stowage.metadata.rest.MetadataTestSupport.register;
import static io.stowage.metadata.rest.MetadataTestSupport.registerFor;
import static io.stowage.metadata.rest.MetadataTestSupport.user;
import static org.hamcrest.Matchers.equalTo;

/**
 * The default quota per owner (configuration): every owner's objects over every bucket count
 * against it, at the write-check and at registration, also when a service registers for the user;
 * an admin storing its own objects is not held to it; the usage route reports it.
 */
@QuarkusTest
@TestProfile(OwnerQuotaTest.SmallOwnerQuota.class)
@WithTestResource(PostgresResource.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(OidcResource.class)
class OwnerQuotaTest {

    public static class SmallOwnerQuota implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("stowage.quota.owner-max-objects", "3", "stowage.quota.owner-max-bytes", "1000");
        }
    }

    @Test
    void anOwnersObjectsOverEveryBucketCountAgainstTheDefaultQuota() {
        String one = newBucket();
        String two = newBucket();
        String dave = "dave-" + UUID.randomUUID().toString().substring(0, 6);
        register(user(dave), one, "a.txt", Map.of()).then().statusCode(201);
        register(user(dave), two, "b.txt", Map.of()).then().statusCode(201);
        // a service registering for dave counts against dave
        registerFor(gatewayService(), UUID.randomUUID().toString(), two, "c.txt", dave).then().statusCode(201);
        as(user(dave)).body(Map.of("bucket", one, "name", "d.txt")).post("/internal/objects/write-checks")
                .then().statusCode(413).body("error", equalTo("QuotaExceeded"));
        register(user(dave), one, "d.txt", Map.of()).then().statusCode(413).body("error", equalTo("QuotaExceeded"));
        as(user(dave)).get("/v1/usage").then().statusCode(200)
                .body("objects", equalTo(3)).body("maxObjects", equalTo(3)).body("maxBytes", equalTo(1000));

        String erin = "erin-" + UUID.randomUUID().toString().substring(0, 6);
        register(user(erin), one, "big.bin", Map.of("size", 1001)).then().statusCode(413).body("error", equalTo("QuotaExceeded"));
        register(user(erin), one, "fits.bin", Map.of("size", 1000)).then().statusCode(201);

        // an admin's own objects are not held to the default per owner
        for (int i = 0; i < 4; i++) {
            register(admin(), one, "admin-" + i + ".txt", Map.of()).then().statusCode(201);
        }
    }
}
