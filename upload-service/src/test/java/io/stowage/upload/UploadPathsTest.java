package io.stowage.upload;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.smallrye.mutiny.Uni;
import io.stowage.events.ObjectEvents;
import io.stowage.infra.S3Server;
import io.stowage.infra.SharedInfra;
import io.stowage.infra.quarkus.KafkaResource;
import io.stowage.infra.quarkus.OidcResource;
import io.stowage.infra.quarkus.S3Resource;
import io.stowage.upload.config.UploadConfig;
import io.stowage.upload.pending.PendingUploads;
import io.stowage.upload.sweeper.Sweeper;
import jakarta.inject.Inject;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static io.stowage.upload.CatalogStubs.bucket;
import static io.stowage.upload.CatalogStubs.json;
import static io.stowage.upload.CatalogStubs.token;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Multipart uploads, the direct streamed upload, the sweeper and blob release, against the real S3
 * server (SigV4-checking S3Proxy), the real Kafka broker and the real token issuer; presigning is
 * real, metadata-service is a WireMock stub. Shares one application start with
 * {@link PresignedUploadFlowTest} (same test resources).
 */
@QuarkusTest
@WithTestResource(S3Resource.class)
@WithTestResource(OidcResource.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(UpstreamsResource.class)
class UploadPathsTest {

    /** Metrics are served on the management interface, apart from the API. */
    @io.quarkus.test.common.http.TestHTTPResource(value = "/metrics", management = true)
    java.net.URL metrics;

    private static final ObjectMapper JSON = new ObjectMapper();
    // HTTP/1.1 as the gateway speaks it upstream.
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final int MIB = 1024 * 1024;
    private static final String FILE = """
            {"id": "file-1", "bucket": "docs", "name": "n", "versionId": "v1", "blobKey": "blobs/x", "size": 1,
             "contentType": "application/octet-stream", "etag": "e", "owner": "alice", "visibility": "private",
             "createdAt": "2026-01-01T00:00:00Z", "updatedAt": "2026-01-01T00:00:00Z"}""";

    private static S3Client s3;
    private static String physicalBucket;

    @InjectWireMock
    WireMockServer metadata;

    @Inject
    Sweeper sweeper;

    @Inject
    PendingUploads pendingUploads;

    @Inject
    UploadConfig config;

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
    void buckets() {
        CatalogStubs.resetWithBuckets(metadata);
        metadata.stubFor(get(urlEqualTo("/v1/buckets/small")).willReturn(json(200, bucket("small", (long) MIB, "null"))));
        metadata.stubFor(post(urlEqualTo("/internal/objects")).willReturn(json(201, FILE)));
    }

    // ---------------------------------------------------------------- multipart

    @Test
    void assemblesAMultipartUploadFromPartsSentOutOfOrderWithOneRetriedAndResumed() throws Exception {
        String alice = token("alice");
        byte[] file = pattern(12 * MIB);
        JsonPath init = given().auth().oauth2(alice).contentType(ContentType.JSON)
                .body(Map.of("bucket", "docs", "path", "big/video.bin", "contentType", "application/octet-stream",
                        "size", file.length, "partSize", 5 * MIB))
                .when().post("/v1/files/multipart/init")
                .then().statusCode(200).extract().jsonPath();
        String uploadId = init.getString("uploadId");
        assertEquals(5 * MIB, init.getLong("partSize"));
        assertEquals(3, init.getInt("partCount"));

        Map<Integer, Map<String, Object>> urls = partUrls(alice, uploadId, List.of(3, 1, 2));
        // part 3 first, then part 1; part 2's first attempt sends a short body and S3 refuses it (signed length)
        assertEquals(200, putPart(urls.get(3), Arrays.copyOfRange(file, 10 * MIB, 12 * MIB)).statusCode());
        assertEquals(200, putPart(urls.get(1), Arrays.copyOfRange(file, 0, 5 * MIB)).statusCode());
        assertTrue(refusedByS3(urls.get(2), Arrays.copyOfRange(file, 5 * MIB, 9 * MIB)));

        // resume: S3 holds parts 1 and 3, so only part 2 is missing
        JsonPath listed = given().auth().oauth2(alice).when().get("/v1/files/multipart/" + uploadId + "/parts")
                .then().statusCode(200).extract().jsonPath();
        assertEquals(List.of(1, 3), listed.getList("parts.partNumber", Integer.class));
        assertEquals(List.of((long) 5 * MIB, (long) 2 * MIB), listed.getList("parts.size", Long.class));
        given().auth().oauth2(token("bob")).when().get("/v1/files/multipart/" + uploadId + "/parts")
                .then().statusCode(404).body("error", org.hamcrest.Matchers.equalTo("UploadNotFound"));

        HttpResponse<String> retried = putPart(partUrls(alice, uploadId, List.of(2)).get(2), Arrays.copyOfRange(file, 5 * MIB, 10 * MIB));
        assertEquals(200, retried.statusCode());

        List<Map<String, Object>> etags = given().auth().oauth2(alice).when().get("/v1/files/multipart/" + uploadId + "/parts")
                .then().statusCode(200).extract().jsonPath().getList("parts");
        // completed with the etags in the order the client happened to finish them
        List<Map<String, Object>> completeParts = List.of(part(etags, 3), part(etags, 1), part(etags, 2));
        String etag = given().auth().oauth2(alice).contentType(ContentType.JSON)
                .body(Map.of("uploadId", uploadId, "parts", completeParts))
                .when().post("/v1/files/multipart/complete")
                .then().statusCode(200).body("size", org.hamcrest.Matchers.equalTo(file.length)).extract().jsonPath().getString("etag");

        given().auth().oauth2(alice).contentType(ContentType.JSON).body(Map.of("uploadId", uploadId))
                .when().post("/v1/files")
                .then().statusCode(201).body("id", org.hamcrest.Matchers.equalTo("file-1"));

        String blobKey = pending(uploadId).get("blobKey").toString();
        assertArrayEquals(file, s3.getObjectAsBytes(r -> r.bucket(physicalBucket).key(blobKey)).asByteArray());
        metadata.verify(postRequestedFor(urlEqualTo("/internal/objects"))
                .withHeader("Authorization", equalTo("Bearer " + alice))
                .withRequestBody(matchingJsonPath("$.uploadId", equalTo(uploadId)))
                .withRequestBody(matchingJsonPath("$.blobKey", equalTo(blobKey)))
                .withRequestBody(matchingJsonPath("$.size", equalTo(String.valueOf(file.length))))
                .withRequestBody(matchingJsonPath("$.etag", equalTo(etag))));
    }

    @Test
    void refusesMultipartSizesS3CannotTake() {
        String alice = token("alice");
        given().auth().oauth2(alice).contentType(ContentType.JSON)
                .body(Map.of("bucket", "docs", "path", "a.bin", "contentType", "application/octet-stream",
                        "size", 100 * MIB, "partSize", 4 * MIB))
                .when().post("/v1/files/multipart/init")
                .then().statusCode(400).body("error", org.hamcrest.Matchers.equalTo("InvalidRequest"));
        given().auth().oauth2(alice).contentType(ContentType.JSON)
                .body(Map.of("bucket", "docs", "path", "a.bin", "contentType", "application/octet-stream",
                        "size", 10_001L * 5 * MIB, "partSize", 5 * MIB))
                .when().post("/v1/files/multipart/init")
                .then().statusCode(400).body("error", org.hamcrest.Matchers.equalTo("InvalidRequest"));
        given().auth().oauth2(alice).contentType(ContentType.JSON)
                .body(Map.of("bucket", "photos", "path", "a.png", "contentType", "image/png", "size", 2000))
                .when().post("/v1/files/multipart/init")
                .then().statusCode(413).body("error", org.hamcrest.Matchers.equalTo("PayloadTooLarge"));
    }

    @Test
    void abortingDropsThePartsAndTheUpload() throws Exception {
        String alice = token("alice");
        String uploadId = given().auth().oauth2(alice).contentType(ContentType.JSON)
                .body(Map.of("bucket", "docs", "path", "gone.bin", "contentType", "application/octet-stream", "size", 6 * MIB))
                .when().post("/v1/files/multipart/init")
                .then().statusCode(200).body("partSize", org.hamcrest.Matchers.equalTo(8 * MIB)).body("partCount", org.hamcrest.Matchers.equalTo(1))
                .extract().jsonPath().getString("uploadId");
        Map<String, Object> record = pending(uploadId);
        assertEquals(200, putPart(partUrls(alice, uploadId, List.of(1)).get(1), pattern(6 * MIB)).statusCode());
        assertEquals(1, s3.listParts(r -> r.bucket(physicalBucket).key(record.get("blobKey").toString())
                .uploadId(record.get("multipartUploadId").toString())).parts().size());

        given().auth().oauth2(token("bob")).contentType(ContentType.JSON).body(Map.of("uploadId", uploadId))
                .when().post("/v1/files/multipart/abort").then().statusCode(404);
        given().auth().oauth2(alice).contentType(ContentType.JSON).body(Map.of("uploadId", uploadId))
                .when().post("/v1/files/multipart/abort").then().statusCode(204);

        assertThrows(NoSuchKeyException.class, () -> s3.headObject(r -> r.bucket(physicalBucket).key(PendingUploads.key(uploadId))));
        assertTrue(s3.listMultipartUploads(r -> r.bucket(physicalBucket).prefix(record.get("blobKey").toString()))
                .uploads().isEmpty());
        given().auth().oauth2(alice).when().get("/v1/files/multipart/" + uploadId + "/parts").then().statusCode(404);
        given().auth().oauth2(alice).contentType(ContentType.JSON).body(Map.of("uploadId", uploadId))
                .when().post("/v1/files").then().statusCode(404).body("error", org.hamcrest.Matchers.equalTo("UploadNotFound"));
    }

    // ---------------------------------------------------------------- presigned URLs S3 refuses

    @Test
    void s3RefusesATamperedUrlAndNothingIsRegistered() throws Exception {
        String alice = token("alice");
        JsonPath issued = given().auth().oauth2(alice).contentType(ContentType.JSON)
                .body(Map.of("bucket", "docs", "path", "t.txt", "contentType", "text/plain", "size", 5))
                .when().post("/v1/files/presigned-url").then().statusCode(200).extract().jsonPath();
        String url = issued.getString("url");
        String otherKey = url.replaceFirst("/blobs/[0-9a-f-]+", "/blobs/" + UUID.randomUUID());
        String longerLife = url.replaceFirst("X-Amz-Expires=\\d+", "X-Amz-Expires=604800");
        for (String tampered : List.of(otherKey, longerLife)) {
            assertTrue(!tampered.equals(url));
            assertEquals(403, putPart(Map.of("url", tampered, "headers", issued.getMap("headers")),
                    "hello".getBytes(StandardCharsets.UTF_8)).statusCode());
        }
        given().auth().oauth2(alice).contentType(ContentType.JSON).body(Map.of("uploadId", issued.getString("uploadId")))
                .when().post("/v1/files").then().statusCode(422).body("error", org.hamcrest.Matchers.equalTo("UploadMismatch"));
        assertFalse(exists(otherKey.replaceFirst(".*/(blobs/[0-9a-f-]+).*", "$1")));
        metadata.verify(0, postRequestedFor(urlEqualTo("/internal/objects")));
    }

    @Test
    void s3RefusesAnExpiredUrlAndRegistrationAnswersGone() throws Exception {
        String alice = token("alice");
        JsonPath issued;
        UpstreamsResource.lifetimeOverride = Duration.ofSeconds(1);
        try {
            issued = given().auth().oauth2(alice).contentType(ContentType.JSON)
                    .body(Map.of("bucket", "docs", "path", "late.txt", "contentType", "text/plain", "size", 5))
                    .when().post("/v1/files/presigned-url").then().statusCode(200).extract().jsonPath();
        } finally {
            UpstreamsResource.lifetimeOverride = null;
        }
        Instant expiresAt = Instant.parse(issued.getString("expiresAt"));
        awaitTrue(() -> Instant.now().isAfter(expiresAt.plusSeconds(1)), "the URL has expired");

        assertEquals(403, putSingle(issued, "hello".getBytes(StandardCharsets.UTF_8)).statusCode());
        given().auth().oauth2(alice).contentType(ContentType.JSON).body(Map.of("uploadId", issued.getString("uploadId")))
                .when().post("/v1/files").then().statusCode(410).body("error", org.hamcrest.Matchers.equalTo("UploadExpired"));
        assertFalse(exists(pending(issued.getString("uploadId")).get("blobKey").toString()));
        metadata.verify(0, postRequestedFor(urlEqualTo("/internal/objects")));
    }

    // ---------------------------------------------------------------- sweeper

    @Test
    void theSweeperRemovesExpiredUploadsOnlyOnceAndLeavesLiveOnesAlone() throws Exception {
        String alice = token("alice");
        // an unfinished multipart upload with one part in S3
        String multipartId = given().auth().oauth2(alice).contentType(ContentType.JSON)
                .body(Map.of("bucket", "docs", "path", "stale.bin", "contentType", "application/octet-stream", "size", 6 * MIB))
                .when().post("/v1/files/multipart/init").then().statusCode(200).extract().jsonPath().getString("uploadId");
        assertEquals(200, putPart(partUrls(alice, multipartId, List.of(1)).get(1), pattern(6 * MIB)).statusCode());
        // a single upload whose bytes landed but that was never registered
        JsonPath single = given().auth().oauth2(alice).contentType(ContentType.JSON)
                .body(Map.of("bucket", "docs", "path", "stale.txt", "contentType", "text/plain", "size", 5))
                .when().post("/v1/files/presigned-url").then().statusCode(200).extract().jsonPath();
        String singleId = single.getString("uploadId");
        assertEquals(200, putSingle(single, "hello".getBytes(StandardCharsets.UTF_8)).statusCode());
        // and one still within its time
        String liveId = given().auth().oauth2(alice).contentType(ContentType.JSON)
                .body(Map.of("bucket", "docs", "path", "live.txt", "contentType", "text/plain", "size", 5))
                .when().post("/v1/files/presigned-url").then().statusCode(200).extract().jsonPath().getString("uploadId");

        Map<String, Object> multipart = expire(multipartId);
        Map<String, Object> singleRecord = expire(singleId);

        // two replicas sweeping at once: each expired upload is claimed by exactly one of them
        var both = Uni.combine().all().unis(sweeper.sweep(), sweeper.sweep()).asTuple().await().atMost(Duration.ofSeconds(60));
        assertTrue(both.getItem1() + both.getItem2() >= 2);
        assertEquals(0, sweeper.sweep().await().atMost(Duration.ofSeconds(60)));

        for (String id : List.of(multipartId, singleId)) {
            assertThrows(NoSuchKeyException.class, () -> s3.headObject(r -> r.bucket(physicalBucket).key(PendingUploads.key(id))));
        }
        assertThrows(NoSuchKeyException.class, () -> s3.headObject(r -> r.bucket(physicalBucket).key(singleRecord.get("blobKey").toString())));
        assertTrue(s3.listMultipartUploads(r -> r.bucket(physicalBucket).prefix(multipart.get("blobKey").toString()))
                .uploads().isEmpty());
        s3.headObject(r -> r.bucket(physicalBucket).key(PendingUploads.key(liveId)));
    }

    @Test
    void aClaimIsAConditionalWriteOnlyOneReplicaWins() {
        String uploadId = given().auth().oauth2(token("alice")).contentType(ContentType.JSON)
                .body(Map.of("bucket", "docs", "path", "claim.txt", "contentType", "text/plain", "size", 5))
                .when().post("/v1/files/presigned-url").then().statusCode(200).extract().jsonPath().getString("uploadId");
        var read = pendingUploads.findVersioned(uploadId).await().atMost(Duration.ofSeconds(10)).orElseThrow();
        assertTrue(pendingUploads.replaceIfUnchanged(read, read.upload().claimed(Instant.now())).await().atMost(Duration.ofSeconds(10)));
        assertFalse(pendingUploads.replaceIfUnchanged(read, read.upload().claimed(Instant.now())).await().atMost(Duration.ofSeconds(10)));
    }

    // ---------------------------------------------------------------- registrations whose answer was lost

    @Test
    void theSweeperKeepsTheBlobOfAnUploadTheCatalogRegisteredWithoutAnswering() throws Exception {
        String[] lost = presignedUploadWhoseRegistrationGotNoAnswer("lost/kept.txt");
        String uploadId = lost[0];
        String blobKey = lost[1];
        CatalogStubs.referenced(metadata, blobKey);
        expire(uploadId);

        assertTrue(sweeper.sweep().await().atMost(Duration.ofSeconds(60)) >= 1);

        assertTrue(exists(blobKey), "the blob of an object was deleted");
        assertFalse(exists(PendingUploads.key(uploadId)));
        // asked as upload-service itself (client credentials, role stowage-service), never with a user's token
        var asked = metadata.findAll(postRequestedFor(urlEqualTo(CatalogStubs.REFERENCED))
                .withRequestBody(matchingJsonPath("$.blobKeys[?(@ == '" + blobKey + "')]")));
        assertEquals(1, asked.size());
        Map<?, ?> claims = claims(asked.get(0).getHeader("Authorization"));
        assertEquals("service-account-stowage-upload", claims.get("sub"));
        assertTrue(((List<?>) claims.get("groups")).contains("stowage-service"), claims.toString());
    }

    @Test
    void theSweeperRemovesTheBlobOfALostRegistrationTheCatalogDoesNotReference() throws Exception {
        String[] lost = presignedUploadWhoseRegistrationGotNoAnswer("lost/removed.txt");
        expire(lost[0]);

        assertTrue(sweeper.sweep().await().atMost(Duration.ofSeconds(60)) >= 1);

        assertFalse(exists(lost[1]));
        assertFalse(exists(PendingUploads.key(lost[0])));
        metadata.verify(postRequestedFor(urlEqualTo(CatalogStubs.REFERENCED))
                .withRequestBody(matchingJsonPath("$.blobKeys[?(@ == '" + lost[1] + "')]")));
    }

    @Test
    void theSweeperTouchesNothingWhileTheCatalogCannotSayAndSettlesItOnTheNextSweep() throws Exception {
        String[] lost = presignedUploadWhoseRegistrationGotNoAnswer("lost/unknown.txt");
        expire(lost[0]);
        metadata.stubFor(post(urlEqualTo(CatalogStubs.REFERENCED)).atPriority(1).willReturn(json(503,
                "{\"statusCode\":503,\"error\":\"Unavailable\",\"message\":\"down\"}")));

        sweeper.sweep().await().atMost(Duration.ofSeconds(60));

        assertTrue(exists(lost[1]));
        Map<String, Object> record = pending(lost[0]);
        // left unclaimed, so the next sweep asks again rather than waiting for a claim to lapse
        assertFalse(record.containsKey("claimedAt"), record.toString());

        CatalogStubs.resetWithBuckets(metadata);
        sweeper.sweep().await().atMost(Duration.ofSeconds(60));
        assertFalse(exists(lost[1]));
        assertFalse(exists(PendingUploads.key(lost[0])));
    }

    @Test
    void aDirectUploadWithoutRegistrationAnswerKeepsItsRecordForTheSweeperToSettle() throws Exception {
        metadata.stubFor(post(urlEqualTo("/internal/objects")).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(uri("/v1/objects/docs/lost/direct.txt"))
                .header("Authorization", "Bearer " + token("alice")).header("Content-Type", "text/plain")
                .PUT(HttpRequest.BodyPublishers.ofString("streamed, registered, unanswered")).build(),
                HttpResponse.BodyHandlers.ofString());
        // metadata-service gave no answer: its outage, said as such (not upload-service failing)
        assertEquals(503, answer.statusCode(), answer.body());
        assertEquals("CatalogUnavailable", JSON.readTree(answer.body()).get("error").asText());
        assertTrue(answer.headers().firstValue("Retry-After").isPresent());

        var registration = JSON.readTree(metadata.findAll(postRequestedFor(urlEqualTo("/internal/objects"))).get(0).getBodyAsString());
        String uploadId = registration.get("uploadId").asText();
        String blobKey = registration.get("blobKey").asText();
        assertTrue(exists(blobKey));
        Map<String, Object> record = pending(uploadId);
        assertEquals("direct", record.get("kind"));
        assertEquals(blobKey, record.get("blobKey"));
        assertFalse(record.containsKey("multipartUploadId"));
        // due as soon as the sweeper's grace has passed (a registration still in flight may land meanwhile)
        Instant expiresAt = Instant.parse(record.get("expiresAt").toString());
        assertFalse(expiresAt.isAfter(Instant.now()), record.toString());

        Instant afterGrace = expiresAt.plus(config.sweep().grace()).plusSeconds(1);
        assertTrue(sweeper.sweep(afterGrace).await().atMost(Duration.ofSeconds(60)) >= 1);
        assertFalse(exists(blobKey));
        assertFalse(exists(PendingUploads.key(uploadId)));
    }

    /** A presigned upload whose bytes are in S3 and whose registration met a reset connection: {uploadId, blobKey}. */
    private String[] presignedUploadWhoseRegistrationGotNoAnswer(String path) throws Exception {
        String alice = token("alice");
        JsonPath issued = given().auth().oauth2(alice).contentType(ContentType.JSON)
                .body(Map.of("bucket", "docs", "path", path, "contentType", "text/plain", "size", 5))
                .when().post("/v1/files/presigned-url").then().statusCode(200).extract().jsonPath();
        String uploadId = issued.getString("uploadId");
        assertEquals(200, putSingle(issued, "hello".getBytes(StandardCharsets.UTF_8)).statusCode());
        metadata.stubFor(post(urlEqualTo("/internal/objects")).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        given().auth().oauth2(alice).contentType(ContentType.JSON).body(Map.of("uploadId", uploadId))
                .when().post("/v1/files").then().statusCode(503).header("Retry-After", org.hamcrest.Matchers.notNullValue())
                .body("error", org.hamcrest.Matchers.equalTo("CatalogUnavailable"));
        Map<String, Object> record = pending(uploadId);
        assertFalse(record.containsKey("objectId"), "marked registered without an answer");
        String blobKey = record.get("blobKey").toString();
        assertTrue(exists(blobKey));
        return new String[]{uploadId, blobKey};
    }

    private static Map<?, ?> claims(String authorization) throws Exception {
        assertTrue(authorization != null && authorization.startsWith("Bearer "), String.valueOf(authorization));
        String payload = authorization.substring("Bearer ".length()).split("\\.")[1];
        return JSON.readValue(java.util.Base64.getUrlDecoder().decode(payload), Map.class);
    }

    // ---------------------------------------------------------------- direct upload

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
    void metricsCountTheBytesAndOutcomesOfUploadsAndTheEventsConsumed() throws Exception {
        String before = scrape();
        byte[] png = png(300);
        HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(uri("/v1/objects/photos/metrics/counted.png"))
                .header("Authorization", "Bearer " + token("alice")).header("Content-Type", "image/png")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(png)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, answer.statusCode(), answer.body());
        HttpResponse<String> disguised = HTTP.send(HttpRequest.newBuilder(uri("/v1/objects/photos/metrics/evil.png"))
                .header("Authorization", "Bearer " + token("alice")).header("Content-Type", "image/png")
                .PUT(HttpRequest.BodyPublishers.ofString("MZ\u0090\u0000 not a PNG")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(422, disguised.statusCode(), disguised.body());
        // a released blob's deleted event, consumed from the real broker
        String released = "blobs/" + UUID.randomUUID();
        s3.putObject(r -> r.bucket(physicalBucket).key(released), RequestBody.fromString("bytes"));
        SharedInfra.kafka().createTopic(ObjectEvents.DEFAULT_TOPIC, 3);
        try (KafkaProducer<String, String> producer = producer()) {
            producer.send(deleted("docs/metrics.txt", released, true)).get();
        }
        awaitTrue(() -> !exists(released), "the released blob is deleted");

        String after = scrape();
        assertEquals(png.length, delta(before, after, "stowage_upload_bytes_total", "path", "direct"));
        assertEquals(2, delta(before, after, "stowage_uploads_started_total", "path", "direct"));
        assertEquals(1, delta(before, after, "stowage_uploads_total", "outcome", "registered", "path", "direct"));
        assertEquals(1, delta(before, after, "stowage_uploads_total", "outcome", "refused", "path", "direct"));
        assertEquals(0, delta(before, after, "stowage_uploads_total", "outcome", "failed", "path", "direct"));
        assertEquals(1, delta(before, after, "stowage_events_consumed_total", "type", ObjectEvents.DELETED));
        // every path and outcome has a series from the start, so dashboards show zeros, not gaps
        for (String path : List.of("presigned", "multipart", "direct")) {
            sample(after, "stowage_upload_bytes_total", "path", path);
            sample(after, "stowage_upload_sweeper_expired_total", "path", path);
            sample(after, "stowage_upload_sweeper_referenced_total", "path", path);
            for (String outcome : List.of("registered", "refused", "failed", "expired", "aborted")) {
                sample(after, "stowage_uploads_total", "outcome", outcome, "path", path);
            }
        }
        sample(after, "stowage_uploads_pending");
        // Quarkus's HTTP server metrics, with one uri per route rather than one per object
        assertTrue(sample(after, "http_server_requests_seconds_count", "method", "PUT", "status", "201",
                "uri", "/v1/objects/{bucket}/{path}") >= 1);
        assertFalse(after.contains("counted.png"), "an object name became a label value");
    }

    // ---------------------------------------------------------------- on a user's behalf (X-Stowage-Owner)

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

    // ---------------------------------------------------------------- blob release

    @Test
    void deletesTheBlobOfADeletedObjectOnlyWhenItWasReleased() throws Exception {
        String released = "blobs/" + UUID.randomUUID();
        String stillReferenced = "blobs/" + UUID.randomUUID();
        for (String key : List.of(released, stillReferenced)) {
            s3.putObject(r -> r.bucket(physicalBucket).key(key), RequestBody.fromString("bytes"));
        }
        SharedInfra.kafka().createTopic(ObjectEvents.DEFAULT_TOPIC, 3);
        try (KafkaProducer<String, String> producer = producer()) {
            // same object, so same partition and in this order: a delete that keeps the blob, then one that releases it
            producer.send(deleted("docs/a.txt", stillReferenced, false)).get();
            producer.send(deleted("docs/a.txt", released, true)).get();
        }

        awaitTrue(() -> !exists(released), "the released blob is deleted");
        assertTrue(exists(stillReferenced));
    }

    // ---------------------------------------------------------------- helpers

    private static ProducerRecord<String, String> deleted(String key, String blobKey, boolean blobReleased) throws Exception {
        String value = JSON.writeValueAsString(Map.ofEntries(Map.entry("bucket", "docs"), Map.entry("name", "a.txt"),
                Map.entry("versionId", UUID.randomUUID().toString()), Map.entry("size", 5),
                Map.entry("contentType", "text/plain"), Map.entry("etag", "e"), Map.entry("owner", "alice"),
                Map.entry("visibility", "private"), Map.entry("blobKey", blobKey), Map.entry("blobReleased", blobReleased),
                Map.entry("sequence", 2)));
        ProducerRecord<String, String> record = new ProducerRecord<>(ObjectEvents.DEFAULT_TOPIC, key, value);
        record.headers().add(ObjectEvents.HEADER_SPEC_VERSION, "1.0".getBytes(StandardCharsets.UTF_8));
        record.headers().add(ObjectEvents.HEADER_ID, UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
        record.headers().add(ObjectEvents.HEADER_SOURCE, ObjectEvents.SOURCE.getBytes(StandardCharsets.UTF_8));
        record.headers().add(ObjectEvents.HEADER_TYPE, ObjectEvents.DELETED.getBytes(StandardCharsets.UTF_8));
        record.headers().add(ObjectEvents.HEADER_TIME, Instant.now().toString().getBytes(StandardCharsets.UTF_8));
        record.headers().add(ObjectEvents.HEADER_SUBJECT, key.getBytes(StandardCharsets.UTF_8));
        record.headers().add(ObjectEvents.HEADER_CONTENT_TYPE, "application/json".getBytes(StandardCharsets.UTF_8));
        return record;
    }

    private static KafkaProducer<String, String> producer() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedInfra.kafka().bootstrapServers());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return new KafkaProducer<>(props);
    }

    private String scrape() throws Exception {
        HttpResponse<String> metrics = HTTP.send(HttpRequest.newBuilder(this.metrics.toURI()).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, metrics.statusCode());
        return metrics.body();
    }

    /** The value of the one series of {@code name} carrying every given label (name, value pairs). */
    private static double sample(String metrics, String name, String... labels) {
        List<Double> found = samples(metrics, name, labels);
        assertEquals(1, found.size(), name + " " + Arrays.toString(labels) + " in:\n" + metrics);
        return found.get(0);
    }

    private static List<Double> samples(String metrics, String name, String... labels) {
        List<Double> found = new java.util.ArrayList<>();
        for (String line : metrics.split("\n")) {
            if (!line.startsWith(name + "{") && !line.startsWith(name + " ")) {
                continue;
            }
            boolean all = true;
            for (int i = 0; i < labels.length; i += 2) {
                all &= line.contains(labels[i] + "=\"" + labels[i + 1] + "\"");
            }
            if (all) {
                // "name{labels} value", possibly followed by an exemplar ("# {trace_id=...} value timestamp")
                String sample = line.contains(" # ") ? line.substring(0, line.indexOf(" # ")) : line;
                found.add(Double.parseDouble(sample.substring(sample.lastIndexOf(' ') + 1)));
            }
        }
        return found;
    }

    /** How much a counter grew; one that did not exist before (a type of event not seen yet) grew from 0. */
    private static long delta(String before, String after, String name, String... labels) {
        List<Double> was = samples(before, name, labels);
        return Math.round(sample(after, name, labels) - (was.isEmpty() ? 0 : was.get(0)));
    }

    private static boolean exists(String key) {
        try {
            s3.headObject(r -> r.bucket(physicalBucket).key(key));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        }
    }

    private static Set<String> blobs() {
        return keysUnder("blobs/");
    }

    private static Set<String> pendingRecords() {
        return keysUnder("uploads/");
    }

    private static Set<String> keysUnder(String prefix) {
        return s3.listObjectsV2Paginator(r -> r.bucket(physicalBucket).prefix(prefix)).contents().stream()
                .map(S3Object::key).collect(Collectors.toCollection(HashSet::new));
    }

    private static int multipartUploadsUnder(String prefix) {
        return s3.listMultipartUploads(r -> r.bucket(physicalBucket).prefix(prefix)).uploads().size();
    }

    /** Waits for an effect that happens asynchronously; the deadline is generous and never what is tested. */
    private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("never happened: " + what);
            }
            Thread.sleep(100);
        }
    }

    private Map<String, Object> expire(String uploadId) throws Exception {
        Map<String, Object> record = pending(uploadId);
        record.put("expiresAt", "2020-01-01T00:00:00Z");
        s3.putObject(r -> r.bucket(physicalBucket).key(PendingUploads.key(uploadId)), RequestBody.fromBytes(JSON.writeValueAsBytes(record)));
        return record;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> pending(String uploadId) throws Exception {
        return JSON.readValue(s3.getObjectAsBytes(r -> r.bucket(physicalBucket).key(PendingUploads.key(uploadId))).asByteArray(), Map.class);
    }

    private static Map<Integer, Map<String, Object>> partUrls(String token, String uploadId, List<Integer> numbers) {
        List<Map<String, Object>> parts = given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(Map.of("uploadId", uploadId, "partNumbers", numbers))
                .when().post("/v1/files/multipart/presigned-url")
                .then().statusCode(200).extract().jsonPath().getList("parts");
        return parts.stream().collect(Collectors.toMap(p -> (Integer) p.get("partNumber"), p -> p));
    }

    private static Map<String, Object> part(List<Map<String, Object>> listed, int number) {
        return listed.stream().filter(p -> ((Integer) p.get("partNumber")) == number)
                .map(p -> Map.<String, Object>of("partNumber", number, "etag", p.get("etag"))).findFirst().orElseThrow();
    }

    /** S3 refuses a part it was not signed for: 403, or (for a large body) by closing the connection on it. */
    private static boolean refusedByS3(Map<String, Object> url, byte[] body) {
        try {
            return putPart(url, body).statusCode() == 403;
        } catch (java.io.IOException e) {
            return true;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static HttpResponse<String> putPart(Map<String, Object> url, byte[] body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create((String) url.get("url")))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body));
        ((Map<String, String>) url.get("headers")).forEach((name, value) -> {
            if (!name.equals("content-length")) {
                request.header(name, value);
            }
        });
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> putSingle(JsonPath issued, byte[] body) throws Exception {
        return putPart(Map.of("url", issued.getString("url"), "headers", issued.getMap("headers")), body);
    }

    private static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + RestAssured.port + path);
    }


    private static byte[] sha256(InputStream in) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        byte[] buffer = new byte[64 * 1024];
        for (int n; (n = in.read(buffer)) > 0; ) {
            digest.update(buffer, 0, n);
        }
        return digest.digest();
    }

    static byte[] pattern(int size) {
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++) {
            bytes[i] = PatternStream.at(i);
        }
        return bytes;
    }

    private static byte[] png(int size) {
        byte[] bytes = pattern(size);
        byte[] magic = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
        System.arraycopy(magic, 0, bytes, 0, magic.length);
        return bytes;
    }


}
