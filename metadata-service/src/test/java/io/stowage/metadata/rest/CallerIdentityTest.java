package io.stowage.metadata.rest;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.stowage.infra.SharedInfra;
import io.stowage.infra.quarkus.KafkaResource;
import io.stowage.infra.quarkus.OidcResource;
import io.stowage.infra.quarkus.PostgresResource;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static io.stowage.metadata.rest.MetadataTestSupport.admin;
import static io.stowage.metadata.rest.MetadataTestSupport.as;
import static io.stowage.metadata.rest.MetadataTestSupport.registerUpload;
import static io.stowage.metadata.rest.MetadataTestSupport.user;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

/**
 * Who the caller is ({@code access/Caller}): no token or a bad one is 401 in the error shape;
 * {@code storage-admin}, {@code service_role} (as a role or Supabase's service key) are admins;
 * Supabase's anon key is not signed in.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(OidcResource.class)
class CallerIdentityTest {

    @Test
    void callsWithoutAValidTokenGetUnauthorizedJson() {
        given().get("/v1/buckets")
                .then().statusCode(401).contentType(ContentType.JSON)
                .body("statusCode", equalTo(401)).body("error", equalTo("Unauthorized")).body("message", notNullValue());
        given().auth().oauth2("not-a-token").get("/v1/files/" + UUID.randomUUID())
                .then().statusCode(401).contentType(ContentType.JSON).body("error", equalTo("Unauthorized"));
        String expired = SharedInfra.issuer().mint("alice", Set.of(), Instant.now().minus(Duration.ofHours(2)), Duration.ofHours(1));
        given().auth().oauth2(expired).contentType(ContentType.JSON).body("{}").post("/internal/objects")
                .then().statusCode(401).contentType(ContentType.JSON).body("error", equalTo("Unauthorized"));
    }

    @Test
    void aSupabaseServiceKeyIsFullAccessAndAnAnonKeyIsNotSignedIn() {
        // Supabase's project keys carry their access level in the role claim alone, and no subject
        String service = SharedInfra.issuer().mintSupabaseStyle(null, "service_role");
        String anon = SharedInfra.issuer().mintSupabaseStyle(null, "anon");
        String bucket = "keys-" + UUID.randomUUID().toString().substring(0, 8);
        as(service).body(Map.of("name", bucket)).post("/v1/buckets").then().statusCode(201);
        as(anon).body(Map.of("name", bucket + "-anon")).post("/v1/buckets").then().statusCode(403);
        String uploadId = UUID.randomUUID().toString();
        registerUpload(user("alice"), uploadId, bucket, "private.txt", "private").then().statusCode(201);
        as(service).get("/internal/objects/by-path/" + bucket + "/private.txt").then().statusCode(200)
                .body("owner", equalTo("alice"));
        as(anon).get("/v1/files/by-path/" + bucket + "/private.txt").then().statusCode(404);
    }

    @Test
    void serviceRoleFromRealmAccessIsAdminToo() {
        String name = "svc-" + UUID.randomUUID().toString().substring(0, 8);
        as(SharedInfra.issuer().mint("backend", Set.of("service_role"))).body(Map.of("name", name)).post("/v1/buckets")
                .then().statusCode(201).body("owner", equalTo("backend"));
    }
}
