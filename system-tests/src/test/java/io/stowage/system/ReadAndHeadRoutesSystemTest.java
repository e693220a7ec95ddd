package io.stowage.system;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The read, HEAD and abort routes no other system test sends through the real services: bucket
 * reads, object records by path, HEAD downloads, an aborted multipart upload, image renders by
 * Thumbor URL and Supabase's public render route, the authenticated info route and HEAD of a
 * signed link.
 */
class ReadAndHeadRoutesSystemTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static final byte[] TEXT = "read me twice".getBytes(StandardCharsets.UTF_8);

    private static StowageSuite suite;
    private static String alice;
    private static String privateBucket;
    private static String publicBucket;
    private static byte[] png;

    @BeforeAll
    static void objects() throws Exception {
        suite = StowageSuite.get();
        String admin = suite.identities().token("root");
        alice = suite.identities().token("alice");
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        privateBucket = "reads-" + suffix;
        publicBucket = "reads-public-" + suffix;
        assertEquals(201, send("POST", "/v1/buckets", admin, JSON.writeValueAsBytes(Map.of("name", privateBucket)), "application/json").statusCode());
        assertEquals(201, send("POST", "/v1/buckets", admin,
                JSON.writeValueAsBytes(Map.of("name", publicBucket, "public", true)), "application/json").statusCode());
        assertEquals(201, send("PUT", "/v1/objects/" + privateBucket + "/docs/a.txt", alice, TEXT, "text/plain").statusCode());
        png = SystemTestSupport.png(64, 48, Color.ORANGE);
        assertEquals(201, send("PUT", "/v1/objects/" + publicBucket + "/p.png", alice, png, "image/png").statusCode());
    }

    @Test
    void listsAndReadsBucketsThroughTheGateway() throws Exception {
        JsonNode buckets = json(send("GET", "/v1/buckets", alice, null, null), 200);
        boolean listed = false;
        for (JsonNode bucket : buckets) {
            listed |= bucket.get("name").asText().equals(privateBucket);
        }
        assertTrue(listed, buckets.toString());
        assertEquals(privateBucket, json(send("GET", "/v1/buckets/" + privateBucket, alice, null, null), 200).get("name").asText());
    }

    @Test
    void readsAnObjectRecordByPath() throws Exception {
        JsonNode file = json(send("GET", "/v1/files/by-path/" + privateBucket + "/docs/a.txt", alice, null, null), 200);
        assertEquals("docs/a.txt", file.get("name").asText());
        assertEquals(TEXT.length, file.get("size").asLong());
    }

    @Test
    void answersHeadOfPrivateAndPublicObjectsWithoutABody() throws Exception {
        HttpResponse<byte[]> head = send("HEAD", "/v1/objects/" + privateBucket + "/docs/a.txt", alice, null, null);
        assertEquals(200, head.statusCode());
        assertEquals(String.valueOf(TEXT.length), head.headers().firstValue("Content-Length").orElse(""));
        assertTrue(head.headers().firstValue("ETag").isPresent());
        HttpResponse<byte[]> publicHead = send("HEAD", "/v1/public/" + publicBucket + "/p.png", null, null, null);
        assertEquals(200, publicHead.statusCode());
        assertEquals("image/png", publicHead.headers().firstValue("Content-Type").orElse(""));
        HttpResponse<byte[]> publicGet = send("GET", "/v1/public/" + publicBucket + "/p.png", null, null, null);
        assertArrayEquals(png, publicGet.body());
    }

    @Test
    void anAbortedMultipartUploadCannotBeCompletedOrRegistered() throws Exception {
        JsonNode init = json(send("POST", "/v1/files/multipart/init", alice, JSON.writeValueAsBytes(Map.of("bucket", privateBucket,
                "path", "aborted.bin", "contentType", "application/octet-stream", "size", 6 * 1024 * 1024,
                "partSize", 5 * 1024 * 1024)), "application/json"), 200);
        String uploadId = init.get("uploadId").asText();
        HttpResponse<byte[]> abort = send("POST", "/v1/files/multipart/abort", alice,
                JSON.writeValueAsBytes(Map.of("uploadId", uploadId)), "application/json");
        assertTrue(abort.statusCode() == 200 || abort.statusCode() == 204, new String(abort.body(), StandardCharsets.UTF_8));
        int registered = send("POST", "/v1/files", alice, JSON.writeValueAsBytes(Map.of("uploadId", uploadId)), "application/json")
                .statusCode();
        assertTrue(registered >= 400 && registered < 500, "registering an aborted upload answered " + registered);
        assertEquals(404, send("GET", "/v1/files/by-path/" + privateBucket + "/aborted.bin", alice, null, null).statusCode());
    }

    @Test
    void rendersAThumborUrlAndSupabasesPublicRenderRoute() throws Exception {
        HttpResponse<byte[]> thumbor = send("GET", "/img/unsafe/32x24/" + publicBucket + "/p.png", alice, null, null);
        assertEquals(200, thumbor.statusCode(), new String(thumbor.body(), StandardCharsets.UTF_8));
        BufferedImage rendered = ImageIO.read(new java.io.ByteArrayInputStream(thumbor.body()));
        assertEquals(32, rendered.getWidth());
        HttpResponse<byte[]> supabase = send("GET", "/storage/v1/render/image/public/" + publicBucket
                + "/p.png?width=16&height=12&format=origin", null, null, null);
        assertRendered(supabase, 16, 12);
    }

    @Test
    void rendersPrivateImagesThroughTheAuthenticatedAndSignedRenderRoutes() throws Exception {
        assertEquals(201, send("PUT", "/v1/objects/" + privateBucket + "/pic.png", alice, png, "image/png").statusCode());
        assertRendered(send("GET", "/storage/v1/render/image/authenticated/" + privateBucket + "/pic.png?width=32&height=24&format=origin",
                alice, null, null), 32, 24);
        // the render routes' errors come in Supabase's shape, as the other Supabase routes' do
        HttpResponse<byte[]> anonymous = send("GET", "/storage/v1/render/image/authenticated/" + privateBucket + "/pic.png?width=32",
                null, null, null);
        assertEquals(400, anonymous.statusCode(), new String(anonymous.body(), StandardCharsets.UTF_8));
        assertTrue(JSON.readTree(anonymous.body()).get("statusCode").isTextual());
        HttpResponse<byte[]> missing = send("GET", "/storage/v1/render/image/public/" + publicBucket + "/nothing.png?width=32",
                null, null, null);
        assertEquals(400, missing.statusCode());
        JsonNode notFound = JSON.readTree(missing.body());
        assertEquals("404", notFound.get("statusCode").asText());
        assertEquals("NoSuchKey", notFound.get("code").asText());

        JsonNode signed = json(send("POST", "/storage/v1/object/sign/" + privateBucket + "/pic.png", alice,
                "{\"expiresIn\":60,\"transform\":{\"width\":16,\"height\":12,\"format\":\"origin\"}}".getBytes(StandardCharsets.UTF_8),
                "application/json"), 200);
        String url = signed.get("signedURL").asText();
        assertTrue(url.startsWith("/render/image/sign/"), url);
        assertRendered(send("GET", "/storage/v1" + url, null, null, null), 16, 12);

        // the rendition, gravity and offsets included, is signed into the token: the URL carries only the
        // token, and a query added to it does not change what is rendered
        JsonNode focal = json(send("POST", "/storage/v1/object/sign/" + privateBucket + "/pic.png", alice,
                "{\"expiresIn\":60,\"transform\":{\"width\":16,\"height\":12,\"resize\":\"cover\",\"gravity\":\"fp\",\"x_offset\":0.9,\"y_offset\":0.25,\"format\":\"origin\"}}"
                        .getBytes(StandardCharsets.UTF_8), "application/json"), 200);
        String bound = focal.get("signedURL").asText();
        assertTrue(bound.matches("/render/image/sign/" + privateBucket + "/pic\\.png\\?token=[^&]+"), bound);
        HttpResponse<byte[]> rendered = send("GET", "/storage/v1" + bound + "&width=64&height=64&gravity=we", null, null, null);
        assertRendered(rendered, 16, 12);
        assertEquals("resize:cover:16:12/gravity:fp:0.9:0.25/format:png",
                rendered.headers().firstValue("X-Transformations").orElse(""));

        // a transform option of the wrong JSON type is refused, in Supabase's shape
        HttpResponse<byte[]> wrongType = send("POST", "/storage/v1/object/sign/" + privateBucket + "/pic.png", alice,
                "{\"expiresIn\":60,\"transform\":{\"width\":\"wide\"}}".getBytes(StandardCharsets.UTF_8), "application/json");
        assertEquals(400, wrongType.statusCode());
        assertEquals("400", JSON.readTree(wrongType.body()).get("statusCode").asText());
    }

    /** A PNG of the asked size came back (format=origin keeps the source's format). */
    private static void assertRendered(HttpResponse<byte[]> response, int width, int height) throws Exception {
        assertEquals(200, response.statusCode(), new String(response.body(), StandardCharsets.UTF_8));
        assertEquals("image/png", response.headers().firstValue("Content-Type").orElse(""));
        BufferedImage image = ImageIO.read(new java.io.ByteArrayInputStream(response.body()));
        assertEquals(width, image.getWidth());
        assertEquals(height, image.getHeight());
    }

    @Test
    void answersTheAuthenticatedInfoRouteAndHeadOfASignedLink() throws Exception {
        JsonNode info = json(send("GET", "/storage/v1/object/info/authenticated/" + privateBucket + "/docs/a.txt", alice, null, null), 200);
        assertEquals(TEXT.length, info.get("size").asLong());
        JsonNode signed = json(send("POST", "/storage/v1/object/sign/" + privateBucket + "/docs/a.txt", alice,
                "{\"expiresIn\":60}".getBytes(StandardCharsets.UTF_8), "application/json"), 200);
        HttpResponse<byte[]> head = send("HEAD", "/storage/v1" + signed.get("signedURL").asText(), null, null, null);
        assertEquals(200, head.statusCode());
        assertEquals(String.valueOf(TEXT.length), head.headers().firstValue("Content-Length").orElse(""));
    }

    private static HttpResponse<byte[]> send(String method, String path, String token, byte[] body, String contentType) throws Exception {
        return SystemTestSupport.send(suite, method, path, token, body, contentType);
    }

    private static JsonNode json(HttpResponse<byte[]> response, int status) throws Exception {
        assertEquals(status, response.statusCode(), new String(response.body(), StandardCharsets.UTF_8));
        return JSON.readTree(response.body());
    }
}
