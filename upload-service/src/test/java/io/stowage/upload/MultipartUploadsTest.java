package io.stowage.upload;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.stowage.infra.quarkus.KafkaResource;
import io.stowage.infra.quarkus.OidcResource;
import io.stowage.infra.quarkus.S3Resource;
import io.stowage.upload.pending.PendingUploads;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static io.stowage.upload.CatalogStubs.token;
import static io.stowage.upload.UploadPathFixtures.MIB;
import static io.stowage.upload.UploadPathFixtures.part;
import static io.stowage.upload.UploadPathFixtures.partUrls;
import static io.stowage.upload.UploadPathFixtures.pattern;
import static io.stowage.upload.UploadPathFixtures.pending;
import static io.stowage.upload.UploadPathFixtures.physicalBucket;
import static io.stowage.upload.UploadPathFixtures.putPart;
import static io.stowage.upload.UploadPathFixtures.refusedByS3;
import static io.stowage.upload.UploadPathFixtures.s3;
import static io.stowage.upload.UploadPathFixtures.stubCatalog;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Multipart uploads: parts out of order, retried and resumed; the sizes S3 cannot take; abort.
 * Against the real S3 server (SigV4-checking S3Proxy), the real Kafka broker and the real token issuer;
 * metadata-service is a WireMock stub. Shares one application start with every test of the same resources.
 */
@QuarkusTest
@WithTestResource(S3Resource.class)
@WithTestResource(OidcResource.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(UpstreamsResource.class)
class MultipartUploadsTest {

    @InjectWireMock
    WireMockServer metadata;

    @BeforeEach
    void buckets() {
        stubCatalog(metadata);
    }

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
}
