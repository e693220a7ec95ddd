package io.stowage.system;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the services keep between requests (the gateway's download lookups, small blobs and presigned
 * S3 GETs; image-service's lookups and variants) never serves what the catalog no longer allows beyond
 * the documented bound: right after an object is overwritten, made private or deleted through the
 * gateway, every download path (native, public, Supabase public and authenticated) answers the
 * catalog's current truth at once, and the image routes within their lookup bound (an overwritten image
 * is rendered from its new version); a change made
 * around this gateway (as another replica would make it) is seen within the gateway's lookup bound.
 */
class ReadFreshnessSystemTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    /** The documented bound of the gateway's and image-service's kept lookups (1 s), with room for a loaded machine. */
    private static final Duration BOUND = Duration.ofSeconds(1);
    private static final Duration SLACK = Duration.ofSeconds(4);

    private static StowageSuite suite;
    private static String alice;
    private static String bucket;

    @BeforeAll
    static void publicBucket() throws Exception {
        suite = StowageSuite.get();
        String admin = suite.identities().token("root");
        alice = suite.identities().token("alice");
        bucket = "fresh-" + UUID.randomUUID().toString().substring(0, 8);
        assertEquals(201, send("POST", "/v1/buckets", admin, JSON.writeValueAsBytes(Map.of("name", bucket)), "application/json").statusCode());
    }

    @Test
    void anOverwriteIsServedAtOnceOnEveryReadPath() throws Exception {
        byte[] first = "first version".getBytes(StandardCharsets.UTF_8);
        byte[] second = "the second version".getBytes(StandardCharsets.UTF_8);
        put("doc.txt", first, "public");
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(first, read("/v1/objects/" + bucket + "/doc.txt", alice));
            assertArrayEquals(first, read("/v1/public/" + bucket + "/doc.txt", null));
        }
        put("doc.txt", second, "public");
        assertArrayEquals(second, read("/v1/objects/" + bucket + "/doc.txt", alice));
        assertArrayEquals(second, read("/v1/public/" + bucket + "/doc.txt", null));
        assertArrayEquals(second, read("/storage/v1/object/public/" + bucket + "/doc.txt", null));
        assertArrayEquals(second, read("/storage/v1/object/authenticated/" + bucket + "/doc.txt", alice));
    }

    @Test
    void anObjectMadePrivateOrDeletedIsRefusedAtOnce() throws Exception {
        byte[] png = SystemTestSupport.png(24, 16, java.awt.Color.RED);
        JsonNode file = put("pic.png", png, "public");
        String[] anonymous = {"/v1/public/" + bucket + "/pic.png", "/storage/v1/object/public/" + bucket + "/pic.png",
                "/storage/v1/render/image/public/" + bucket + "/pic.png?width=8"};
        for (String path : anonymous) {
            assertEquals(200, send("GET", path, null, null, null).statusCode(), path);
            assertEquals(200, send("GET", path, null, null, null).statusCode(), path);
        }
        assertEquals(200, send("PATCH", "/v1/files/" + file.get("id").asText(), alice,
                JSON.writeValueAsBytes(Map.of("visibility", "private")), "application/json").statusCode());
        for (String path : anonymous) {
            int refused = path.startsWith("/storage") ? 400 : 404;
            if (path.contains("/render/")) {
                assertWithinBound(path, null, refused);
            } else {
                HttpResponse<byte[]> answer = send("GET", path, null, null, null);
                assertEquals(refused, answer.statusCode(), path + ": " + new String(answer.body()));
            }
        }
        assertEquals(200, send("GET", "/v1/objects/" + bucket + "/pic.png", alice, null, null).statusCode());

        assertEquals(200, send("DELETE", "/v1/files/by-path/" + bucket + "/pic.png", alice, null, null).statusCode());
        for (String path : new String[] {"/v1/objects/" + bucket + "/pic.png", "/storage/v1/object/authenticated/" + bucket + "/pic.png",
                "/storage/v1/render/image/authenticated/" + bucket + "/pic.png?width=8"}) {
            int refused = path.startsWith("/storage") ? 400 : 404;
            if (path.contains("/render/")) {
                assertWithinBound(path, alice, refused);
            } else {
                HttpResponse<byte[]> gone = send("GET", path, alice, null, null);
                assertEquals(refused, gone.statusCode(), path + ": " + new String(gone.body()));
            }
        }
    }

    @Test
    void anOverwrittenImageIsRenderedFromTheNewVersionWithinTheLookupBound() throws Exception {
        put("swatch.png", SystemTestSupport.png(24, 16, java.awt.Color.RED), "public");
        String[][] renders = {{"/storage/v1/render/image/public/" + bucket + "/swatch.png?width=8", null},
                {"/storage/v1/render/image/authenticated/" + bucket + "/swatch.png?width=8", alice}};
        for (String[] render : renders) {
            // twice: the second is served from what image-service keeps (its lookup and the stored variant)
            assertEquals(java.awt.Color.RED.getRGB(), centre(read(render[0], render[1])), render[0]);
            assertEquals(java.awt.Color.RED.getRGB(), centre(read(render[0], render[1])), render[0]);
        }
        put("swatch.png", SystemTestSupport.png(24, 16, java.awt.Color.BLUE), "public");
        for (String[] render : renders) {
            long deadline = System.nanoTime() + BOUND.plus(SLACK).toNanos();
            while (centre(read(render[0], render[1])) != java.awt.Color.BLUE.getRGB()) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError(render[0] + " still rendered the overwritten image " + BOUND.plus(SLACK).toMillis()
                            + " ms after the overwrite");
                }
                Thread.sleep(50);
            }
        }
        // the native read of the same name is the new version at once
        assertEquals(java.awt.Color.BLUE.getRGB(), centre(read("/v1/objects/" + bucket + "/swatch.png", alice)));
    }

    /** The colour of a rendered image's centre pixel, opaque. */
    private static int centre(byte[] image) throws Exception {
        java.awt.image.BufferedImage decoded = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(image));
        if (decoded == null) {
            throw new AssertionError("not an image: " + image.length + " bytes");
        }
        return decoded.getRGB(decoded.getWidth() / 2, decoded.getHeight() / 2) | 0xFF000000;
    }

    @Test
    void aChangeMadeAroundThisGatewayIsSeenWithinTheLookupBound() throws Exception {
        byte[] bytes = "kept for a moment".getBytes(StandardCharsets.UTF_8);
        put("around.txt", bytes, "public");
        String[][] reads = {{"/v1/objects/" + bucket + "/around.txt", alice}, {"/v1/public/" + bucket + "/around.txt", null},
                {"/storage/v1/object/public/" + bucket + "/around.txt", null}};
        for (String[] read : reads) {
            assertArrayEquals(bytes, read(read[0], read[1]));
            assertArrayEquals(bytes, read(read[0], read[1]));
        }
        // deleted at metadata-service itself, as through another gateway replica: this gateway hears nothing of it
        HttpResponse<byte[]> deleted = HTTP.send(HttpRequest.newBuilder(
                        URI.create(suite.url("metadata-service") + "/v1/files/by-path/" + bucket + "/around.txt"))
                .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + alice).DELETE().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, deleted.statusCode(), new String(deleted.body()));
        for (String[] read : reads) {
            assertWithinBound(read[0], read[1], read[0].startsWith("/storage") ? 400 : 404);
        }
    }

    @Test
    void anOverwriteAroundThisGatewayWhoseOldBlobIsGoneIsServedFromTheNewVersionNeverA404() throws Exception {
        // larger than the gateway keeps in memory, so the bytes come from S3 through the kept lookup's blob key
        byte[] first = new byte[100 * 1024];
        byte[] second = new byte[100 * 1024];
        java.util.Arrays.fill(first, (byte) 'a');
        java.util.Arrays.fill(second, (byte) 'b');
        java.util.Set<String> before = blobKeys();
        put("big.bin", first, "private");
        java.util.Set<String> firstBlobs = blobKeys();
        firstBlobs.removeAll(before);
        assertEquals(1, firstBlobs.size(), firstBlobs.toString());
        String path = "/v1/objects/" + bucket + "/big.bin";
        assertArrayEquals(first, read(path, alice));

        // overwritten at upload-service itself, as through another replica; the old blob released and deleted at once
        HttpResponse<byte[]> overwritten = HTTP.send(HttpRequest.newBuilder(URI.create(suite.url("upload-service") + path))
                        .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + alice)
                        .header("Content-Type", "application/octet-stream").PUT(HttpRequest.BodyPublishers.ofByteArray(second)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertTrue(overwritten.statusCode() == 200 || overwritten.statusCode() == 201, new String(overwritten.body()));
        suite.s3().client().deleteObject(r -> r.bucket(suite.s3().bucket()).key(firstBlobs.iterator().next()));

        // within the bound the gateway may still hold the old lookup: its blob is gone, so it asks again
        assertArrayEquals(second, read(path, alice));
    }

    private static java.util.Set<String> blobKeys() {
        return suite.s3().client().listObjectsV2Paginator(r -> r.bucket(suite.s3().bucket()).prefix("blobs/")).contents().stream()
                .map(o -> o.key()).collect(java.util.stream.Collectors.toCollection(java.util.HashSet::new));
    }

    /**
     * {@code path} answers {@code status} within the lookup bound (plus slack for a loaded machine);
     * what it answers before is the object as it was, never an error.
     */
    private static void assertWithinBound(String path, String token, int status) throws Exception {
        long deadline = System.nanoTime() + BOUND.plus(SLACK).toNanos();
        while (true) {
            HttpResponse<byte[]> answer = send("GET", path, token, null, null);
            if (answer.statusCode() == status) {
                return;
            }
            assertEquals(200, answer.statusCode(), path + ": " + new String(answer.body()));
            if (System.nanoTime() > deadline) {
                throw new AssertionError(path + " still served " + BOUND.plus(SLACK).toMillis() + " ms after the change");
            }
            Thread.sleep(50);
        }
    }

    private static JsonNode put(String name, byte[] bytes, String visibility) throws Exception {
        HttpResponse<byte[]> put = HTTP.send(HttpRequest.newBuilder(URI.create(suite.gatewayUrl() + "/v1/objects/" + bucket + "/" + name))
                .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + alice)
                .header("Content-Type", name.endsWith(".png") ? "image/png" : "text/plain")
                .header("X-Stowage-Visibility", visibility)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(true, put.statusCode() == 200 || put.statusCode() == 201, new String(put.body()));
        JsonNode file = JSON.readTree(put.body());
        assertEquals(visibility, file.get("visibility").asText());
        return file;
    }

    private static byte[] read(String path, String token) throws Exception {
        HttpResponse<byte[]> response = send("GET", path, token, null, null);
        assertEquals(200, response.statusCode(), path + ": " + new String(response.body()));
        return response.body();
    }

    private static HttpResponse<byte[]> send(String method, String path, String token, byte[] body, String contentType) throws Exception {
        return SystemTestSupport.send(suite, method, path, token, body, contentType);
    }
}
