package io.stowage.upload;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A 200 MiB direct upload through the packaged service running in its own JVM with a 128 MiB heap
 * (failsafe, {@code quarkus.test.arg-line=-Xmx128m}); the S3 server (blobs on disk) and the
 * metadata-service stub run in this test's JVM. The body is generated on the fly and must be
 * streamed through the service, never held.
 *
 * <p>Why a separate JVM: with the test, the S3 server and Quarkus's test bootstrap in the same 128 MiB,
 * the bootstrap alone kept about 105-115 MiB live (every classpath jar held open in
 * {@code SharedArchivePathTree}'s cache, the Jandex index), so the budget measured the harness, not the
 * service, and four more extensions tipped it into OutOfMemoryError. Here the 128 MiB are the service's.
 */
@QuarkusIntegrationTest
@WithTestResource(OidcResource.class)
@WithTestResource(SmallHeapResource.class)
class SmallHeapDirectUploadIT {

    private static final long SIZE = 200L * 1024 * 1024;

    @Test
    void streamsTwoHundredMebibytesThroughA128MebibyteHeap() throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        // The service's own heap, from its JVM metrics: the largest the old generation may grow to.
        double maxHeap = gauge(http, "jvm_gc_max_data_size_bytes");
        assertTrue(maxHeap > 0 && maxHeap <= 128L * 1024 * 1024, "the service must run with -Xmx128m, not " + maxHeap);
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
        // For the record (not asserted): what the service kept live after streaming the 200 MiB.
        System.out.printf("upload-service heap: max %.0f MiB, live after the last GC %.1f MiB%n",
                maxHeap / 1048576, gauge(http, "jvm_gc_live_data_size_bytes") / 1048576);
    }

    /** One series of the service's /q/metrics (on its management port), without labels. */
    private static double gauge(HttpClient http, String name) throws Exception {
        String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + SmallHeapResource.managementPort + "/q/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = Pattern.compile("(?m)^" + name + "(?:\\{[^}]*})? ([0-9.E+-]+)$").matcher(metrics);
        assertTrue(m.find(), name + " missing from /q/metrics");
        return Double.parseDouble(m.group(1));
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
