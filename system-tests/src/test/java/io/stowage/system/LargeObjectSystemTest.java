package io.stowage.system;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A 1 GiB object up and down through the gateway, whose heap is capped at 128 MiB by the suite: the
 * body is generated and checked as a stream on this side too, so nothing holds it whole anywhere.
 */
class LargeObjectSystemTest {

    private static final long SIZE = 1L << 30;
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Deterministic pseudo-random bytes, produced as they are read. */
    private static InputStream generated(long size) {
        return new InputStream() {
            private final SplittableRandom random = new SplittableRandom(42);
            private long left = size;

            @Override
            public int read() {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (left == 0) {
                    return -1;
                }
                int n = (int) Math.min(len, left);
                for (int i = 0; i < n; i++) {
                    b[off + i] = (byte) random.nextInt(256);
                }
                left -= n;
                return n;
            }
        };
    }

    private static String sha256(InputStream in) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        byte[] buffer = new byte[1 << 16];
        long total = 0;
        for (int n; (n = in.read(buffer)) > 0; ) {
            digest.update(buffer, 0, n);
            total += n;
        }
        assertEquals(SIZE, total);
        return HexFormat.of().formatHex(digest.digest());
    }

    @Test
    void streamsAGibibyteUpAndDownThroughTheGatewayWithA128MiBHeap() throws Exception {
        StowageSuite suite = StowageSuite.get();
        String admin = suite.identities().token("root");
        String alice = suite.identities().token("alice");
        String bucket = "large-" + System.nanoTime();
        var created = HTTP.send(HttpRequest.newBuilder(URI.create(suite.gatewayUrl() + "/v1/buckets"))
                .header("Authorization", "Bearer " + admin).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("name", bucket)))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, created.statusCode(), created.body());

        URI object = URI.create(suite.gatewayUrl() + "/v1/objects/" + bucket + "/big.bin");
        var uploaded = HTTP.send(HttpRequest.newBuilder(object).timeout(Duration.ofMinutes(5))
                .header("Authorization", "Bearer " + alice).header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.fromPublisher(
                        HttpRequest.BodyPublishers.ofInputStream(() -> generated(SIZE)), SIZE)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, uploaded.statusCode(), uploaded.body());
        assertEquals(SIZE, JSON.readTree(uploaded.body()).get("size").asLong());

        var downloaded = HTTP.send(HttpRequest.newBuilder(object).timeout(Duration.ofMinutes(5))
                .header("Authorization", "Bearer " + alice).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, downloaded.statusCode());
        try (InputStream body = downloaded.body()) {
            assertEquals(sha256(generated(SIZE)), sha256(body));
        }
    }
}
