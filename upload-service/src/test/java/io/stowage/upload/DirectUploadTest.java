package io.stowage.upload;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.stowage.infra.SharedInfra;
import io.stowage.infra.quarkus.KafkaResource;
import io.stowage.infra.quarkus.OidcResource;
import io.stowage.infra.quarkus.S3Resource;
import io.stowage.upload.pending.PendingUploads;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static io.stowage.upload.CatalogStubs.json;
import static io.stowage.upload.CatalogStubs.token;
import static io.stowage.upload.UploadPathFixtures.FILE;
import static io.stowage.upload.UploadPathFixtures.HTTP;
import static io.stowage.upload.UploadPathFixtures.JSON;
import static io.stowage.upload.UploadPathFixtures.MIB;
import static io.stowage.upload.UploadPathFixtures.awaitTrue;
import static io.stowage.upload.UploadPathFixtures.blobs;
import static io.stowage.upload.UploadPathFixtures.multipartUploadsUnder;
import static io.stowage.upload.UploadPathFixtures.pattern;
import static io.stowage.upload.UploadPathFixtures.pendingRecords;
import static io.stowage.upload.UploadPathFixtures.physicalBucket;
import static io.stowage.upload.UploadPathFixtures.png;
import static io.stowage.upload.UploadPathFixtures.s3;
import static io.stowage.upload.UploadPathFixtures.sha256;
import static io.stowage.upload.UploadPathFixtures.stubCatalog;
import static io.stowage.upload.UploadPathFixtures.uri;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The direct streamed upload ({@code PUT /v1/objects/{bucket}/{path}}): registration, on a user's behalf,
 * metadata, preconditions, limits, types and a client that disconnects.
 * Against the real S3 server (SigV4-checking S3Proxy), the real Kafka broker and the real token issuer;
 * metadata-service is a WireMock stub. Shares one application start with every test of the same resources.
 */
