package io.stowage.gateway;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.stowage.infra.SharedInfra;
import io.stowage.infra.TokenIssuer;
import io.stowage.infra.quarkus.OidcResource;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(OidcResource.class)
@WithTestResource(UpstreamStub.class)
class GatewayRoutingTest {

    private static String alice() {
        return SharedInfra.issuer().mint("alice", Set.of());
    }

    @Test
    void refusesACallerWithoutATokenInTheErrorShape() {
        given().get("/v1/buckets")
                .then().statusCode(401)
                .body("statusCode", equalTo(401))
                .body("error", equalTo("Unauthorized"))
                .body("message", notNullValue());
    }

    @Test
    void refusesATokenSignedWithAnotherKey() throws Exception {
        TokenIssuer forger = TokenIssuer.offline(Files.createTempDirectory("forger"), SharedInfra.issuer().issuer());
        given().auth().oauth2(forger.mint("mallory", Set.of("storage-admin")))
                .get("/v1/buckets")
                .then().statusCode(401).body("error", equalTo("Unauthorized"));
    }

    @Test
    void refusesAnExpiredToken() {
        String expired = SharedInfra.issuer().mint("alice", Set.of(), Instant.now().minus(Duration.ofHours(2)), Duration.ofMinutes(5));
        given().auth().oauth2(expired)
                .get("/v1/buckets")
                .then().statusCode(401).body("error", equalTo("Unauthorized"));
    }

    @Test
    void refusesGarbageInsteadOfAToken() {
        given().header("Authorization", "Bearer not.a.jwt")
                .get("/v1/buckets")
                .then().statusCode(401).body("error", equalTo("Unauthorized"));
    }

