package io.stowage.upload;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.stowage.infra.SharedInfra;
import io.stowage.infra.quarkus.OidcResource;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A 200 MiB direct upload through a JVM whose heap is 128 MiB (surefire execution {@code small-heap},
 * {@code -Xmx128m}), shared by the service, this test and the S3 server: the body is generated on
 * the fly and must be streamed through, never held.
 */
@QuarkusTest
@WithTestResource(OidcResource.class)
@WithTestResource(SmallHeapResource.class)
class SmallHeapDirectUploadTest {

    private static final long SIZE = 200L * 1024 * 1024;

    @Test
    void streamsTwoHundredMebibytesThroughA128MebibyteHeap() throws Exception {
        assertTrue(Runtime.getRuntime().maxMemory() <= 128L * 1024 * 1024,
                "this test must run with -Xmx128m, not " + Runtime.getRuntime().maxMemory());
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + RestAssured.port + "/v1/objects/videos/big.bin"))
                .header("Authorization", "Bearer " + SharedInfra.issuer().mint("alice", Set.of()))
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.fromPublisher(
                        HttpRequest.BodyPublishers.ofInputStream(() -> new PatternStream(SIZE)), SIZE))
                .build(), HttpResponse.BodyHandlers.ofString());

        assertEquals(201, answer.statusCode(), answer.body());
        assertEquals("file-big", new ObjectMapper().readTree(answer.body()).get("id").asText());
        try (S3Client s3 = S3Client.builder()
                .endpointOverride(URI.create(SmallHeapResource.s3.endpoint()))
                .region(Region.of(SmallHeapResource.s3.region()))
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        SmallHeapResource.s3.accessKey(), SmallHeapResource.s3.secretKey())))
                .httpClient(UrlConnectionHttpClient.create())
                .build()) {
            List<S3Object> blobs = s3.listObjectsV2(r -> r.bucket(SmallHeapResource.s3.bucket()).prefix("blobs/")).contents();
            assertEquals(1, blobs.size());
            assertEquals(SIZE, blobs.get(0).size());
            try (InputStream stored = s3.getObject(r -> r.bucket(SmallHeapResource.s3.bucket()).key(blobs.get(0).key()))) {
                assertArrayEquals(sha256(new PatternStream(SIZE)), sha256(stored));
            }
        }
    }

    private static byte[] sha256(InputStream in) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        byte[] buffer = new byte[64 * 1024];
        for (int n; (n = in.read(buffer)) > 0; ) {
            digest.update(buffer, 0, n);
        }
        return digest.digest();
    }
}
