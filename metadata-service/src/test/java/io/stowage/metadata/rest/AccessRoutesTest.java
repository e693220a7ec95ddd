package io.stowage.metadata.rest;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.stowage.infra.quarkus.KafkaResource;
import io.stowage.infra.quarkus.OidcResource;
import io.stowage.infra.quarkus.PostgresResource;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static io.stowage.metadata.rest.MetadataTestSupport.admin;
import static io.stowage.metadata.rest.MetadataTestSupport.as;
import static io.stowage.metadata.rest.MetadataTestSupport.fileByPath;
import static io.stowage.metadata.rest.MetadataTestSupport.newBucket;
import static io.stowage.metadata.rest.MetadataTestSupport.register;
import static io.stowage.metadata.rest.MetadataTestSupport.registerUpload;
import static io.stowage.metadata.rest.MetadataTestSupport.user;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The access rule as the routes answer it: each visibility for anonymous callers, the owner, another
 * user, a listed user and an admin, reading and changing, in private and public buckets and in
 * listings (the rule itself, row by row, is {@code access/AccessPolicyTest}).
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(OidcResource.class)
class AccessRoutesTest {

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
        String shared = fileByPath(alice, bucket, "m-shared.txt").then().extract().path("id");
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

    @Test
    void aNonAdminsPagesAreExactlyTheReadableObjectsInNameOrderByCursorOffsetPrefixAndSearch() {
        String bucket = newBucket(Map.of());
        String alice = user("alice");
        String bob = user("bob");
        List<String> visibilities = List.of("public", "protected", "private", "shared");
        // who may read each: anonymous the public ones; bob also protected, his own, and what is shared with him
        java.util.TreeSet<String> forBob = new java.util.TreeSet<>();
        java.util.TreeSet<String> forAnonymous = new java.util.TreeSet<>();
        for (int i = 0; i < 24; i++) {
            String visibility = visibilities.get(i % 4);
            boolean bobs = i % 3 == 0;
            boolean sharedWithBob = i % 8 == 3;
            String name = (i % 2 == 0 ? "dir/" : "") + String.format("n%02d-%s.txt", i, visibility);
            register(bobs ? bob : alice, bucket, name, Map.of("visibility", visibility,
                    "sharedWith", sharedWithBob ? List.of("bob") : List.of("carol"))).then().statusCode(201);
            if (visibility.equals("public")) {
                forAnonymous.add(name);
            }
            if (visibility.equals("public") || visibility.equals("protected") || bobs || (visibility.equals("shared") && sharedWithBob)) {
                forBob.add(name);
            }
        }
        assertEquals(List.copyOf(forBob), pagedByCursor(bob, bucket, ""));
        assertEquals(List.copyOf(forAnonymous), pagedByCursor(null, bucket, ""));
        assertEquals(forBob.stream().filter(n -> n.startsWith("dir/")).toList(), pagedByCursor(bob, bucket, "&prefix=dir/"));
        assertEquals(forBob.stream().filter(n -> n.contains("-shared")).toList(), pagedByCursor(bob, bucket, "&search=-SHARED"));
        // offset pages (Supabase's) see the same rows
        List<String> byOffset = new ArrayList<>();
        for (int offset = 0; offset < forBob.size(); offset += 5) {
            byOffset.addAll(as(bob).get("/v1/files?bucket=" + bucket + "&limit=5&offset=" + offset).then().statusCode(200)
                    .extract().<List<String>>path("items.name"));
        }
        assertEquals(List.copyOf(forBob), byOffset);
        // newest first keeps the rule as a filter: same rows, the other order
        List<String> descending = as(bob).get("/v1/files?bucket=" + bucket + "&limit=100&order=desc").then().statusCode(200)
                .extract().path("items.name");
        assertEquals(List.copyOf(forBob.descendingSet()), descending);
    }

    /** Every name {@code token} (null: anonymous) lists in the bucket, 4 a page, following the cursor. */
    private static List<String> pagedByCursor(String token, String bucket, String query) {
        List<String> names = new ArrayList<>();
        String cursor = null;
        do {
            RequestSpecification spec = token == null ? given() : as(token);
            io.restassured.response.Response page = spec.get("/v1/files?bucket=" + bucket + "&limit=4" + query
                    + (cursor == null ? "" : "&cursor=" + cursor));
            page.then().statusCode(200);
            names.addAll(page.jsonPath().getList("items.name"));
            cursor = page.jsonPath().getString("nextCursor");
        } while (cursor != null);
        return names;
    }

    @Test
    void protectedObjectsAreReadableByAnySignedInUserButOnlyTheOwnerDeletes() {
        String bucket = newBucket();
        String id = registerUpload(user("alice"), UUID.randomUUID().toString(), bucket, "shared-notes.txt", "protected")
                .then().statusCode(201).body("visibility", equalTo("protected")).extract().path("id");
        as(user("bob")).get("/v1/files/" + id).then().statusCode(200).body("owner", equalTo("alice"));
        as(user("bob")).delete("/v1/files/" + id).then().statusCode(403).body("error", equalTo("Forbidden"));
        as(user("alice")).get("/v1/files/" + id).then().statusCode(200);
    }
}
