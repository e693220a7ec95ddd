package io.stowage.upload;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.stowage.upload.CatalogStubs.bucket;
import static io.stowage.upload.CatalogStubs.json;
import static io.stowage.upload.CatalogStubs.token;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.stowage.infra.S3Server;
import io.stowage.infra.SharedInfra;
import io.stowage.infra.quarkus.KafkaResource;
import io.stowage.infra.quarkus.OidcResource;
import io.stowage.infra.quarkus.S3Resource;
import io.stowage.upload.tus.TusSweeper;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The tus 1.0.0 protocol of upload-service, raw HTTP against the real S3 server (metadata-service
 * stubbed): every extension's headers and errors, uploads that cross parts and tails, the lock, the
 * checksum, deferred length, termination and expiry.
 */
@QuarkusTest
@WithTestResource(S3Resource.class)
@WithTestResource(OidcResource.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(UpstreamsResource.class)
class ResumableUploadsTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final int MIB = 1024 * 1024;
    private static final String FILE = """
            {"id": "file-1", "bucket": "docs", "name": "n", "versionId": "v1", "blobKey": "blobs/x", "size": 1,
             "contentType": "application/octet-stream", "etag": "e", "owner": "alice", "visibility": "private",
             "createdAt": "2026-01-01T00:00:00Z", "updatedAt": "2026-01-01T00:00:00Z"}""";

    private static S3Client s3;
    private static String physicalBucket;

    @TestHTTPResource("/v1/uploads/resumable")
    URL endpoint;

    @InjectWireMock
    WireMockServer metadata;

    @Inject
    TusSweeper sweeper;

    @BeforeAll
    static void s3Client() {
        S3Server server = SharedInfra.s3();
        physicalBucket = server.bucket();
        s3 = server.client();
    }

    @AfterAll
    static void closeClient() {
        s3.close();
    }

    @BeforeEach
    void catalog() {
        CatalogStubs.resetWithBuckets(metadata);
        metadata.stubFor(post(urlEqualTo("/internal/objects/write-checks")).willReturn(WireMock.aResponse().withStatus(204)));
        metadata.stubFor(post(urlEqualTo("/internal/objects")).willReturn(json(201, FILE)));
    }

    /** The other test classes share the S3 server: no upload of this one outlives its test (its parts would count). */
    @org.junit.jupiter.api.AfterEach
    void sweepEverything() {
        sweeper.sweep(Instant.now().plus(Duration.ofDays(30))).await().atMost(Duration.ofSeconds(60));
    }

    @Test
    void optionsAdvertisesTheVersionExtensionsMaxSizeAndChecksumsWithoutAToken() throws Exception {
        HttpResponse<String> options = send(HttpRequest.newBuilder(URI.create(endpoint.toString()))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build());
        assertEquals(204, options.statusCode());
        assertEquals("1.0.0", header(options, "Tus-Version"));
        assertEquals("1.0.0", header(options, "Tus-Resumable"));
        assertEquals("creation,creation-with-upload,creation-defer-length,termination,expiration,checksum",
                header(options, "Tus-Extension"));
        assertEquals("sha1,sha256,md5", header(options, "Tus-Checksum-Algorithm"));
        assertTrue(Long.parseLong(header(options, "Tus-Max-Size")) > 0);
    }

    @Test
    void aRequestWithoutTheProtocolVersionIs412WithTheVersionsSpoken() throws Exception {
        HttpResponse<String> refused = send(create(token("alice"), "docs", "v.bin", 10).setHeader("Tus-Resumable", "0.2.2")
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        assertEquals(412, refused.statusCode());
        assertEquals("1.0.0", header(refused, "Tus-Version"));
        assertTrue(refused.body().contains("UnsupportedVersion"), refused.body());
    }

    @Test
    void creationIsCheckedBeforeAnyByte() throws Exception {
        String alice = token("alice");
        java.util.List<String> before = tusObjects();
        // no token
        assertEquals(401, send(create(null, "docs", "a.bin", 10).POST(HttpRequest.BodyPublishers.noBody()).build()).statusCode());
        // both or neither length header
        assertEquals(400, send(HttpRequest.newBuilder(URI.create(endpoint.toString())).header("Tus-Resumable", "1.0.0")
                .header("Authorization", "Bearer " + alice).header("Upload-Metadata", metadata("docs", "a.bin", null))
                .POST(HttpRequest.BodyPublishers.noBody()).build()).statusCode());
        assertEquals(400, send(create(alice, "docs", "a.bin", 10).header("Upload-Defer-Length", "1")
                .POST(HttpRequest.BodyPublishers.noBody()).build()).statusCode());
        // no bucket in the metadata, traversal in the name, metadata that is not base64, a negative length
        assertEquals(400, send(HttpRequest.newBuilder(URI.create(endpoint.toString())).header("Tus-Resumable", "1.0.0")
                .header("Authorization", "Bearer " + alice).header("Upload-Length", "10")
                .header("Upload-Metadata", "objectName " + b64("a.bin")).POST(HttpRequest.BodyPublishers.noBody()).build()).statusCode());
        assertEquals(400, send(create(alice, "docs", "../etc/passwd", 10).POST(HttpRequest.BodyPublishers.noBody()).build()).statusCode());
        assertEquals(400, send(HttpRequest.newBuilder(URI.create(endpoint.toString())).header("Tus-Resumable", "1.0.0")
                .header("Authorization", "Bearer " + alice).header("Upload-Length", "10")
                .header("Upload-Metadata", "bucketName !!!,objectName " + b64("a")).POST(HttpRequest.BodyPublishers.noBody()).build())
                .statusCode());
        assertEquals(400, send(HttpRequest.newBuilder(URI.create(endpoint.toString())).header("Tus-Resumable", "1.0.0")
                .header("Authorization", "Bearer " + alice).header("Upload-Length", "-1")
                .header("Upload-Metadata", metadata("docs", "a.bin", null)).POST(HttpRequest.BodyPublishers.noBody()).build())
                .statusCode());
        // the bucket's limits: photos takes images of at most 1000 bytes
        HttpResponse<String> tooBig = send(create(alice, "photos", "p.png", 2000, "image/png").POST(HttpRequest.BodyPublishers.noBody()).build());
        assertEquals(413, tooBig.statusCode(), tooBig.body());
        HttpResponse<String> wrongType = send(create(alice, "photos", "p.txt", 10, "text/plain").POST(HttpRequest.BodyPublishers.noBody()).build());
        assertEquals(415, wrongType.statusCode(), wrongType.body());
        // the name taken (metadata-service's answer to the write check)
        metadata.stubFor(post(urlEqualTo("/internal/objects/write-checks")).willReturn(json(409,
                "{\"statusCode\":409,\"error\":\"Duplicate\",\"message\":\"taken\"}")));
        HttpResponse<String> taken = send(create(alice, "docs", "taken.bin", 10).POST(HttpRequest.BodyPublishers.noBody()).build());
        assertEquals(409, taken.statusCode(), taken.body());
        metadata.verify(postRequestedFor(urlEqualTo("/internal/objects/write-checks"))
                .withRequestBody(matchingJsonPath("$.name", equalTo("taken.bin")))
                .withRequestBody(matchingJsonPath("$.overwrite", equalTo("false"))));
        assertEquals(before, tusObjects(), "nothing written");
    }

    @Test
    void aLargeUploadInChunksCrossesPartsAndTailsAndIsRegisteredWithIdenticalBytes() throws Exception {
        String alice = token("alice");
        byte[] file = pattern(19 * MIB + 12345);
        String location = created(send(create(alice, "docs", "big/video.bin", file.length).POST(HttpRequest.BodyPublishers.noBody()).build()));
        int chunk = 3 * MIB;
        for (int offset = 0; offset < file.length; offset += chunk) {
            byte[] body = Arrays.copyOfRange(file, offset, Math.min(file.length, offset + chunk));
            HttpResponse<String> patched = send(patch(alice, location, offset, body).build());
            assertEquals(204, patched.statusCode(), patched.body());
            assertEquals(String.valueOf(offset + body.length), header(patched, "Upload-Offset"));
            HttpResponse<String> head = send(head(alice, location));
            assertEquals(String.valueOf(offset + body.length), header(head, "Upload-Offset"));
            assertEquals(String.valueOf(file.length), header(head, "Upload-Length"));
            assertEquals("no-store", header(head, "Cache-Control"));
        }
        var registration = metadata.findAll(postRequestedFor(urlEqualTo("/internal/objects"))).getLast();
        String body = registration.getBodyAsString();
        assertTrue(body.contains("\"size\":" + file.length), body);
        assertTrue(body.contains("\"name\":\"big/video.bin\""), body);
        String blobKey = body.replaceAll(".*\"blobKey\":\"([^\"]+)\".*", "$1");
        byte[] stored = s3.getObjectAsBytes(r -> r.bucket(physicalBucket).key(blobKey)).asByteArray();
        assertArrayEquals(sha256(file), sha256(stored));
        // the tails are gone; only the finished upload's state remains
        assertEquals(1, tusObjects().stream().filter(k -> k.contains(id(location))).count(), tusObjects().toString());
    }

    @Test
    void aPatchAtTheWrongOffsetIs409AndAWrongBodyTypeIs415() throws Exception {
        String alice = token("alice");
        String location = created(send(create(alice, "docs", "o.bin", 100).POST(HttpRequest.BodyPublishers.noBody()).build()));
        assertEquals(204, send(patch(alice, location, 0, new byte[40]).build()).statusCode());
        HttpResponse<String> behind = send(patch(alice, location, 10, new byte[10]).build());
        assertEquals(409, behind.statusCode());
        assertTrue(behind.body().contains("OffsetMismatch"), behind.body());
        HttpResponse<String> wrongType = send(patch(alice, location, 40, new byte[10]).setHeader("Content-Type", "application/octet-stream").build());
        assertEquals(415, wrongType.statusCode());
        HttpResponse<String> past = send(patch(alice, location, 40, new byte[61]).build());
        assertEquals(413, past.statusCode(), past.body());
        assertEquals("40", header(send(head(alice, location)), "Upload-Offset"));
        // someone else's upload does not exist for them
        assertEquals(404, send(head(token("bob"), location)).statusCode());
        assertEquals(404, send(patch(token("bob"), location, 40, new byte[10]).build()).statusCode());
    }

    @Test
    void aChecksumMismatchIs460AndNothingOfTheBodyCounts() throws Exception {
        String alice = token("alice");
        String location = created(send(create(alice, "docs", "sum.bin", 30).POST(HttpRequest.BodyPublishers.noBody()).build()));
        byte[] first = "0123456789".getBytes(StandardCharsets.US_ASCII);
        HttpResponse<String> good = send(patch(alice, location, 0, first).header("Upload-Checksum", "sha1 " + sha1(first)).build());
        assertEquals(204, good.statusCode(), good.body());
        HttpResponse<String> bad = send(patch(alice, location, 10, first).header("Upload-Checksum", "sha1 " + sha1("x".getBytes())).build());
        assertEquals(460, bad.statusCode(), bad.body());
        assertTrue(bad.body().contains("ChecksumMismatch"), bad.body());
        assertEquals("10", header(send(head(alice, location)), "Upload-Offset"));
        HttpResponse<String> unknown = send(patch(alice, location, 10, first).header("Upload-Checksum", "crc32 AAAA").build());
        assertEquals(400, unknown.statusCode());
        byte[] rest = "abcdefghijklmnopqrst".getBytes(StandardCharsets.US_ASCII);
        HttpResponse<String> last = send(patch(alice, location, 10, rest).header("Upload-Checksum", "sha256 "
                + Base64.getEncoder().encodeToString(sha256(rest))).build());
        assertEquals(204, last.statusCode(), last.body());
        assertEquals("30", header(last, "Upload-Offset"));
    }

    @Test
    void aSecondWriterIsRefusedWith423WhileTheLockIsHeldAndALapsedLockIsTakenOver() throws Exception {
        String alice = token("alice");
        String location = created(send(create(alice, "docs", "locked.bin", 20).POST(HttpRequest.BodyPublishers.noBody()).build()));
        String lockKey = "tus/" + id(location) + ".lock";
        s3.putObject(r -> r.bucket(physicalBucket).key(lockKey), RequestBody.fromString("other " + Instant.now().plusSeconds(60)));
        HttpResponse<String> locked = send(patch(alice, location, 0, new byte[5]).build());
        assertEquals(423, locked.statusCode(), locked.body());
        assertEquals("0", header(send(head(alice, location)), "Upload-Offset"));
        // a holder that died: its lease ran out
        s3.putObject(r -> r.bucket(physicalBucket).key(lockKey), RequestBody.fromString("other " + Instant.now().minusSeconds(1)));
        assertEquals(204, send(patch(alice, location, 0, new byte[5]).build()).statusCode());
        assertThrows(NoSuchKeyException.class, () -> s3.headObject(r -> r.bucket(physicalBucket).key(lockKey)));
    }

    @Test
    void aSecondPatchWhileTheFirstStreamsIsRefusedWith423AndNeverInterleaved() throws Exception {
        String alice = token("alice");
        String location = created(send(create(alice, "docs", "race.bin", 2 * MIB).POST(HttpRequest.BodyPublishers.noBody()).build()));
        URI uri = URI.create(location);
        byte[] first = pattern(MIB);
        try (java.net.Socket socket = new java.net.Socket(uri.getHost(), uri.getPort())) {
            var out = socket.getOutputStream();
            // the first PATCH announces 1 MiB and sends half of it, then waits
            out.write(("PATCH " + uri.getPath() + " HTTP/1.1\r\nHost: " + uri.getHost() + "\r\nTus-Resumable: 1.0.0\r\n"
                    + "Authorization: Bearer " + alice + "\r\nUpload-Offset: 0\r\n"
                    + "Content-Type: application/offset+octet-stream\r\nContent-Length: " + first.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(first, 0, first.length / 2);
            out.flush();
            // once it holds the lock, a second writer at the same offset is refused
            String lockKey = "tus/" + id(location) + ".lock";
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!exists(lockKey) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            HttpResponse<String> second = send(patch(alice, location, 0, pattern(1000)).build());
            assertEquals(423, second.statusCode(), second.body());
            assertTrue(second.body().contains("UploadLocked"), second.body());
            // the first finishes and is the one recorded, whole
            out.write(first, first.length / 2, first.length - first.length / 2);
            out.flush();
            String status = new String(socket.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
            assertEquals("HTTP/1.1 204", status);
        }
        assertEquals(String.valueOf(MIB), header(send(head(alice, location)), "Upload-Offset"));
        byte[] rest = Arrays.copyOfRange(pattern(2 * MIB), MIB, 2 * MIB);
        assertEquals(204, send(patch(alice, location, MIB, rest).build()).statusCode());
        String body = metadata.findAll(postRequestedFor(urlEqualTo("/internal/objects"))).getLast().getBodyAsString();
        String blobKey = body.replaceAll(".*\"blobKey\":\"([^\"]+)\".*", "$1");
        assertArrayEquals(sha256(pattern(2 * MIB)), sha256(s3.getObjectAsBytes(r -> r.bucket(physicalBucket).key(blobKey)).asByteArray()));
    }

    @Test
    void aDeferredLengthIsDeclaredByALaterPatch() throws Exception {
        String alice = token("alice");
        HttpResponse<String> made = send(create(alice, "docs", "stream.log", -1).header("Upload-Defer-Length", "1")
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        String location = created(made);
        HttpResponse<String> head = send(head(alice, location));
        assertEquals("1", header(head, "Upload-Defer-Length"));
        assertFalse(head.headers().firstValue("Upload-Length").isPresent());
        assertEquals(204, send(patch(alice, location, 0, new byte[7]).build()).statusCode());
        HttpResponse<String> last = send(patch(alice, location, 7, new byte[3]).header("Upload-Length", "10").build());
        assertEquals(204, last.statusCode(), last.body());
        assertEquals("10", header(send(head(alice, location)), "Upload-Length"));
        metadata.verify(postRequestedFor(urlEqualTo("/internal/objects")).withRequestBody(matchingJsonPath("$.name", equalTo("stream.log")))
                .withRequestBody(matchingJsonPath("$.size", equalTo("10"))));
    }

    @Test
    void creationWithUploadTakesTheFirstBytesAndTerminationRemovesEverything() throws Exception {
        String alice = token("alice");
        HttpResponse<String> made = send(create(alice, "docs", "gone.bin", 100)
                .header("Content-Type", "application/offset+octet-stream").POST(HttpRequest.BodyPublishers.ofByteArray(new byte[60])).build());
        String location = created(made);
        assertEquals("60", header(made, "Upload-Offset"));
        assertNotNull(header(made, "Upload-Expires"));
        assertFalse(tusObjects().stream().noneMatch(k -> k.contains(id(location) + ".tail.")), "a tail holds the 60 bytes");
        HttpResponse<String> deleted = send(HttpRequest.newBuilder(URI.create(location)).header("Tus-Resumable", "1.0.0")
                .header("Authorization", "Bearer " + alice).DELETE().build());
        assertEquals(204, deleted.statusCode(), deleted.body());
        assertEquals(404, send(head(alice, location)).statusCode());
        assertTrue(tusObjects().stream().noneMatch(k -> k.contains(id(location))), tusObjects().toString());
    }

    @Test
    void anAbandonedUploadExpiresAndIsSwept() throws Exception {
        String alice = token("alice");
        HttpResponse<String> made = send(create(alice, "docs", "abandoned.bin", 100).POST(HttpRequest.BodyPublishers.noBody()).build());
        String location = created(made);
        assertEquals(204, send(patch(alice, location, 0, new byte[10]).build()).statusCode());
        sweeper.sweep(Instant.now().plus(Duration.ofDays(3))).await().atMost(Duration.ofSeconds(30));
        assertEquals(404, send(head(alice, location)).statusCode());
        assertTrue(tusObjects().stream().noneMatch(k -> k.contains(id(location))), tusObjects().toString());
    }

    @Test
    void bytesThatAreNotTheDeclaredTypeEndTheUpload() throws Exception {
        metadata.stubFor(get(urlEqualTo("/v1/buckets/pics")).willReturn(json(200, bucket("pics", null, "[\"image/png\"]"))));
        String alice = token("alice");
        String location = created(send(create(alice, "pics", "fake.png", 200, "image/png").POST(HttpRequest.BodyPublishers.noBody()).build()));
        HttpResponse<String> refused = send(patch(alice, location, 0, "this is plain text, not a PNG image at all, really not"
                .repeat(2).getBytes(StandardCharsets.US_ASCII)).build());
        assertEquals(422, refused.statusCode(), refused.body());
        assertEquals(404, send(head(alice, location)).statusCode());
    }

    @Test
    void aRegistrationRefusedAtTheEndRemovesTheBlob() throws Exception {
        metadata.stubFor(post(urlEqualTo("/internal/objects")).willReturn(json(409,
                "{\"statusCode\":409,\"error\":\"Duplicate\",\"message\":\"The resource already exists\"}")));
        String alice = token("alice");
        String location = created(send(create(alice, "docs", "raced.bin", 10).POST(HttpRequest.BodyPublishers.noBody()).build()));
        HttpResponse<String> last = send(patch(alice, location, 0, new byte[10]).build());
        assertEquals(409, last.statusCode(), last.body());
        assertTrue(last.body().contains("Duplicate"), last.body());
        String body = metadata.findAll(postRequestedFor(urlEqualTo("/internal/objects"))).getLast().getBodyAsString();
        String blobKey = body.replaceAll(".*\"blobKey\":\"([^\"]+)\".*", "$1");
        assertThrows(NoSuchKeyException.class, () -> s3.headObject(r -> r.bucket(physicalBucket).key(blobKey)));
        assertEquals(404, send(head(alice, location)).statusCode());
    }

    // ---------------------------------------------------------------- helpers

    private HttpRequest.Builder create(String token, String bucket, String name, long length) {
        return create(token, bucket, name, length, null);
    }

    private HttpRequest.Builder create(String token, String bucket, String name, long length, String type) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(endpoint.toString())).header("Tus-Resumable", "1.0.0")
                .header("Upload-Metadata", metadata(bucket, name, type));
        if (length >= 0) {
            builder.header("Upload-Length", String.valueOf(length));
        }
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        return builder;
    }

    private static String metadata(String bucket, String name, String type) {
        Map<String, String> pairs = new LinkedHashMap<>();
        pairs.put("bucketName", bucket);
        pairs.put("objectName", name);
        if (type != null) {
            pairs.put("contentType", type);
        }
        return pairs.entrySet().stream().map(e -> e.getKey() + " " + b64(e.getValue())).collect(Collectors.joining(","));
    }

    private String created(HttpResponse<String> response) {
        assertEquals(201, response.statusCode(), response.body());
        String location = header(response, "Location");
        assertTrue(location.startsWith("/v1/uploads/resumable/"), location);
        return URI.create(endpoint.toString()).resolve(location).toString();
    }

    private static HttpRequest.Builder patch(String token, String location, long offset, byte[] body) {
        return HttpRequest.newBuilder(URI.create(location)).header("Tus-Resumable", "1.0.0")
                .header("Authorization", "Bearer " + token).header("Upload-Offset", String.valueOf(offset))
                .header("Content-Type", "application/offset+octet-stream")
                .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(body));
    }

    private static HttpRequest head(String token, String location) {
        return HttpRequest.newBuilder(URI.create(location)).header("Tus-Resumable", "1.0.0")
                .header("Authorization", "Bearer " + token).method("HEAD", HttpRequest.BodyPublishers.noBody()).build();
    }

    private static HttpResponse<String> send(HttpRequest request) throws Exception {
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static String header(HttpResponse<?> response, String name) {
        return response.headers().firstValue(name).orElse(null);
    }

    private static String id(String location) {
        return location.substring(location.lastIndexOf('/') + 1);
    }

    private static boolean exists(String key) {
        try {
            s3.headObject(r -> r.bucket(physicalBucket).key(key));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        }
    }

    private static java.util.List<String> tusObjects() {
        return s3.listObjectsV2(r -> r.bucket(physicalBucket).prefix("tus/")).contents().stream().map(S3Object::key).toList();
    }

    private static String b64(String value) {
        return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] pattern(int size) {
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++) {
            bytes[i] = PatternStream.at(i);
        }
        return bytes;
    }

    private static byte[] sha256(byte[] bytes) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(bytes);
    }

    private static String sha1(byte[] bytes) throws Exception {
        return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1").digest(bytes));
    }
}