    @Test
    void refusesATokenIssuedForAnotherAudience() {
        given().auth().oauth2(SharedInfra.issuer().mintForAudience("alice", Set.of("storage-admin"), "another-app"))
                .get("/v1/buckets")
                .then().statusCode(401).body("error", equalTo("Unauthorized"));
        given().auth().oauth2(SharedInfra.issuer().mintForAudience("alice", Set.of(), null))
                .get("/v1/public/photos/a.png")
                .then().statusCode(401).body("error", equalTo("Unauthorized"));
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"Bearer ", "Bearer", "Basic YWxpY2U6c2VjcmV0", "Token abc", "Bearer a b"})
    void refusesAnAuthorizationHeaderThatIsNotABearerTokenEvenOnPublicRoutes(String authorization) {
        given().header("Authorization", authorization)
                .get("/v1/public/photos/a.png")
                .then().statusCode(401).body("error", equalTo("Unauthorized"));
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {
            "/v1/objects/photos/a/../../private/x", "/v1/objects/photos/%2e%2e/private/x", "/v1/public/photos/a%00b",
            "/v1/public/photos/a%FFb", "/v1/files/by-path/photos/a/%2E%2E/%2E%2E/private/x", "/storage/v1/object/photos/../private/y",
            "/storage/v1/object/info/photos/a%C2%85b", "/img/unsafe/300x200/photos/%2e%2e/x.png"})
    void refusesPathsThatLeaveTheirBucketOrBreakTheNameRulesBeforeAnyService(String path) {
        UpstreamStub.LAST.clear();
        given().auth().oauth2(alice()).urlEncodingEnabled(false)
                .get(path)
                .then().statusCode(400).body("error", org.hamcrest.Matchers.startsWith("Invalid"));
        assertEquals(java.util.Map.of(), UpstreamStub.LAST, "no service was called");
    }

    @Test
    void forwardsTheCheckedReEncodedPathNeverTheRawOne() {
        given().auth().oauth2(alice()).urlEncodingEnabled(false)
                .delete("/v1/files/by-path/photos/caf%C3%A9/%61%20b")
                .then().statusCode(201);
        assertEquals(true, UpstreamStub.LAST.get("metadata").startsWith("DELETE /metadata/v1/files/by-path/photos/caf%C3%A9/a%20b "),
                UpstreamStub.LAST.get("metadata"));
    }

    @Test
    void forwardsBucketCallsToMetadataWithTheCallersTokenBodyAndRequestId() {
        given().auth().oauth2(alice()).header("X-Request-Id", "req-123").contentType("application/json")
                .body("{\"name\":\"photos\"}")
                .post("/v1/buckets")
                .then().statusCode(201)
                .header("X-Request-Id", "req-123")
                .body("upstream", equalTo("metadata"));
        assertEquals("POST /metadata/v1/buckets auth=true rid=req-123 body={\"name\":\"photos\"}", UpstreamStub.LAST.get("metadata"));
    }

    @Test
    void forwardsUploadStepsToUploadService() {
        given().auth().oauth2(alice()).contentType("application/json")
                .body("{\"bucket\":\"photos\",\"path\":\"a.png\",\"contentType\":\"image/png\",\"size\":3}")
                .post("/v1/files/presigned-url")
                .then().statusCode(201).body("upstream", equalTo("upload"));
        assertEquals(true, UpstreamStub.LAST.get("upload").startsWith("POST /upload/v1/files/presigned-url auth=true"));
    }

    @Test
    void forwardsFileReadsAndDeletesToMetadata() {
        given().auth().oauth2(alice()).delete("/v1/files/0b6f8a9e-1c2d-4e5f-8a9b-0c1d2e3f4a5b")
                .then().statusCode(201).body("upstream", equalTo("metadata"));
        assertEquals(true, UpstreamStub.LAST.get("metadata").startsWith("DELETE /metadata/v1/files/0b6f8a9e-1c2d-4e5f-8a9b-0c1d2e3f4a5b auth=true"));
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({
            "GET,/v1/files?bucket=photos&prefix=a%2F,metadata,/metadata/v1/files",
            "POST,/v1/files/move,metadata,/metadata/v1/files/move",
            "POST,/v1/files/copy,metadata,/metadata/v1/files/copy",
            "POST,/v1/files/delete,metadata,/metadata/v1/files/delete",
            "PATCH,/v1/files/0b6f8a9e,metadata,/metadata/v1/files/0b6f8a9e",
            "GET,/v1/files/0b6f8a9e/versions,metadata,/metadata/v1/files/0b6f8a9e/versions",
            "GET,/v1/files/by-path/photos/a%20b/c.png,metadata,/metadata/v1/files/by-path/photos/a%20b/c.png",
            "PATCH,/v1/buckets/photos,metadata,/metadata/v1/buckets/photos",
            "POST,/v1/buckets/photos/empty,metadata,/metadata/v1/buckets/photos/empty",
            "GET,/v1/jobs/42,metadata,/metadata/v1/jobs/42",
            "POST,/v1/files/multipart/init,upload,/upload/v1/files/multipart/init",
            "GET,/v1/files/multipart/u-1/parts,upload,/upload/v1/files/multipart/u-1/parts",
            "PUT,/v1/objects/photos/a%20b/c.png,upload,/upload/v1/objects/photos/a%20b/c.png",
            "GET,/img/unsafe/300x200/photos/c.png,image,/image/img/unsafe/300x200/photos/c.png",
            "GET,/storage/v1/render/image/public/photos/c.png?width=100,image,/image/render/image/public/photos/c.png"
    })
    void routesEachApiPathToTheServiceThatOwnsIt(String method, String path, String upstream, String seenPath) {
        given().urlEncodingEnabled(false).auth().oauth2(alice()).contentType("application/json").body(method.equals("GET") ? "" : "{}")
                .request(method, path)
                .then().statusCode(201).body("upstream", equalTo(upstream));
        String seen = UpstreamStub.LAST.get(upstream);
        assertEquals(method + " " + seenPath, seen.substring(0, seen.indexOf(" auth=")));
    }

    @Test
    void streamsADirectUploadOfAnySizePastTheApiBodyLimit() {
        byte[] body = new byte[3 * 1024 * 1024];
        java.util.Arrays.fill(body, (byte) 'x');
        given().auth().oauth2(alice()).contentType("application/octet-stream").body(body)
                .put("/v1/objects/photos/big.bin")
                .then().statusCode(201).body("upstream", equalTo("upload"));
        assertEquals(true, UpstreamStub.LAST.get("upload").endsWith("x".repeat(100)));
        assertEquals(body.length + "".length(), UpstreamStub.LAST.get("upload").length()
                - UpstreamStub.LAST.get("upload").indexOf(" body=") - " body=".length());
    }

    @Test
    void streamsTheFileOfASupabaseFormWithTheFieldsBeforeItAsHeaders() {
        String boundary = "----form-boundary-7MA4YWxkTrZu0gW";
        // file content with decoys of the delimiter, long enough to arrive in many chunks
        StringBuilder file = new StringBuilder();
        for (int i = 0; file.length() < 1024 * 1024; i++) {
            file.append("line ").append(i).append("\r\n--").append(boundary, 0, 10).append("\r\n-\r\n");
        }
        String form = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"cacheControl\"\r\n\r\n120\r\n"
                + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"metadata\"\r\n\r\n{\"k\":\"v\"}\r\n"
                + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"\"; filename=\"blob\"\r\n"
                + "Content-Type: text/plain\r\n\r\n" + file + "\r\n"
                + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"\"; filename=\"second\"\r\n\r\nignored\r\n"
                + "--" + boundary + "--\r\n";
        given().auth().oauth2(alice()).contentType("multipart/form-data; boundary=" + boundary)
                .body(form.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .post("/storage/v1/object/photos/forms/note.txt")
                .then().statusCode(200);
        String seen = UpstreamStub.LAST.get("upload");
        assertEquals(file.toString(), seen.substring(seen.indexOf(" body=") + " body=".length()));
        assertEquals("cache=max-age=120 meta=" + java.util.Base64.getEncoder().encodeToString("{\"k\":\"v\"}".getBytes())
                + " type=text/plain", UpstreamStub.HEADERS.get("upload"));
    }

    @Test
    void refusesASupabaseFormWithoutAFileOrWithMetadataThatIsNotAnObject() {
        String boundary = "b0undary";
        given().auth().oauth2(alice()).contentType("multipart/form-data; boundary=" + boundary)
                .body(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"cacheControl\"\r\n\r\n60\r\n--" + boundary
                        + "--\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .post("/storage/v1/object/photos/forms/empty.txt")
                .then().statusCode(400).body("statusCode", equalTo("400"));
        given().auth().oauth2(alice()).contentType("multipart/form-data; boundary=" + boundary)
                .body(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"metadata\"\r\n\r\n[1]\r\n--" + boundary
                        + "\r\nContent-Disposition: form-data; name=\"\"; filename=\"b\"\r\n\r\nx\r\n--" + boundary + "--\r\n")
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .post("/storage/v1/object/photos/forms/bad.txt")
                .then().statusCode(400).body("statusCode", equalTo("400"));
    }

    @Test
    void answersSupabaseRoutesInSupabasesErrorShape() {
        // no Authorization at all: Supabase names the missing header
        given().get("/storage/v1/bucket")
                .then().statusCode(400)
                .body("statusCode", equalTo("400"))
                .body("error", equalTo("Error"))
                .body("message", equalTo("headers must have required property 'authorization'"));
        // a token it refuses
        given().auth().oauth2("not.a.token").get("/storage/v1/bucket")
                .then().statusCode(400)
                .body("statusCode", equalTo("403"))
                .body("error", equalTo("Unauthorized"));
        // every storage error that is not a server failure is HTTP 400, the real status in the body
        given().auth().oauth2(alice()).get("/storage/v1/nothing")
                .then().statusCode(400).body("statusCode", equalTo("404"));
    }

    @Test
    void answersUnknownRoutesWith404InTheErrorShape() {
        given().auth().oauth2(alice()).get("/v1/nothing-here")
                .then().statusCode(404).body("error", equalTo("NotFound"));
    }

    @Test
    void publishesTheOpenApiDocumentOfThePublicApiWithSwaggerUi() {
        given().accept("application/json").get("/q/openapi")
                .then().statusCode(200)
                .body("paths.'/v1/files/presigned-url'.post.summary", notNullValue())
                .body("paths.'/v1/objects/{bucket}/{path}'.get.tags[0]", equalTo("downloads"))
                .body("paths.'/storage/v1/bucket'.get.tags[0]", equalTo("supabase"));
        given().get("/q/swagger-ui/").then().statusCode(200);
    }

    @TestHTTPResource(value = "/health/ready", management = true)
    java.net.URL managementReady;

    @TestHTTPResource(value = "/metrics", management = true)
    java.net.URL managementMetrics;

    @Test
    void reportsHealthAndMetricsOnTheManagementInterfaceOnly() {
        given().get(managementReady).then().statusCode(200).body("status", equalTo("UP"));
        given().get(managementMetrics).then().statusCode(200);
        // the public port serves neither: metrics name buckets and objects
        given().get("/q/metrics").then().statusCode(404).body("error", equalTo("NotFound"));
        given().get("/q/health/ready").then().statusCode(404).body("error", equalTo("NotFound"));
    }
}
