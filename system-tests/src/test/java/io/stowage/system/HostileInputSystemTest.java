package io.stowage.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stowage.infra.SharedInfra;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile input against the whole platform, through the gateway, over raw sockets: traversal and
 * encodings in names, control characters, wrong JSON types, bad headers, absolute targets, foreign
 * audiences and look-alike credentials. Each case must get a 4xx in the error shape within a bound,
 * and at the end nothing was written: the catalog, the buckets and S3 are as they were.
 *
 * <p>A case is one line: {@code refuse(method + target, who, body, headers...)}; {@code {B}} is the
 * caller's bucket, {@code {V}} another user's, {@code {P}} a public one.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostileInputSystemTest {

    /** The longest a refusal may take: no case waits on anything. */
    private static final int BOUND_MILLIS = 5_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private static StowageSuite suite;
    private static int port;
    private static String b;
    private static String v;
    private static String p;
    private static java.util.Set<String> s3KeysBefore;
    private static int bucketsBefore;

    enum Who { NOBODY, ALICE, ADMIN, FOREIGN_AUDIENCE, NO_AUDIENCE, EMPTY_BEARER, BASIC }

    record Case(String request, Who who, String body, List<String> headers) {
        @Override
        public String toString() {
            return request + " as " + who + (body == null ? "" : " " + body) + (headers.isEmpty() ? "" : " " + headers);
        }
    }

    private static Case refuse(String request, Who who, String body, String... headers) {
        return new Case(request, who, body, List.of(headers));
    }

    /** 1,001 file ids: one more than a batch of signed URLs may hold. */
    private static final String THOUSAND_AND_ONE = java.util.stream.IntStream.range(0, 1001).mapToObj(i -> "\"id" + i + "\"")
            .collect(java.util.stream.Collectors.joining(","));

    /** The tus protocol version every resumable request but OPTIONS carries. */
    private static final String TUS = "Tus-Resumable: 1.0.0";

    private static Case refuse(String request, Who who) {
        return refuse(request, who, null);
    }

    static Stream<Case> refusals() {
        return Stream.of(
                // dot segments: never out of the bucket named in the URL
                refuse("GET /v1/objects/{B}/a/../../{V}/x", Who.ALICE),
                refuse("HEAD /v1/objects/{B}/a/../../{V}/x", Who.ALICE),
                refuse("GET /v1/objects/{B}/%2e%2e/{V}/x", Who.ALICE),
                refuse("GET /v1/objects/{B}/a%2F..%2F..%2F{V}/x", Who.ALICE),
                refuse("GET /v1/public/{P}/../{V}/x", Who.NOBODY),
                refuse("DELETE /v1/files/by-path/{B}/a/../../{V}/x", Who.ALICE),
                refuse("GET /v1/files/by-path/{B}/./x", Who.ALICE),
                refuse("PUT /v1/objects/{B}/a/../../{V}/planted", Who.ALICE, "planted"),
                refuse("DELETE /storage/v1/object/{B}/a/../../{V}/x", Who.ALICE),
                refuse("GET /storage/v1/object/authenticated/{B}/../{V}/x", Who.ALICE),
                refuse("GET /storage/v1/object/info/{B}/../{V}/x", Who.ALICE),
                refuse("GET /storage/v1/object/public/{P}/../{V}/x", Who.NOBODY),
                refuse("POST /storage/v1/object/upload/sign/{B}/../{V}/x", Who.ALICE, "{}"),
                refuse("POST /storage/v1/object/{B}/a/../../{V}/planted", Who.ALICE, "planted"),
                refuse("GET /img/unsafe/100x100/{B}/../{V}/x", Who.ALICE),
                refuse("GET /storage/v1/bucket/.", Who.ADMIN),
                // NUL, controls and bytes that are not UTF-8
                refuse("GET /v1/public/{P}/a%00b", Who.NOBODY),
                refuse("GET /v1/objects/{B}/a%00b", Who.ALICE),
                refuse("GET /v1/files/by-path/{B}/a%0Db", Who.ALICE),
                refuse("PUT /v1/objects/{B}/a%FFb", Who.ALICE, "bytes"),
                refuse("PUT /v1/objects/{B}/a%C2%85b", Who.ALICE, "bytes"),
                refuse("PUT /v1/objects/{B}/a%ED%A0%80b", Who.ALICE, "bytes"),
                refuse("GET /v1/files?bucket={B}&prefix=a%00b", Who.ALICE),
                refuse("GET /v1/files?bucket={B}&prefix=%FF", Who.ALICE),
                refuse("POST /v1/files/presigned-url", Who.ALICE,
                        "{\"bucket\":\"{B}\",\"path\":\"a\\u0085b\",\"contentType\":\"text/plain\",\"size\":3}"),
                refuse("POST /v1/files/presigned-url", Who.ALICE,
                        "{\"bucket\":\"{B}\",\"path\":\"a/../x\",\"contentType\":\"text/plain\",\"size\":3}"),
                refuse("POST /storage/v1/object/{B}/a%00b", Who.ALICE, "bytes"),
                refuse("POST /v1/buckets", Who.ADMIN, "{\"name\":\".\"}"),
                refuse("POST /storage/v1/bucket", Who.ADMIN, "{\"name\":\"..\"}"),
                // JSON of the wrong shape or types
                refuse("POST /storage/v1/bucket", Who.ADMIN, "{\"name\":\"hostile-yes\",\"public\":\"yes\"}"),
                refuse("POST /storage/v1/object/list/{B}", Who.ALICE, "{\"limit\":\"10\"}"),
                refuse("POST /storage/v1/object/list/{B}", Who.ALICE, "{\"sortBy\":\"name\"}"),
                refuse("POST /storage/v1/object/list-v2/{B}", Who.ALICE, "{\"prefix\":5}"),
                refuse("POST /storage/v1/object/sign/{B}/ok.txt", Who.ALICE, "{\"expiresIn\":\"60\"}"),
                refuse("POST /storage/v1/object/sign/{B}", Who.ALICE, "{\"expiresIn\":60,\"paths\":\"x\"}"),
                refuse("POST /storage/v1/object/sign/{B}", Who.ALICE, "{\"expiresIn\":60,\"paths\":[1,2]}"),
                refuse("DELETE /storage/v1/object/{B}", Who.ALICE, "{\"prefixes\":\"x\"}"),
                refuse("POST /storage/v1/object/move", Who.ALICE, "{\"bucketId\":5,\"sourceKey\":\"ok.txt\",\"destinationKey\":\"y\"}"),
                refuse("POST /storage/v1/bucket", Who.ADMIN, "[]"),
                refuse("POST /v1/files/presigned-url", Who.ALICE, "[]"),
                refuse("POST /v1/files/presigned-url", Who.ALICE, "\"x\""),
                refuse("POST /v1/files/presigned-url", Who.ALICE,
                        "{\"bucket\":\"{B}\",\"path\":\"n.txt\",\"contentType\":\"text/plain\",\"size\":\"10\"}"),
                refuse("POST /v1/files", Who.ALICE, "{\"uploadId\":[]}"),
                refuse("POST /v1/buckets", Who.ADMIN, "{\"name\":5}"),
                refuse("POST /v1/buckets", Who.ADMIN, "{not json"),
                refuse("POST /v1/files/move", Who.ALICE, "{\"bucket\":\"{B}\",\"name\":true}"),
                refuse("POST /v1/files/copy", Who.ALICE, "{\"bucket\":\"{B}\",\"name\":\"ok.txt\",\"destinationName\":\"c.txt\",\"metadata\":\"x\"}"),
                refuse("POST /storage/v1/object/copy", Who.ALICE,
                        "{\"bucketId\":\"{B}\",\"sourceKey\":\"ok.txt\",\"destinationKey\":\"c.txt\"}", "x-metadata: %%% not base64"),
                // a copy onto itself rewrites only what its caller may write
                refuse("POST /storage/v1/object/copy", Who.ALICE, "{\"bucketId\":\"{V}\",\"sourceKey\":\"x\",\"destinationKey\":\"x\","
                        + "\"copyMetadata\":false,\"metadata\":{\"mimetype\":\"text/html\"}}"),
                refuse("HEAD /storage/v1/object/info/{B}/../{V}/x", Who.ALICE),
                refuse("GET /storage/v1/version/..", Who.NOBODY),
                // CDN purge: traversal, bad names, users and foreign tokens never publish a purge
                refuse("DELETE /storage/v1/cdn/{B}/a/../../{V}/x", Who.ADMIN),
                refuse("DELETE /storage/v1/cdn/{B}/a%00b", Who.ADMIN),
                refuse("DELETE /storage/v1/cdn/..", Who.ADMIN),
                refuse("DELETE /storage/v1/cdn/{B}/ok.txt", Who.ALICE),
                refuse("DELETE /storage/v1/cdn/", Who.ALICE),
                refuse("DELETE /storage/v1/cdn/{B}", Who.FOREIGN_AUDIENCE),
                refuse("DELETE /storage/v1/cdn/{B}/ok.txt", Who.NOBODY),
                // a signed render's transform of the wrong JSON types
                refuse("POST /storage/v1/object/sign/{B}/ok.txt", Who.ALICE, "{\"expiresIn\":60,\"transform\":{\"width\":\"wide\"}}"),
                refuse("POST /storage/v1/object/sign/{B}/ok.txt", Who.ALICE, "{\"expiresIn\":60,\"transform\":{\"gravity\":5}}"),
                refuse("GET /storage/v1/render/image/authenticated/{B}/ok.txt?width=10&gravity=fp&x_offset=9", Who.ALICE),
                // If-Match on the native PATCH and DELETEs: a stale tag changes nothing (412), another user's object
                // is still 404 whatever the tag, one that lists no tag is 400
                refuse("DELETE /v1/files/by-path/{B}/ok.txt", Who.ALICE, null, "If-Match: \"stale\""),
                refuse("DELETE /v1/files/by-path/{B}/ok.txt", Who.ALICE, null, "If-Match: W/\"stale\", \"also-stale\""),
                refuse("DELETE /v1/files/by-path/{B}/ok.txt", Who.ALICE, null, "If-Match: ,"),
                refuse("DELETE /v1/files/by-path/{V}/x", Who.ALICE, null, "If-Match: *"),
                refuse("PATCH /v1/files/00000000-0000-0000-0000-000000000000", Who.ALICE, "{\"tags\":[\"x\"]}", "If-Match: *"),
                refuse("DELETE /v1/files/by-path/{B}/ok.txt", Who.FOREIGN_AUDIENCE, null, "If-Match: *"),
                // quotas of the wrong JSON types or out of range; usage of others, of bad names, with foreign tokens
                refuse("POST /v1/buckets", Who.ADMIN, "{\"name\":\"hostile-quota\",\"maxBytes\":\"10\"}"),
                refuse("POST /v1/buckets", Who.ADMIN, "{\"name\":\"hostile-quota\",\"maxObjects\":-1}"),
                refuse("POST /v1/buckets", Who.ADMIN, "{\"name\":\"hostile-quota\",\"maxBytes\":1.5}"),
                refuse("POST /v1/buckets", Who.ADMIN, "{\"name\":\"hostile-quota\",\"maxBytes\":99999999999999999999999}"),
                refuse("POST /v1/buckets", Who.ADMIN, "{\"name\":\"hostile-quota\",\"maxObjects\":[1]}"),
                refuse("PATCH /v1/buckets/{B}", Who.ADMIN, "{\"maxBytes\":-5}"),
                refuse("PATCH /v1/buckets/{B}", Who.ADMIN, "{\"maxObjects\":true}"),
                refuse("PATCH /v1/buckets/{B}", Who.ADMIN, "{\"maxBytes\":1e30}"),
                refuse("PATCH /v1/buckets/{B}", Who.ADMIN, "{\"maxObjects\":{\"n\":1}}"),
                refuse("PATCH /v1/buckets/{B}", Who.ALICE, "{\"maxObjects\":0}"),
                refuse("GET /v1/buckets/{B}/usage", Who.ALICE),
                refuse("GET /v1/buckets/{B}/usage", Who.FOREIGN_AUDIENCE),
                refuse("GET /v1/buckets/{B}/usage", Who.NOBODY),
                refuse("GET /v1/buckets/../usage", Who.ADMIN),
                refuse("GET /v1/buckets/no-such-bucket-here/usage", Who.ADMIN),
                refuse("GET /v1/usage?owner=bob", Who.ALICE),
                refuse("GET /v1/usage?owner=a%00b", Who.ADMIN),
                refuse("GET /v1/usage", Who.FOREIGN_AUDIENCE),
                refuse("GET /v1/usage", Who.NOBODY),
                refuse("GET /v1/usage", Who.EMPTY_BEARER),
                // bad headers
                refuse("PUT /v1/objects/{B}/typed.txt", Who.ALICE, "bytes", "Content-Type: text/plain; charset=\""),
                refuse("GET /img/unsafe/0x0:99999999999x99999999999/100x100/{B}/ok.txt", Who.ALICE),
                refuse("GET /img/unsafe/99999999999x100/{B}/ok.txt", Who.ALICE),
                // foreign and look-alike credentials
                refuse("GET /v1/buckets", Who.FOREIGN_AUDIENCE),
                refuse("POST /v1/buckets", Who.FOREIGN_AUDIENCE, "{\"name\":\"hostile-foreign\"}"),
                refuse("GET /v1/objects/{B}/ok.txt", Who.FOREIGN_AUDIENCE),
                refuse("PUT /v1/objects/{B}/foreign.txt", Who.FOREIGN_AUDIENCE, "foreign"),
                refuse("GET /storage/v1/object/authenticated/{B}/ok.txt", Who.FOREIGN_AUDIENCE),
                refuse("POST /storage/v1/bucket", Who.FOREIGN_AUDIENCE, "{\"name\":\"hostile-foreign\"}"),
                refuse("GET /v1/buckets", Who.NO_AUDIENCE),
                refuse("GET /v1/public/{P}/x", Who.EMPTY_BEARER),
                refuse("GET /v1/public/{P}/x", Who.BASIC),
                refuse("GET /storage/v1/object/public/{P}/x", Who.BASIC),
                refuse("GET /img/unsafe/100x100/{P}/x", Who.EMPTY_BEARER),
                // resumable uploads (tus): traversal and encodings in the metadata's names, bad headers, wrong
                // JSON types, foreign tokens, a PATCH to an upload that is not the caller's
                refuse("POST /storage/v1/upload/resumable", Who.ALICE, null, TUS, "Upload-Length: 5",
                        "Upload-Metadata: bucketName b64({B}),objectName b64(a/../../{V}/x)"),
                refuse("POST /storage/v1/upload/resumable", Who.ALICE, null, TUS, "Upload-Length: 5",
                        "Upload-Metadata: bucketName b64({B}),objectName b64(a\\u0000b)"),
                refuse("POST /storage/v1/upload/resumable", Who.ALICE, null, TUS, "Upload-Length: 5",
                        "Upload-Metadata: bucketName b64(..),objectName b64(x)"),
                refuse("POST /storage/v1/upload/resumable", Who.ALICE, null, TUS, "Upload-Length: 5",
                        "Upload-Metadata: bucketName %%%,objectName b64(x)"),
                refuse("POST /storage/v1/upload/resumable", Who.ALICE, null, TUS, "Upload-Length: -5",
                        "Upload-Metadata: bucketName b64({B}),objectName b64(x)"),
                refuse("POST /storage/v1/upload/resumable", Who.ALICE, null, TUS, "Upload-Length: 99999999999999999999999",
                        "Upload-Metadata: bucketName b64({B}),objectName b64(x)"),
                refuse("POST /storage/v1/upload/resumable", Who.ALICE, null, TUS, "Upload-Length: 5",
                        "Upload-Metadata: bucketName b64({B}),objectName b64(x),metadata b64([1,2])"),
                refuse("POST /storage/v1/upload/resumable", Who.ALICE, null, TUS, "Upload-Length: 5",
                        "Upload-Metadata: bucketName b64({B}),objectName b64(x),contentType b64(not a type)"),
                refuse("POST /storage/v1/upload/resumable", Who.ALICE, null, "Tus-Resumable: 0.2.2", "Upload-Length: 5",
                        "Upload-Metadata: bucketName b64({B}),objectName b64(x)"),
                refuse("POST /storage/v1/upload/resumable", Who.FOREIGN_AUDIENCE, null, TUS, "Upload-Length: 5",
                        "Upload-Metadata: bucketName b64({B}),objectName b64(x)"),
                refuse("POST /v1/uploads/resumable", Who.NOBODY, null, TUS, "Upload-Length: 5",
                        "Upload-Metadata: bucketName b64({B}),objectName b64(x)"),
                refuse("POST /storage/v1/upload/resumable/sign", Who.NOBODY, null, TUS, "Upload-Length: 5",
                        "Upload-Metadata: bucketName b64({B}),objectName b64(x)", "x-signature: forged.token.value"),
                refuse("PATCH /storage/v1/upload/resumable/00000000-0000-0000-0000-000000000000", Who.ALICE, "bytes", TUS,
                        "Upload-Offset: 0", "Content-Type: application/offset+octet-stream"),
                refuse("PATCH /v1/uploads/resumable/..%2F..%2Fx", Who.ALICE, "bytes", TUS,
                        "Upload-Offset: 0", "Content-Type: application/offset+octet-stream"),
                refuse("HEAD /storage/v1/upload/resumable/not-an-id", Who.ALICE, null, TUS),
                refuse("DELETE /storage/v1/upload/resumable/00000000-0000-0000-0000-000000000000", Who.FOREIGN_AUDIENCE, null, TUS),
                // native signed URLs: wrong JSON types and ranges, 0 or 1,001 files, traversal and encodings in
                // names and ids, missing and foreign tokens, forged and misused link tokens: nothing signed or written
                refuse("POST /v1/files/abc/signed-url", Who.ALICE, "{\"expiresIn\":\"60\"}"),
                refuse("POST /v1/files/abc/signed-url", Who.ALICE, "{\"expiresIn\":-5}"),
                refuse("POST /v1/files/abc/signed-url", Who.ALICE, "{\"expiresIn\":99999999999}"),
                refuse("POST /v1/files/abc/signed-url", Who.ALICE, "{\"expiresIn\":60,\"download\":[]}"),
                refuse("POST /v1/files/abc/signed-url", Who.ALICE, "[]"),
                refuse("POST /v1/files/..%2F..%2Fbuckets/signed-url", Who.ALICE, "{\"expiresIn\":60}"),
                refuse("POST /v1/files/a%00b/signed-url", Who.ALICE, "{\"expiresIn\":60}"),
                refuse("POST /v1/files/no-such-file/signed-url", Who.ALICE, "{\"expiresIn\":60}"),
                refuse("POST /v1/files/abc/signed-url", Who.NOBODY, "{\"expiresIn\":60}"),
                refuse("POST /v1/files/abc/signed-url", Who.FOREIGN_AUDIENCE, "{\"expiresIn\":60}"),
                refuse("POST /v1/files/signed-urls", Who.ALICE, "{\"expiresIn\":60,\"ids\":[]}"),
                refuse("POST /v1/files/signed-urls", Who.ALICE, "{\"expiresIn\":60,\"ids\":[" + THOUSAND_AND_ONE + "]}"),
                refuse("POST /v1/files/signed-urls", Who.ALICE, "{\"expiresIn\":60,\"ids\":\"x\"}"),
                refuse("POST /v1/files/signed-urls", Who.ALICE, "{\"expiresIn\":60,\"ids\":[1]}"),
                refuse("POST /v1/files/signed-urls", Who.ALICE, "{\"expiresIn\":\"60\",\"ids\":[\"x\"]}"),
                refuse("POST /v1/files/signed-urls", Who.ALICE, "{\"expiresIn\":60,\"bucket\":\"..\",\"names\":[\"x\"]}"),
                refuse("POST /v1/files/signed-urls", Who.ALICE, "{\"expiresIn\":60,\"bucket\":\"{B}\",\"names\":\"x\"}"),
                refuse("POST /v1/files/signed-urls", Who.NOBODY, "{\"expiresIn\":60,\"ids\":[\"x\"]}"),
                refuse("POST /v1/files/signed-urls", Who.FOREIGN_AUDIENCE, "{\"expiresIn\":60,\"ids\":[\"x\"]}"),
                refuse("POST /v1/files/signed-upload-url", Who.ALICE, "{\"bucket\":\"{B}\",\"path\":\"a/../../{V}/x\",\"expiresIn\":60}"),
                refuse("POST /v1/files/signed-upload-url", Who.ALICE, "{\"bucket\":\"{B}\",\"path\":\"a\\u0000b\",\"expiresIn\":60}"),
                refuse("POST /v1/files/signed-upload-url", Who.ALICE, "{\"bucket\":\"..\",\"path\":\"x\",\"expiresIn\":60}"),
                refuse("POST /v1/files/signed-upload-url", Who.ALICE, "{\"bucket\":\"{B}\",\"path\":\"x\",\"expiresIn\":60,\"size\":\"5\"}"),
                refuse("POST /v1/files/signed-upload-url", Who.ALICE, "{\"bucket\":\"{B}\",\"path\":\"x\",\"expiresIn\":60,\"size\":-5}"),
                refuse("POST /v1/files/signed-upload-url", Who.ALICE, "{\"bucket\":\"{B}\",\"path\":\"x\",\"expiresIn\":0}"),
                refuse("POST /v1/files/signed-upload-url", Who.ALICE, "{\"bucket\":\"{B}\",\"path\":5,\"expiresIn\":60}"),
                refuse("POST /v1/files/signed-upload-url", Who.ALICE, "{\"bucket\":\"{B}\",\"path\":\"x\",\"expiresIn\":60,\"upsert\":\"true\"}"),
                refuse("POST /v1/files/signed-upload-url", Who.NOBODY, "{\"bucket\":\"{B}\",\"path\":\"x\",\"expiresIn\":60}"),
                refuse("POST /v1/files/signed-upload-url", Who.FOREIGN_AUDIENCE, "{\"bucket\":\"{B}\",\"path\":\"x\",\"expiresIn\":60}"),
                refuse("GET /v1/files/abc/public-url", Who.NOBODY),
                refuse("GET /v1/files/abc/public-url", Who.FOREIGN_AUDIENCE),
                refuse("GET /v1/files/a%00b/public-url", Who.ALICE),
                refuse("GET /v1/signed/{B}/ok.txt", Who.NOBODY),
                refuse("GET /v1/signed/{B}/ok.txt?token=forged.token.value", Who.NOBODY),
                refuse("HEAD /v1/signed/{B}/ok.txt?token=forged.token.value", Who.NOBODY),
                refuse("GET /v1/signed/{B}/../{V}/x?token=forged.token.value", Who.NOBODY),
                refuse("GET /v1/signed/{B}/a%00b?token=x", Who.NOBODY),
                refuse("PUT /v1/signed/{V}/x?token=forged.token.value", Who.NOBODY, "planted"),
                refuse("PUT /v1/signed/{B}/planted.txt", Who.ALICE, "planted"),
                refuse("PUT /v1/signed/{B}/a%2F..%2F..%2F{V}/x?token=x", Who.NOBODY, "planted"),
                // conditional requests that do not hold: 412, nothing replaced
                refuse("PUT /v1/objects/{B}/ok.txt", Who.ALICE, "replaced", "If-None-Match: *"),
                refuse("PUT /v1/objects/{B}/ok.txt", Who.ALICE, "replaced", "If-Match: \"not-its-etag\""),
                refuse("PUT /v1/objects/{B}/ok.txt", Who.ALICE, "replaced", "If-None-Match: \"an-etag\""),
                refuse("GET /v1/objects/{B}/ok.txt", Who.ALICE, null, "If-Match: \"not-its-etag\""),
                refuse("GET /v1/objects/{B}/ok.txt", Who.ALICE, null, "If-Unmodified-Since: Thu, 01 Jan 1970 00:00:00 GMT"),
                refuse("HEAD /v1/objects/{B}/ok.txt", Who.ALICE, null, "If-Match: \"not-its-etag\""),
                // the reconciler: administrators only, whatever the body or the token's audience
                refuse("POST /v1/admin/reconcile", Who.ALICE),
                refuse("POST /v1/admin/reconcile", Who.ALICE, "[]"),
                refuse("GET /v1/admin/reconcile", Who.ALICE),
                refuse("POST /v1/admin/reconcile", Who.NOBODY),
                refuse("POST /v1/admin/reconcile", Who.FOREIGN_AUDIENCE),
                refuse("POST /v1/admin/reconcile", Who.NO_AUDIENCE),
                refuse("GET /v1/admin/reconcile", Who.EMPTY_BEARER),
                refuse("POST /v1/admin/reconcile", Who.BASIC),
                refuse("POST /v1/admin/reconcile/..%2F..%2Fbuckets", Who.ADMIN),
                refuse("DELETE /v1/admin/reconcile", Who.ALICE),
                // requests the HTTP layer and the router refuse
                refuse("GET /v1/buckets HTTP/1.1 NOHOST", Who.ALICE),
                refuse("GET /nothing-here", Who.NOBODY),
                refuse("GET /q/metrics", Who.NOBODY),
                refuse("DELETE /storage/v1/nothing", Who.ALICE));
    }

    @BeforeAll
    static void platform() throws Exception {
        suite = StowageSuite.get();
        port = URI.create(suite.gatewayUrl()).getPort();
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        b = "hostile-" + suffix;
        v = "victim-" + suffix;
        p = "open-" + suffix;
        ok(call("POST /v1/buckets", Who.ADMIN, "{\"name\":\"" + b + "\"}"), 201);
        ok(call("POST /v1/buckets", Who.ADMIN, "{\"name\":\"" + v + "\"}"), 201);
        ok(call("POST /v1/buckets", Who.ADMIN, "{\"name\":\"" + p + "\",\"public\":true}"), 201);
        ok(call("PUT /v1/objects/{B}/ok.txt", Who.ALICE, "alice's own bytes"), 201);
        ok(RawHttp.send(port, head("PUT /v1/objects/{V}/x", "Bearer " + suite.identities().token("bob"), 6,
                List.of("Content-Type: text/plain")), "victim".getBytes(StandardCharsets.UTF_8), BOUND_MILLIS), 201);
        s3KeysBefore = s3Keys();
        bucketsBefore = ok(call("GET /v1/buckets", Who.ADMIN, null), 200).size();
    }

    @Order(1)
    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void refusesWithA4xxInTheErrorShapeWithinItsBound(Case c) throws Exception {
        RawHttp.Answer answer = call(c.request(), c.who(), c.body(), c.headers().toArray(String[]::new));
        assertTrue(answer.status() >= 400 && answer.status() < 500,
                c + " answered " + answer.status() + " " + answer.body() + " in " + answer.millis() + " ms");
        assertTrue(answer.millis() < BOUND_MILLIS, c + " took " + answer.millis() + " ms");
        if (!c.request().startsWith("HEAD ")) {
            JsonNode error = JSON.readTree(answer.body());
            assertTrue(error.has("statusCode") && error.has("error") && error.has("message"), c + " answered " + answer.body());
            assertEquals(String.valueOf(answer.status() == 400 && c.request().contains("/storage/v1/") ? error.get("statusCode").asText()
                    : answer.status()), error.get("statusCode").asText(), c + " answered " + answer.body());
        }
    }

    @Order(2)
    @Test
    void ignoresRangesAndDatesItCannotReadAndServesTheWholeObject() throws Exception {
        for (String header : List.of("Range: bytes=99999999999999999999-", "Range: bytes= 0-1", "Range: bytes=0x10-0x20",
                "Range: bytes=5-1", "If-Modified-Since: yesterday", "If-Unmodified-Since: 2024-13-45", "If-None-Match: garbage")) {
            RawHttp.Answer answer = call("GET /v1/objects/{B}/ok.txt", Who.ALICE, null, header);
            assertEquals(200, answer.status(), header + ": " + answer.body());
            assertEquals("alice's own bytes", answer.body(), header);
        }
        // a readable range is still served
        assertEquals(206, call("GET /v1/objects/{B}/ok.txt", Who.ALICE, null, "Range: bytes=0-6").status());
    }

    @Order(3)
    @Test
    void answersAnAbsoluteTargetAndANullSortAsOrdinaryRequests() throws Exception {
        RawHttp.Answer absolute = call("GET http://127.0.0.1:" + port + "/v1/objects/{B}/ok.txt", Who.ALICE, null);
        assertEquals(200, absolute.status(), absolute.body());
        assertEquals("alice's own bytes", absolute.body());
        RawHttp.Answer listed = call("POST /storage/v1/object/list/{B}", Who.ALICE, "{\"sortBy\":null,\"prefix\":\"\"}");
        assertEquals(200, listed.status(), listed.body());
    }

    @Order(4)
    @Test
    void refusalsOfCallersInputNeverOpenTheCircuitForEveryoneElse() throws Exception {
        for (int i = 0; i < 12; i++) {
            call("GET /v1/public/{P}/a%00b", Who.NOBODY, null);
            call("GET /v1/objects/{B}/missing-" + i, Who.ALICE, null);
            call("GET /v1/buckets/no-such-bucket-" + i, Who.ALICE, null);
        }
        RawHttp.Answer answer = call("GET /v1/objects/{B}/ok.txt", Who.ALICE, null);
        assertEquals(200, answer.status(), answer.body());
    }

    @Order(5)
    @Test
    void signingAnUpsertTellsNothingOfAnotherUsersPrivateObjectAndCannotOverwriteIt() throws Exception {
        RawHttp.Answer missing = call("POST /storage/v1/object/upload/sign/{V}/nothing-here", Who.ALICE, "{}", "x-upsert: true");
        RawHttp.Answer existing = call("POST /storage/v1/object/upload/sign/{V}/x", Who.ALICE, "{}", "x-upsert: true");
        assertEquals(missing.status(), existing.status(), "an existing private object answers as a missing one: " + existing.body());
        assertEquals(200, existing.status(), existing.body());
        // the token is create-only: its upload meets the existing name as any create does
        String url = JSON.readTree(existing.body()).get("url").asText();
        RawHttp.Answer overwrite = call("PUT /storage/v1" + url, Who.NOBODY, "overwritten", "x-upsert: true");
        assertEquals(400, overwrite.status(), overwrite.body());
        assertEquals("409", JSON.readTree(overwrite.body()).get("statusCode").asText(), overwrite.body());
    }

    @Order(6)
    @Test
    void nothingWasWrittenAnywhere() throws Exception {
        assertEquals(bucketsBefore, ok(call("GET /v1/buckets", Who.ADMIN, null), 200).size(), "no bucket was created");
        JsonNode victims = ok(call("GET /v1/files?bucket={V}", Who.ADMIN, null), 200).get("items");
        assertEquals(1, victims.size(), victims.toString());
        assertEquals("x", victims.get(0).get("name").asText());
        RawHttp.Answer victim = RawHttp.send(port, head("GET /v1/objects/{V}/x", "Bearer " + suite.identities().token("bob"), -1,
                List.of()), null, BOUND_MILLIS);
        assertEquals("victim", victim.body());
        JsonNode own = ok(call("GET /v1/files?bucket={B}", Who.ADMIN, null), 200).get("items");
        assertEquals(1, own.size(), own.toString());
        assertEquals(0, ok(call("GET /v1/files?bucket={P}", Who.ADMIN, null), 200).get("items").size());
        // keys may go meanwhile (upload-service's sweep settles other tests' orphans): none may appear
        java.util.Set<String> appeared = new java.util.TreeSet<>(s3Keys());
        appeared.removeAll(s3KeysBefore);
        assertEquals(java.util.Set.of(), appeared, "no blob or upload record was left in S3");
    }

    // ---------------------------------------------------------------- plumbing

    private static RawHttp.Answer call(String request, Who who, String body, String... headers) throws Exception {
        byte[] bytes = body == null ? null : names(body).getBytes(StandardCharsets.UTF_8);
        List<String> extra = new ArrayList<>(List.of(headers));
        if (bytes != null && extra.stream().noneMatch(h -> h.startsWith("Content-Type"))) {
            extra.add(body.startsWith("{") || body.startsWith("[") || body.startsWith("\"") ? "Content-Type: application/json"
                    : "Content-Type: text/plain");
        }
        return RawHttp.send(port, head(request, authorization(who), bytes == null ? -1 : bytes.length, extra), bytes, BOUND_MILLIS);
    }

    private static String head(String request, String authorization, int length, List<String> headers) {
        boolean noHost = request.endsWith(" NOHOST");
        String line = names(noHost ? request.substring(0, request.length() - " NOHOST".length()) : request);
        StringBuilder head = new StringBuilder(line.contains(" HTTP/") ? line : line + " HTTP/1.1");
        if (!noHost) {
            head.append("\nHost: 127.0.0.1:").append(port);
        }
        if (authorization != null) {
            head.append("\nAuthorization: ").append(authorization);
        }
        if (length >= 0) {
            head.append("\nContent-Length: ").append(length);
        }
        headers.forEach(h -> head.append('\n').append(names(h)));
        head.append("\nConnection: close");
        return head.toString();
    }

    private static String authorization(Who who) {
        return switch (who) {
            case NOBODY -> null;
            case ALICE -> "Bearer " + suite.identities().token("alice");
            case ADMIN -> "Bearer " + suite.identities().token("root");
            case FOREIGN_AUDIENCE -> "Bearer " + SharedInfra.issuer().mintForAudience("root", Set.of("storage-admin"), "another-app");
            case NO_AUDIENCE -> "Bearer " + SharedInfra.issuer().mintForAudience("root", Set.of("storage-admin"), null);
            case EMPTY_BEARER -> "Bearer ";
            case BASIC -> "Basic YWxpY2U6c2VjcmV0";
        };
    }

    /** The buckets' names in place of {B}, {V}, {P}; and {@code b64(text)} as the base64 of the text (tus metadata). */
    private static String names(String text) {
        String named = text.replace("{B}", b).replace("{V}", v).replace("{P}", p);
        java.util.regex.Matcher encoded = java.util.regex.Pattern.compile("b64\\(([^)]*)\\)").matcher(named);
        StringBuilder out = new StringBuilder();
        while (encoded.find()) {
            String plain = encoded.group(1).replace("\\u0000", "\u0000");
            encoded.appendReplacement(out, java.util.Base64.getEncoder().encodeToString(plain.getBytes(StandardCharsets.UTF_8)));
        }
        return encoded.appendTail(out).toString();
    }

    private static JsonNode ok(RawHttp.Answer answer, int status) throws Exception {
        assertEquals(status, answer.status(), answer.body());
        return JSON.readTree(answer.body());
    }

    /** The keys in S3, but the sweeps' own bookkeeping ({@code sweeper/}), which they rewrite at any time. */
    private static java.util.Set<String> s3Keys() {
        return suite.s3().client().listObjectsV2Paginator(r -> r.bucket(suite.s3().bucket())).contents().stream()
                .map(software.amazon.awssdk.services.s3.model.S3Object::key)
                .filter(key -> !key.startsWith("sweeper/"))
                .collect(java.util.stream.Collectors.toSet());
    }
}