@QuarkusTest
@WithTestResource(S3Resource.class)
@WithTestResource(OidcResource.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(UpstreamsResource.class)
class DirectUploadTest {

    @InjectWireMock
    WireMockServer metadata;

    @BeforeEach
    void buckets() {
        stubCatalog(metadata);
    }

    @Test
    void streamsADirectUploadAndRegistersItCreateOnly() throws Exception {
        String alice = token("alice");
        byte[] png = png(500);
        HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(uri("/v1/objects/photos/cats/tom%20%2B%20jerry.png"))
                .header("Authorization", "Bearer " + alice).header("Content-Type", "image/png").header("If-None-Match", "*")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(png)).build(), HttpResponse.BodyHandlers.ofString());

        assertEquals(201, answer.statusCode(), answer.body());
        assertEquals(JSON.readTree(FILE), JSON.readTree(answer.body()));
        var registered = metadata.findAll(postRequestedFor(urlEqualTo("/internal/objects")));
        assertEquals(1, registered.size());
        var body = JSON.readTree(registered.get(0).getBodyAsString());
        assertEquals("cats/tom + jerry.png", body.get("name").asText());
        assertEquals("photos", body.get("bucket").asText());
        assertEquals(png.length, body.get("size").asLong());
        assertEquals("image/png", body.get("contentType").asText());
        assertTrue(body.get("notExists").asBoolean());
        assertEquals("*", body.get("ifNoneMatch").asText());
        assertFalse(body.has("overwrite"));
        // the owner is the token's subject, which metadata-service takes itself
        assertFalse(body.has("owner"));
        assertEquals("Bearer " + alice, registered.get(0).getHeader("Authorization"));
        String blobKey = body.get("blobKey").asText();
        assertArrayEquals(png, s3.getObjectAsBytes(r -> r.bucket(physicalBucket).key(blobKey)).asByteArray());
        assertEquals(body.get("etag").asText(), s3.headObject(r -> r.bucket(physicalBucket).key(blobKey)).eTag().replace("\"", ""));
        // the guard record of the upload is gone once it is registered
        assertThrows(NoSuchKeyException.class, () -> s3.headObject(r -> r.bucket(physicalBucket)
                .key(PendingUploads.key(body.get("uploadId").asText()))));
    }

    @Test
    void aStowageServiceUploadsOnAUsersBehalfAndTheRegistrationNamesTheUser() throws Exception {
        String gateway = SharedInfra.issuer().mintService("stowage-gateway");
        byte[] png = png(400);
        HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(uri("/v1/objects/photos/signed/upload.png"))
                .header("Authorization", "Bearer " + gateway).header("X-Stowage-Owner", "alice")
                .header("Content-Type", "image/png").PUT(HttpRequest.BodyPublishers.ofByteArray(png)).build(),
                HttpResponse.BodyHandlers.ofString());

        assertEquals(201, answer.statusCode(), answer.body());
        var registered = metadata.findAll(postRequestedFor(urlEqualTo("/internal/objects")));
        assertEquals(1, registered.size());
        var body = JSON.readTree(registered.get(0).getBodyAsString());
        assertEquals("alice", body.get("owner").asText());
        assertEquals("signed/upload.png", body.get("name").asText());
        // the service's own token goes on: metadata-service checks that the caller may name an owner
        assertEquals("Bearer " + gateway, registered.get(0).getHeader("Authorization"));
        String blobKey = body.get("blobKey").asText();
        assertArrayEquals(png, s3.getObjectAsBytes(r -> r.bucket(physicalBucket).key(blobKey)).asByteArray());
    }

    @Test
    void aSupabaseServiceKeyUploadsAndAnAnonKeyMayNot() throws Exception {
        String serviceKey = SharedInfra.issuer().mintSupabaseStyle(null, "service_role");
        HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(uri("/v1/objects/docs/keys/by-service.txt"))
                .header("Authorization", "Bearer " + serviceKey).header("Content-Type", "text/plain")
                .PUT(HttpRequest.BodyPublishers.ofString("by the service key")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, answer.statusCode(), answer.body());
        var registered = metadata.findAll(postRequestedFor(urlEqualTo("/internal/objects")));
        assertEquals("Bearer " + serviceKey, registered.get(0).getHeader("Authorization"));
        // metadata-service names the owner from the key itself
        assertFalse(JSON.readTree(registered.get(0).getBodyAsString()).has("owner"));

        String anonKey = SharedInfra.issuer().mintSupabaseStyle(null, "anon");
        Set<String> before = blobs();
        answer = HTTP.send(HttpRequest.newBuilder(uri("/v1/objects/docs/keys/by-anon.txt"))
                .header("Authorization", "Bearer " + anonKey).header("Content-Type", "text/plain")
                .PUT(HttpRequest.BodyPublishers.ofString("by the anon key")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(401, answer.statusCode(), answer.body());
        given().auth().oauth2(anonKey).contentType(ContentType.JSON)
                .body(Map.of("bucket", "docs", "path", "keys/anon.txt", "contentType", "text/plain", "size", 5))
                .when().post("/v1/files/presigned-url").then().statusCode(401);
        assertEquals(before, blobs());
    }

    @Test
    void passesCacheControlAndTheUsersMetadataOnToTheRegistration() throws Exception {
        String metadataJson = "{\"origin\":\"form\",\"n\":1}";
        HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(uri("/v1/objects/docs/meta/note.txt"))
                .header("Authorization", "Bearer " + token("alice")).header("Content-Type", "text/plain")
                .header("Cache-Control", "max-age=120")
                .header("X-Stowage-Metadata", java.util.Base64.getEncoder().encodeToString(metadataJson.getBytes(StandardCharsets.UTF_8)))
                .PUT(HttpRequest.BodyPublishers.ofString("with metadata")).build(), HttpResponse.BodyHandlers.ofString());

        assertEquals(201, answer.statusCode(), answer.body());
        var body = JSON.readTree(metadata.findAll(postRequestedFor(urlEqualTo("/internal/objects"))).get(0).getBodyAsString());
        assertEquals("max-age=120", body.get("cacheControl").asText());
        assertEquals(JSON.readTree(metadataJson), body.get("metadata"));
    }

    @Test
    void refusesMetadataThatIsNotBase64OfAJsonObjectBeforeWritingAnything() throws Exception {
        Set<String> before = blobs();
        for (String bad : List.of("%%% not base64", java.util.Base64.getEncoder().encodeToString("[1,2]".getBytes(StandardCharsets.UTF_8)),
                java.util.Base64.getEncoder().encodeToString("{not json".getBytes(StandardCharsets.UTF_8)))) {
            HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(uri("/v1/objects/docs/meta/bad.txt"))
                    .header("Authorization", "Bearer " + token("alice")).header("Content-Type", "text/plain")
                    .header("X-Stowage-Metadata", bad)
                    .PUT(HttpRequest.BodyPublishers.ofString("bad metadata")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(400, answer.statusCode(), bad + ": " + answer.body());
            assertEquals("InvalidRequest", JSON.readTree(answer.body()).get("error").asText());
        }
        metadata.verify(0, postRequestedFor(urlEqualTo("/internal/objects")));
        assertEquals(before, blobs());
    }

    @Test
    void anOwnerHeaderFromAUserOrAnAdminIsForbiddenAndNothingIsWritten() throws Exception {
        Set<String> before = blobs();
        Set<String> pendingBefore = pendingRecords();
        for (String caller : List.of(token("bob"), SharedInfra.issuer().mint("root", Set.of("storage-admin")))) {
            HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(uri("/v1/objects/photos/planted.png"))
                    .header("Authorization", "Bearer " + caller).header("X-Stowage-Owner", "alice")
                    .header("Content-Type", "image/png").PUT(HttpRequest.BodyPublishers.ofByteArray(png(2 * MIB))).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertEquals(403, answer.statusCode(), answer.body());
            var error = JSON.readTree(answer.body());
            assertEquals(403, error.get("statusCode").asInt());
            assertEquals("Forbidden", error.get("error").asText());
            assertTrue(error.get("message").asText().contains("X-Stowage-Owner"));
        }
        metadata.verify(0, postRequestedFor(urlEqualTo("/internal/objects")));
        assertEquals(before, blobs());
        assertEquals(pendingBefore, pendingRecords());
        assertEquals(0, multipartUploadsUnder("blobs/"));
    }

    @Test
    void streamsABodyWithoutContentLengthInPartsAndPassesIfMatchOn() throws Exception {
        long size = 20L * MIB + 123;
        HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(uri("/v1/objects/docs/streams/raw.bin"))
                .header("Authorization", "Bearer " + token("alice")).header("Content-Type", "application/octet-stream")
                .header("If-Match", "\"etag-1\"")
                .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> new PatternStream(size))).build(),
                HttpResponse.BodyHandlers.ofString());

        assertEquals(201, answer.statusCode(), answer.body());
        var body = JSON.readTree(metadata.findAll(postRequestedFor(urlEqualTo("/internal/objects"))).get(0).getBodyAsString());
        assertEquals("etag-1", body.get("ifMatch").asText());
        assertEquals(size, body.get("size").asLong());
        String blobKey = body.get("blobKey").asText();
        // a multipart blob (etag "...-3"): 8 MiB parts
        assertTrue(body.get("etag").asText().endsWith("-3"), body.get("etag").asText());
        try (InputStream stored = s3.getObject(r -> r.bucket(physicalBucket).key(blobKey))) {
            assertArrayEquals(sha256(new PatternStream(size)), sha256(stored));
        }
    }

    @Test
    void aRefusedPreconditionLeavesNoBlob() throws Exception {
        metadata.stubFor(post(urlEqualTo("/internal/objects")).willReturn(json(412,
                "{\"statusCode\":412,\"error\":\"PreconditionFailed\",\"message\":\"etag does not match\"}")));
        Set<String> before = blobs();
        HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(uri("/v1/objects/docs/cond.txt"))
                .header("Authorization", "Bearer " + token("alice")).header("Content-Type", "text/plain")
                .header("If-Match", "old").PUT(HttpRequest.BodyPublishers.ofString("new text")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertEquals(412, answer.statusCode());
        assertEquals("PreconditionFailed", JSON.readTree(answer.body()).get("error").asText());
        assertEquals(before, blobs());
    }

    @Test
    void refusesADirectUploadOverTheLimitEarlyOrWhenTheStreamPassesIt() throws Exception {
        Set<String> before = blobs();
        HttpResponse<String> announced = HTTP.send(HttpRequest.newBuilder(uri("/v1/objects/small/big.bin"))
                .header("Authorization", "Bearer " + token("alice")).header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(new byte[MIB + 1])).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(413, announced.statusCode());
        assertEquals("PayloadTooLarge", JSON.readTree(announced.body()).get("error").asText());

        HttpResponse<String> streamed = HTTP.send(HttpRequest.newBuilder(uri("/v1/objects/small/big.bin"))
                .header("Authorization", "Bearer " + token("alice")).header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> new PatternStream(3L * MIB))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(413, streamed.statusCode());

        metadata.verify(0, postRequestedFor(urlEqualTo("/internal/objects")));
        awaitTrue(() -> blobs().equals(before), "no blob stays behind");

        // the JSON routes keep a small body limit of their own
        HttpResponse<String> hugeJson = HTTP.send(HttpRequest.newBuilder(uri("/v1/files/presigned-url"))
                .header("Authorization", "Bearer " + token("alice")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[2 * MIB])).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(413, hugeJson.statusCode());
    }

    @Test
    void refusesWrongAndDisguisedTypesOnADirectUpload() throws Exception {
        Set<String> before = blobs();
        HttpResponse<String> wrongType = HTTP.send(HttpRequest.newBuilder(uri("/v1/objects/photos/a.txt"))
                .header("Authorization", "Bearer " + token("alice")).header("Content-Type", "text/plain")
                .PUT(HttpRequest.BodyPublishers.ofString("text")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(415, wrongType.statusCode());
        assertEquals("InvalidMimeType", JSON.readTree(wrongType.body()).get("error").asText());

        HttpResponse<String> disguised = HTTP.send(HttpRequest.newBuilder(uri("/v1/objects/photos/evil.png"))
                .header("Authorization", "Bearer " + token("alice")).header("Content-Type", "image/png")
                .PUT(HttpRequest.BodyPublishers.ofString("MZ\u0090\u0000 this is an executable, not a PNG")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(422, disguised.statusCode());
        assertEquals("UploadMismatch", JSON.readTree(disguised.body()).get("error").asText());

        HttpResponse<String> anonymous = HTTP.send(HttpRequest.newBuilder(uri("/v1/objects/docs/a.txt"))
                .header("Content-Type", "text/plain").PUT(HttpRequest.BodyPublishers.ofString("text")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(401, anonymous.statusCode());
        assertEquals("Unauthorized", JSON.readTree(anonymous.body()).get("error").asText());

        metadata.verify(0, postRequestedFor(urlEqualTo("/internal/objects")));
        assertEquals(before, blobs());
    }

    @Test
    void aClientThatDisconnectsMidwayLeavesNoObjectAndNoBlob() throws Exception {
        Set<String> before = blobs();
        Set<String> pendingBefore = pendingRecords();
        long declared = 40L * MIB;
        try (Socket socket = new Socket("127.0.0.1", RestAssured.port)) {
            OutputStream out = socket.getOutputStream();
            out.write(("PUT /v1/objects/docs/half.bin HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Authorization: Bearer " + token("alice") + "\r\n"
                    + "Content-Type: application/octet-stream\r\nContent-Length: " + declared + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = pattern(64 * 1024);
            // 20 MiB of 40: two parts reach S3 as a multipart upload before the client goes away
            for (int i = 0; i < 20 * 16; i++) {
                out.write(chunk);
            }
            out.flush();
            awaitTrue(() -> pendingRecords().size() > pendingBefore.size() && multipartUploadsUnder("blobs/") > 0,
                    "the upload has reached S3");
        }

        awaitTrue(() -> blobs().equals(before) && pendingRecords().equals(pendingBefore) && multipartUploadsUnder("blobs/") == 0,
                "the interrupted upload is cleaned up");
        metadata.verify(0, postRequestedFor(urlEqualTo("/internal/objects")));
    }
}
