package io.stowage.metadata.rest;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.stowage.infra.quarkus.KafkaResource;
import io.stowage.infra.quarkus.OidcResource;
import io.stowage.infra.quarkus.PostgresResource;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.stowage.metadata.rest.MetadataTestSupport.as;
import static io.stowage.metadata.rest.MetadataTestSupport.fileByPath;
import static io.stowage.metadata.rest.MetadataTestSupport.newBucket;
import static io.stowage.metadata.rest.MetadataTestSupport.register;
import static io.stowage.metadata.rest.MetadataTestSupport.user;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code GET /v1/files}: keyset pages in every sort and order, offset pages, delimiter folders paged
 * through, literal search over hostile names, category and tag filters.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(OidcResource.class)
class ListingRoutesTest {

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
            fileByPath(alice, bucket, name).then().statusCode(200).body("name", equalTo(name));
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
}
