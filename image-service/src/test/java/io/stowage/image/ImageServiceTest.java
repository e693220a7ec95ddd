package io.stowage.image;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.stowage.events.ObjectEventData;
import io.stowage.events.ObjectEvents;
import io.stowage.events.PurgeNotice;
import io.stowage.image.render.Renderer;
import io.stowage.image.vips.Vips;
import io.stowage.image.vips.VipsEngine;
import io.stowage.infra.S3Server;
import io.stowage.infra.SharedInfra;
import io.stowage.infra.quarkus.KafkaResource;
import io.stowage.infra.quarkus.OidcResource;
import io.stowage.infra.quarkus.S3Resource;
import jakarta.inject.Inject;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

import java.awt.image.BufferedImage;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * image-service on the real S3 server, Kafka broker and token issuer; metadata-service is a WireMock
 * stub answering like the contract, signing-service a stub that checks real HMAC signatures.
 */
@QuarkusTest
@WithTestResource(S3Resource.class)
@WithTestResource(OidcResource.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(UpstreamsResource.class)
class ImageServiceTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] HALVES = TestImages.halves(400, 300, "jpg");
    private static S3Client s3;
    private static String physical;

    @InjectMetadata
    WireMockServer metadata;

    @Inject
    VipsEngine engine;

    @Inject
    Renderer renderer;

    @TestHTTPResource("/")
    URL base;

    /** Health and metrics are served on the management interface, apart from the API. */
    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    @TestHTTPResource(value = "/health/ready", management = true)
    URL readiness;

    @BeforeAll
    static void s3() {
        S3Server server = SharedInfra.s3();
        physical = server.bucket();
        s3 = TestS3.client(server);
    }

    @AfterAll
    static void close() {
        s3.close();
    }

    /** Puts the blob in S3 and makes the metadata stub answer for it; private objects only for {@code reader}. */
    private String object(String name, byte[] bytes, String contentType, String visibility, String reader) {
        String blobKey = "blobs/" + UUID.randomUUID();
        s3.putObject(b -> b.bucket(physical).key(blobKey).contentType(contentType), RequestBody.fromBytes(bytes));
        return register(name, blobKey, bytes.length, contentType, visibility, reader);
    }

    private String register(String name, String blobKey, long size, String contentType, String visibility, String reader) {
        Map<String, Object> file = new LinkedHashMap<>();
        file.put("id", UUID.randomUUID().toString());
        file.put("bucket", "photos");
        file.put("name", name);
        file.put("blobKey", blobKey);
        file.put("size", size);
        file.put("contentType", contentType);
        file.put("etag", "\"e\"");
        file.put("visibility", visibility);
        String body;
        try {
            body = JSON.writeValueAsString(file);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        String path = "/internal/objects/by-path/photos/" + name;
        // anonymous lookups use the catalog's public read route, which answers public things only
        String publicPath = "/v1/files/by-path/photos/" + name;
        metadata.stubFor(get(urlPathEqualTo(publicPath)).willReturn(reader == null
                ? aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(body)
                : aResponse().withStatus(404).withHeader("Content-Type", "application/json")
                        .withBody("{\"statusCode\":404,\"error\":\"ObjectNotFound\",\"message\":\"not found\"}")));
        if (reader == null) {
            metadata.stubFor(get(urlPathEqualTo(path)).willReturn(aResponse().withStatus(200)
                    .withHeader("Content-Type", "application/json").withBody(body)));
        } else {
            metadata.stubFor(get(urlPathEqualTo(path)).atPriority(9).willReturn(aResponse().withStatus(404)
                    .withHeader("Content-Type", "application/json")
                    .withBody("{\"statusCode\":404,\"error\":\"ObjectNotFound\",\"message\":\"not found\"}")));
            metadata.stubFor(get(urlPathEqualTo(path)).atPriority(1).withHeader("Authorization", equalTo(reader))
                    .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(body)));
        }
        return blobKey;
    }

    private static String unique(String ext) {
        return "p-" + UUID.randomUUID() + "." + ext;
    }

    private static Response fetch(String path) {
        return given().urlEncodingEnabled(false).header("Accept", "image/jpeg,*/*").get(path);
    }

    private Vips.Header dims(byte[] bytes) {
        return engine.vips().header(bytes);
    }

    private static int rgb(BufferedImage image, int x, int y) {
        return image.getRGB(x, y) & 0xffffff;
    }

    private static boolean reddish(int rgb) {
        return ((rgb >> 16) & 0xff) > 200 && (rgb & 0xff) < 60;
    }

    private static boolean blueish(int rgb) {
        return (rgb & 0xff) > 200 && ((rgb >> 16) & 0xff) < 60;
    }

    private List<String> variantKeys(String blobKey) {
        return s3.listObjectsV2(b -> b.bucket(physical).prefix("variants/photos/" + blobKey + "/")).contents().stream()
                .map(o -> o.key()).toList();
    }

    @Test
    void countsRendersByFormatAndVariantCacheHitsForOperators() {
        String name = unique("jpg");
        object(name, HALVES, "image/jpeg", "public", null);
        assertEquals("miss", fetch("/img/unsafe/fit-in/60x60/filters:format(webp)/photos/" + name).header("X-Stowage-Variant"));
        assertEquals("hit", fetch("/img/unsafe/fit-in/60x60/filters:format(webp)/photos/" + name).header("X-Stowage-Variant"));
        String metrics = given().get(this.metrics).then().statusCode(200).extract().asString();
        assertTrue(metrics.contains("stowage_image_transforms_seconds_count{format=\"webp\",outcome=\"rendered\"}"), metrics);
        assertTrue(metrics.contains("stowage_image_variant_cache_total{result=\"hit\"}"), metrics);
        assertTrue(metrics.contains("stowage_image_variant_cache_total{result=\"miss\"}"), metrics);
    }

    @Test
    void isReadyWithLibvipsLoaded() {
        given().get(readiness).then().statusCode(200)
                .body("checks.find { it.name == 'libvips' }.data.version", org.hamcrest.Matchers.startsWith("8."));
    }

    @Test
    void rendersFitInIntoTheBoxCachesTheVariantInS3AndAnswers304() {
        String name = unique("jpg");
        String blobKey = object(name, HALVES, "image/jpeg", "public", null);
        Response first = fetch("/img/unsafe/fit-in/100x100/photos/" + name);
        assertEquals(200, first.statusCode());
        assertEquals("image/jpeg", first.contentType());
        assertEquals("miss", first.header("X-Stowage-Variant"));
        assertEquals("public, max-age=31536000, immutable", first.header("Cache-Control"));
        String etag = first.header("ETag");
        assertTrue(etag.matches("\"[0-9a-f]{40}\""), etag);
        BufferedImage image = TestImages.decode(first.asByteArray());
        assertEquals(100, image.getWidth());
        assertEquals(75, image.getHeight());

        List<String> keys = variantKeys(blobKey);
        assertEquals(1, keys.size());
        assertArrayEquals(first.asByteArray(), s3.getObjectAsBytes(b -> b.bucket(physical).key(keys.get(0))).asByteArray());

        Response second = fetch("/img/unsafe/fit-in/100x100/photos/" + name);
        assertEquals("hit", second.header("X-Stowage-Variant"));
        assertEquals(etag, second.header("ETag"));
        assertArrayEquals(first.asByteArray(), second.asByteArray());

        Response notModified = given().urlEncodingEnabled(false).header("If-None-Match", etag)
                .get("/img/unsafe/fit-in/100x100/photos/" + name);
        assertEquals(304, notModified.statusCode());
        assertEquals(etag, notModified.header("ETag"));
        assertEquals(0, notModified.asByteArray().length);
    }

    @Test
    void coverCropsToTheExactSizeWhereTheAlignmentSays() {
        String name = unique("png");
        object(name, TestImages.halves(400, 300, "png"), "image/png", "public", null);
        BufferedImage centre = TestImages.decode(fetch("/img/unsafe/100x100/photos/" + name).asByteArray());
        assertEquals(100, centre.getWidth());
        assertEquals(100, centre.getHeight());
        assertTrue(reddish(rgb(centre, 5, 50)) && blueish(rgb(centre, 95, 50)));
        BufferedImage left = TestImages.decode(fetch("/img/unsafe/100x300/left/top/photos/" + name).asByteArray());
        assertEquals(100, left.getWidth());
        assertTrue(reddish(rgb(left, 95, 150)), Integer.toHexString(rgb(left, 95, 150)));
        BufferedImage right = TestImages.decode(fetch("/img/unsafe/100x300/right/bottom/photos/" + name).asByteArray());
        assertTrue(blueish(rgb(right, 5, 150)));
        BufferedImage smart = TestImages.decode(fetch("/img/unsafe/120x80/smart/photos/" + name).asByteArray());
        assertEquals(120, smart.getWidth());
        assertEquals(80, smart.getHeight());
    }

    @Test
    void zeroSideKeepsTheAspectRatioAndLeadingMinusFlips() {
        String name = unique("png");
        object(name, TestImages.halves(400, 300, "png"), "image/png", "public", null);
        BufferedImage wide = TestImages.decode(fetch("/img/unsafe/200x0/photos/" + name).asByteArray());
        assertEquals(200, wide.getWidth());
        assertEquals(150, wide.getHeight());
        BufferedImage tall = TestImages.decode(fetch("/img/unsafe/0x75/photos/" + name).asByteArray());
        assertEquals(100, tall.getWidth());
        BufferedImage original = TestImages.decode(fetch("/img/unsafe/photos/" + name).asByteArray());
        assertEquals(400, original.getWidth());
        BufferedImage flipped = TestImages.decode(fetch("/img/unsafe/-200x0/photos/" + name).asByteArray());
        assertTrue(blueish(rgb(flipped, 5, 75)) && reddish(rgb(flipped, 195, 75)));
        BufferedImage upsideDown = TestImages.decode(fetch("/img/unsafe/200x-0/photos/" + name).asByteArray());
        assertTrue(reddish(rgb(upsideDown, 5, 75)));
    }

    @Test
    void manualCropAndTrimCutTheSourceBeforeResizing() {
        String name = unique("png");
        object(name, TestImages.halves(400, 300, "png"), "image/png", "public", null);
        BufferedImage leftHalf = TestImages.decode(fetch("/img/unsafe/0x0:200x300/photos/" + name).asByteArray());
        assertEquals(200, leftHalf.getWidth());
        assertEquals(300, leftHalf.getHeight());
        assertTrue(reddish(rgb(leftHalf, 195, 150)));
        String framed = unique("png");
        object(framed, TestImages.framed(60, 20), "image/png", "public", null);
        BufferedImage trimmed = TestImages.decode(fetch("/img/unsafe/trim/photos/" + framed).asByteArray());
        assertEquals(60, trimmed.getWidth());
        assertEquals(60, trimmed.getHeight());
        assertTrue(reddish(rgb(trimmed, 0, 0)));
    }

    @Test
    void filtersChangeQualityFormatColourAndSize() {
        String name = unique("jpg");
        byte[] photo = TestImages.halves(800, 600, "jpg");
        object(name, photo, "image/jpeg", "public", null);
        String base = "/img/unsafe/fit-in/400x400/filters:";
        int low = fetch(base + "quality(10)/photos/" + name).asByteArray().length;
        int high = fetch(base + "quality(95)/photos/" + name).asByteArray().length;
        assertTrue(low < high, low + " < " + high);

        Response png = fetch(base + "format(png)/photos/" + name);
        assertEquals("image/png", png.contentType());
        assertNull(png.header("Vary"));
        assertEquals(0x89, png.asByteArray()[0] & 0xff);
        Response webp = fetch(base + "format(webp)/photos/" + name);
        assertEquals("image/webp", webp.contentType());
        assertEquals("WEBP", new String(webp.asByteArray(), 8, 4, StandardCharsets.US_ASCII));
        assertEquals(400, dims(webp.asByteArray()).width());
        Response avif = fetch(base + "format(avif)/photos/" + name);
        assertEquals("image/avif", avif.contentType());
        assertEquals("ftypavif", new String(avif.asByteArray(), 4, 8, StandardCharsets.US_ASCII));
        assertEquals(300, dims(avif.asByteArray()).height());

        BufferedImage gray = TestImages.decode(fetch(base + "grayscale()/photos/" + name).asByteArray());
        int g = gray.getRGB(10, 10);
        assertEquals((g >> 16) & 0xff, g & 0xff);
        BufferedImage blurred = TestImages.decode(fetch(base + "blur(8)/photos/" + name).asByteArray());
        int edge = rgb(blurred, 200, 150);
        assertFalse(reddish(edge) || blueish(edge), "the red/blue edge is mixed: " + Integer.toHexString(edge));
        BufferedImage filled = TestImages.decode(fetch("/img/unsafe/fit-in/100x100/filters:fill(00ff00)/photos/" + name).asByteArray());
        assertEquals(100, filled.getHeight());
        int pad = rgb(filled, 50, 3);
        assertTrue(((pad >> 8) & 0xff) > 200 && ((pad >> 16) & 0xff) < 60, Integer.toHexString(pad));
        BufferedImage notUpscaled = TestImages.decode(fetch("/img/unsafe/fit-in/2000x2000/filters:no_upscale()/photos/" + name).asByteArray());
        assertEquals(800, notUpscaled.getWidth());
        BufferedImage upscaled = TestImages.decode(fetch("/img/unsafe/fit-in/1600x1600/photos/" + name).asByteArray());
        assertEquals(1600, upscaled.getWidth());
        Response stripped = fetch(base + "strip_exif()/photos/" + name);
        assertEquals(200, stripped.statusCode());
        assertEquals(400, TestImages.decode(stripped.asByteArray()).getWidth());

        String clear = unique("png");
        object(clear, TestImages.transparent(50, 50), "image/png", "public", null);
        BufferedImage flattened = TestImages.decode(fetch("/img/unsafe/filters:format(jpeg):fill(red)/photos/" + clear).asByteArray());
        assertTrue(reddish(rgb(flattened, 25, 25)));
    }

    @Test
    void acceptChoosesWebpOrAvifWhenNoFormatIsGiven() {
        String name = unique("jpg");
        object(name, HALVES, "image/jpeg", "public", null);
        Response webp = given().urlEncodingEnabled(false).header("Accept", "image/avif,image/webp,*/*").get("/img/unsafe/100x0/photos/" + name);
        assertEquals("image/webp", webp.contentType());
        assertEquals("Accept", webp.header("Vary"));
        Response avif = given().urlEncodingEnabled(false).header("Accept", "image/avif,*/*").get("/img/unsafe/100x0/photos/" + name);
        assertEquals("image/avif", avif.contentType());
        Response jpeg = given().urlEncodingEnabled(false).header("Accept", "*/*").get("/img/unsafe/100x0/photos/" + name);
        assertEquals("image/jpeg", jpeg.contentType());
        assertEquals("Accept", jpeg.header("Vary"));
        assertFalse(webp.header("ETag").equals(jpeg.header("ETag")));
    }

    @Test
    void signedUrlsAreVerifiedBySigningServiceAsImageServiceItself() {
        String name = unique("jpg");
        object(name, HALVES, "image/jpeg", "public", null);
        String path = "fit-in/50x50/photos/" + name;
        Response signed = fetch("/img/" + UpstreamsResource.sign(path) + "/" + path);
        assertEquals(200, signed.statusCode());
        assertEquals(50, TestImages.decode(signed.asByteArray()).getWidth());
        assertTrue(UpstreamsResource.SIGNING_CALLERS.contains("service-account-stowage-image"), UpstreamsResource.SIGNING_CALLERS.toString());

        Response tampered = fetch("/img/" + UpstreamsResource.sign(path) + "/fit-in/500x500/photos/" + name);
        assertEquals(403, tampered.statusCode());
        assertEquals("InvalidSignature", tampered.jsonPath().getString("error"));
        assertEquals(403, tampered.jsonPath().getInt("statusCode"));
    }

    @Test
    void privateObjectsRenderOnlyForCallersWhoMayReadThem() {
        String alice = "Bearer " + SharedInfra.issuer().mint("alice", Set.of());
        String bob = "Bearer " + SharedInfra.issuer().mint("bob", Set.of());
        String name = unique("jpg");
        object(name, HALVES, "image/jpeg", "private", alice);
        String path = "fit-in/60x60/photos/" + name;
        String url = "/img/" + UpstreamsResource.sign(path) + "/" + path;

        assertEquals(404, fetch("/img/unsafe/" + path).statusCode());
        assertEquals(404, fetch(url).statusCode());
        assertEquals(404, given().urlEncodingEnabled(false).header("Authorization", bob).get(url).statusCode());
        Response invalid = given().urlEncodingEnabled(false).header("Authorization", "Bearer not.a.token").get(url);
        assertEquals(401, invalid.statusCode());
        assertEquals("Unauthorized", invalid.jsonPath().getString("error"));
        Response mine = given().urlEncodingEnabled(false).header("Authorization", alice).get(url);
        assertEquals(200, mine.statusCode());
        assertEquals("private, max-age=31536000, immutable", mine.header("Cache-Control"));
        // unsafe never renders a private object, not even for its owner
        assertEquals(404, given().urlEncodingEnabled(false).header("Authorization", alice).get("/img/unsafe/" + path).statusCode());
    }

    @Test
    void supabaseRenderRoutesResizeAndChooseTheFormat() {
        String name = unique("jpg");
        object(name, HALVES, "image/jpeg", "public", null);
        String route = "/render/image/public/photos/" + name;
        BufferedImage contain = TestImages.decode(given().header("Accept", "*/*").get(route + "?width=100&height=100&resize=contain").asByteArray());
        assertEquals(100, contain.getWidth());
        assertEquals(75, contain.getHeight());
        BufferedImage fill = TestImages.decode(given().header("Accept", "*/*").get(route + "?width=100&height=100&resize=fill").asByteArray());
        assertEquals(100, fill.getHeight());
        BufferedImage cover = TestImages.decode(given().header("Accept", "*/*").get(route + "?width=50&height=100").asByteArray());
        assertEquals(50, cover.getWidth());
        assertEquals(100, cover.getHeight());

        Response origin = given().header("Accept", "image/webp").get(route + "?width=100&format=origin");
        assertEquals("image/jpeg", origin.contentType());
        assertNull(origin.header("Vary"));
        Response negotiated = given().header("Accept", "image/webp").get(route + "?width=100");
        assertEquals("image/webp", negotiated.contentType());
        assertEquals("Accept", negotiated.header("Vary"));
        assertEquals("image/avif", given().get(route + "?width=100&format=avif").contentType());
        int low = given().header("Accept", "*/*").get(route + "?width=300&quality=20").asByteArray().length;
        int high = given().header("Accept", "*/*").get(route + "?width=300&quality=100").asByteArray().length;
        assertTrue(low < high);
        assertEquals("InvalidRequest", given().get(route + "?resize=stretch").jsonPath().getString("error"));
    }

    @Test
    void supabaseAuthenticatedAndSignedRoutesCheckTheCaller() {
        String alice = "Bearer " + SharedInfra.issuer().mint("alice", Set.of());
        String name = unique("jpg");
        object(name, HALVES, "image/jpeg", "protected", alice);
        assertEquals(401, given().get("/render/image/authenticated/photos/" + name + "?width=10").statusCode());
        assertEquals(404, given().get("/render/image/public/photos/" + name + "?width=10").statusCode());
        Response mine = given().header("Authorization", alice).header("Accept", "*/*")
                .get("/render/image/authenticated/photos/" + name + "?width=10");
        assertEquals(200, mine.statusCode());
        assertEquals(10, TestImages.decode(mine.asByteArray()).getWidth());

        String shared = unique("jpg");
        object(shared, HALVES, "image/jpeg", "public", null);
        Response bad = given().get("/render/image/sign/photos/" + shared + "?token=forged&width=10");
        assertEquals(401, bad.statusCode());
        assertEquals("InvalidToken", bad.jsonPath().getString("error"));
        assertEquals(400, given().get("/render/image/sign/photos/" + shared + "?width=10").statusCode());
        Response good = given().header("Accept", "*/*").get("/render/image/sign/photos/" + shared + "?token=" + UpstreamsResource.GOOD_TOKEN + "&width=20");
        assertEquals(200, good.statusCode());
        assertEquals(20, TestImages.decode(good.asByteArray()).getWidth());

        // a token with a rendition signed in renders that one, whatever the query beside it asks
        Response bound = given().header("Accept", "*/*")
                .get("/render/image/sign/photos/" + shared + "?token=" + UpstreamsResource.TRANSFORM_TOKEN + "&width=200&gravity=ea");
        assertEquals(200, bound.statusCode(), bound.asString());
        BufferedImage image = TestImages.decode(bound.asByteArray());
        assertEquals(30, image.getWidth());
        assertEquals(60, image.getHeight());
        assertTrue(reddish(rgb(image, 15, 30)), "the left (red) edge is kept");
        assertEquals("resize:cover:30:60/gravity:left:middle/format:jpeg/quality:80", bound.header("X-Transformations"));
    }

    @Test
    void supabaseGravityKeepsTheEdgeOrFocalPointItNames() {
        String name = unique("jpg");
        object(name, HALVES, "image/jpeg", "public", null);
        String route = "/render/image/public/photos/" + name + "?width=100&height=300";
        // 400x300, left half red, right half blue: a 100x300 cover crop keeps a quarter of the width
        for (String[] c : new String[][] {
                {"&gravity=we", "red"}, {"&gravity=ea", "blue"}, {"&gravity=sowe", "red"}, {"&gravity=noea", "blue"},
                {"&gravity=fp&x_offset=0.1", "red"}, {"&gravity=fp&x_offset=0.9&y_offset=0.1", "blue"},
                {"&gravity=we&x_offset=250", "blue"}, {"&gravity=ea&x_offset=0.7", "red"}}) {
            Response r = given().header("Accept", "image/jpeg").get(route + c[0]);
            assertEquals(200, r.statusCode(), c[0] + ": " + r.asString());
            BufferedImage image = TestImages.decode(r.asByteArray());
            assertEquals(100, image.getWidth());
            assertEquals(300, image.getHeight());
            int centre = rgb(image, 50, 150);
            assertTrue(c[1].equals("red") ? reddish(centre) : blueish(centre), c[0] + " keeps " + c[1] + ": " + Integer.toHexString(centre));
        }
        Response bad = given().get(route + "&gravity=up");
        assertEquals(400, bad.statusCode());
        assertEquals("InvalidRequest", bad.jsonPath().getString("error"));
        assertEquals(400, given().get(route + "&gravity=fp&x_offset=2").statusCode());
    }

    @Test
    void refusesTokensForAnotherAudience() {
        String alice = "Bearer " + SharedInfra.issuer().mint("alice", Set.of());
        String name = unique("jpg");
        object(name, HALVES, "image/jpeg", "protected", alice);
        assertEquals(200, given().header("Authorization", alice).header("Accept", "*/*")
                .get("/render/image/authenticated/photos/" + name + "?width=10").statusCode());
        for (String audience : new String[] {"another-app", null}) {
            Response foreign = given().header("Authorization", "Bearer " + SharedInfra.issuer().mintForAudience("alice", Set.of(), audience))
                    .header("Accept", "*/*").get("/render/image/authenticated/photos/" + name + "?width=10");
            assertEquals(401, foreign.statusCode(), foreign.asString());
            assertEquals(401, foreign.jsonPath().getInt("statusCode"));
            assertEquals("Unauthorized", foreign.jsonPath().getString("error"));
        }
    }

    /** Table-driven: request targets a hostile caller sends, each a 400 in the error shape. */
    @Test
    void refusesHostileUrlsWith400InTheErrorShape() throws Exception {
        String name = unique("jpg");
        object(name, HALVES, "image/jpeg", "public", null);
        HttpClient http = HttpClient.newHttpClient();
        for (String target : List.of(
                "/img/unsafe/0x0:99999999999x10/photos/" + name,
                "/img/unsafe/99999999999x0:10x10/photos/" + name,
                "/img/unsafe/0x0:10x2147483648/photos/" + name,
                "/img/unsafe/filters:quality(99999999999)/photos/" + name,
                "/img/unsafe/99999999999x1/photos/" + name,
                "/render/image/public/photos/" + name + "?width=99999999999",
                "/render/image/public/photos/" + name + "?quality=-99999999999",
                "/img/unsafe/photos/a%00b.jpg",
                "/img/unsafe/photos/a%C2%85b.jpg",
                "/img/unsafe/photos/a%FFb.jpg",
                "/img/unsafe/photos/a/../../other/x.jpg",
                "/img/unsafe/photos/a/%2e%2e/x.jpg",
                "/img/unsafe/photos/a%2F..%2Fx.jpg",
                "/img/unsafe/Photos/x.jpg",
                "/render/image/public/photos/a%00b.jpg",
                "/render/image/public/..%2Fphotos/x.jpg",
                "/render/image/public/photos/x.jpg?width=%00")) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base.toString().replaceAll("/$", "") + target))
                    .header("Accept", "*/*").GET().build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(400, response.statusCode(), target + ": " + response.body());
            assertTrue(response.body().contains("\"statusCode\":400"), target + ": " + response.body());
        }
    }

    @Test
    void unknownRoutesAndWrongMethodsAnswerInTheErrorShape() {
        Response missing = given().get("/nothing-here");
        assertEquals(404, missing.statusCode());
        assertEquals("NotFound", missing.jsonPath().getString("error"));
        Response wrongMethod = given().delete("/img/unsafe/photos/x.jpg");
        assertEquals(405, wrongMethod.statusCode());
        assertEquals("MethodNotAllowed", wrongMethod.jsonPath().getString("error"));
        // health and metrics are on the management port only
        assertEquals(404, given().get("/q/metrics").statusCode());
        assertEquals(404, given().get("/q/health/ready").statusCode());
        assertTrue(readiness.getPort() != base.getPort());
    }

    @Test
    void refusesADecompressionBombFromItsHeader() {
        String name = unique("png");
        byte[] bomb = TestImages.pngBomb(20000);
        String blobKey = object(name, bomb, "image/png", "public", null);
        Response refused = fetch("/img/unsafe/fit-in/100x100/photos/" + name);
        assertEquals(413, refused.statusCode());
        assertEquals("PayloadTooLarge", refused.jsonPath().getString("error"));
        assertTrue(refused.jsonPath().getString("message").contains("20000x20000"));
        assertTrue(variantKeys(blobKey).isEmpty());
    }

    @Test
    void refusesOversizedRequestsAndSources() {
        String name = unique("jpg");
        object(name, HALVES, "image/jpeg", "public", null);
        Response tooWide = fetch("/img/unsafe/5000x10/photos/" + name);
        assertEquals(400, tooWide.statusCode());
        assertEquals("InvalidRequest", tooWide.jsonPath().getString("error"));
        String huge = unique("jpg");
        register(huge, "blobs/" + UUID.randomUUID(), 60L * 1024 * 1024, "image/jpeg", "public", null);
        Response tooBig = fetch("/img/unsafe/10x10/photos/" + huge);
        assertEquals(413, tooBig.statusCode());
    }

    @Test
    void corruptAndNonImageSourcesGet4xx() {
        String corrupt = unique("jpg");
        byte[] bytes = HALVES.clone();
        for (int i = 20; i < bytes.length; i++) {
            bytes[i] = (byte) (i * 31);
        }
        object(corrupt, bytes, "image/jpeg", "public", null);
        Response broken = fetch("/img/unsafe/10x10/photos/" + corrupt);
        assertEquals(422, broken.statusCode());
        assertEquals("InvalidImage", broken.jsonPath().getString("error"));

        String text = unique("png");
        object(text, "<html>not a png</html>".getBytes(StandardCharsets.UTF_8), "image/png", "public", null);
        Response lying = fetch("/img/unsafe/10x10/photos/" + text);
        assertEquals(415, lying.statusCode());
        assertEquals("InvalidMimeType", lying.jsonPath().getString("error"));

        String pdf = unique("pdf");
        object(pdf, "%PDF-1.4".getBytes(StandardCharsets.US_ASCII), "application/pdf", "public", null);
        assertEquals(415, fetch("/img/unsafe/10x10/photos/" + pdf).statusCode());

        // the service is still fine afterwards
        String good = unique("jpg");
        object(good, HALVES, "image/jpeg", "public", null);
        assertEquals(200, fetch("/img/unsafe/10x10/photos/" + good).statusCode());
    }

    @Test
    void rendersAPngWhoseChunkChecksumIsWrongButStillRefusesATruncatedOne() {
        byte[] png = TestImages.halves(400, 300, "png");
        String badCrc = unique("png");
        object(badCrc, TestImages.badChecksum(TestImages.badChecksum(png, "IHDR"), "IDAT"), "image/png", "public", null);
        Response thumbor = fetch("/img/unsafe/100x50/photos/" + badCrc);
        assertEquals(200, thumbor.statusCode());
        assertEquals("image/png", thumbor.contentType());
        BufferedImage image = TestImages.decode(thumbor.asByteArray());
        assertEquals(100, image.getWidth());
        assertEquals(50, image.getHeight());
        assertTrue(reddish(rgb(image, 5, 25)) && blueish(rgb(image, 95, 25)));
        Response supabase = given().header("Accept", "*/*").get("/render/image/public/photos/" + badCrc + "?width=80&height=80");
        assertEquals(200, supabase.statusCode());
        assertEquals(80, TestImages.decode(supabase.asByteArray()).getWidth());

        String truncated = unique("png");
        object(truncated, java.util.Arrays.copyOf(TestImages.badChecksum(png, "IDAT"), png.length / 2), "image/png", "public", null);
        Response cut = fetch("/img/unsafe/100x50/photos/" + truncated);
        assertEquals(422, cut.statusCode());
        assertEquals("InvalidImage", cut.jsonPath().getString("error"));
    }

    @Test
    void hotVariantsAreServedFromMemoryWithoutAnS3Read() {
        String name = unique("jpg");
        String blobKey = object(name, HALVES, "image/jpeg", "public", null);
        String route = "/img/unsafe/40x30/photos/" + name;
        Response first = fetch(route);
        assertEquals("miss", first.header("X-Stowage-Variant"));
        // the S3 copy gone (as if S3 were slow or away): the memory copy still answers, the same bytes
        for (String key : variantKeys(blobKey)) {
            s3.deleteObject(b -> b.bucket(physical).key(key));
        }
        Response again = fetch(route);
        assertEquals("hit", again.header("X-Stowage-Variant"));
        assertArrayEquals(first.asByteArray(), again.asByteArray());
        given().get(metrics).then().statusCode(200).body(org.hamcrest.Matchers.containsString("cache=\"image-hot-variants\""));
    }

    @Test
    void answersTheAppliedTransformationsAlikeForFreshAndCachedVariants() {
        String name = unique("jpg");
        object(name, HALVES, "image/jpeg", "public", null);
        String thumbor = "/img/unsafe/300x200/filters:format(webp):quality(70)/photos/" + name;
        Response first = fetch(thumbor);
        assertEquals("miss", first.header("X-Stowage-Variant"));
        assertEquals("resize:cover:300:200/format:webp/quality:70", first.header("X-Transformations"));
        Response again = fetch(thumbor);
        assertEquals("hit", again.header("X-Stowage-Variant"));
        assertEquals(first.header("X-Transformations"), again.header("X-Transformations"));

        // Supabase route, format negotiated from Accept, default quality
        String route = "/render/image/public/photos/" + name + "?width=120&height=90&resize=contain";
        Response fresh = given().header("Accept", "image/webp").get(route);
        assertEquals("miss", fresh.header("X-Stowage-Variant"));
        assertEquals("resize:contain:120:90/format:webp/quality:80", fresh.header("X-Transformations"));
        Response cached = given().header("Accept", "image/webp").get(route);
        assertEquals("hit", cached.header("X-Stowage-Variant"));
        assertEquals("resize:contain:120:90/format:webp/quality:80", cached.header("X-Transformations"));
        assertEquals("resize:contain:120:90/format:jpeg/quality:80",
                given().header("Accept", "*/*").get(route).header("X-Transformations"));
    }

    @Test
    void concurrentRequestsForTheSameMissingVariantRenderItOnce() {
        String name = unique("jpg");
        String blobKey = object(name, TestImages.halves(2000, 1500, "jpg"), "image/jpeg", "public", null);
        long before = renderer.rendered();
        // RestAssured is not thread-safe: the concurrent clients use the JDK's
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "img/unsafe/fit-in/321x321/filters:quality(77)/photos/" + name))
                .header("Accept", "*/*").build();
        List<CompletableFuture<HttpResponse<byte[]>>> requests = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            requests.add(client.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()));
        }
        byte[] first = null;
        for (CompletableFuture<HttpResponse<byte[]>> pending : requests) {
            HttpResponse<byte[]> r = pending.join();
            assertEquals(200, r.statusCode());
            if (first == null) {
                first = r.body();
            }
            assertArrayEquals(first, r.body());
        }
        assertEquals(1, renderer.rendered() - before);
        assertEquals(1, variantKeys(blobKey).size());
    }

    @Test
    void deleteEventsPurgeTheBlobsVariants() throws Exception {
        String name = unique("jpg");
        String blobKey = object(name, HALVES, "image/jpeg", "public", null);
        String keep = unique("jpg");
        String keptBlob = object(keep, HALVES, "image/jpeg", "public", null);
        fetch("/img/unsafe/10x10/photos/" + name);
        fetch("/img/unsafe/20x20/photos/" + name);
        fetch("/img/unsafe/10x10/photos/" + keep);
        assertEquals(2, variantKeys(blobKey).size());

        publish(ObjectEvents.DELETED, ObjectEvents.key("photos", name), new ObjectEventData("photos", name,
                UUID.randomUUID().toString(), HALVES.length, "image/jpeg", "\"e\"", "alice", "public", blobKey, true, 2));
        // the consumer joins its group asynchronously: wait (bounded) for the purge to show in S3
        assertTrue(awaitNoVariants(blobKey), "variants purged");
        assertEquals(1, variantKeys(keptBlob).size(), "another blob's variants stay");
        given().get(metrics).then().statusCode(200).body(org.hamcrest.Matchers.containsString(
                "stowage_events_consumed_total{type=\"" + ObjectEvents.DELETED + "\"}"));
        // the original blob is not image-service's to delete
        assertEquals(HALVES.length, s3.headObject(b -> b.bucket(physical).key(blobKey)).contentLength());
    }

    @Test
    void skipsEventsItDoesNotActOnWithoutStoppingThePurgesAfterThem() throws Exception {
        String name = unique("jpg");
        String blobKey = object(name, HALVES, "image/jpeg", "public", null);
        String gone = unique("jpg");
        String goneBlob = object(gone, HALVES, "image/jpeg", "public", null);
        fetch("/img/unsafe/10x10/photos/" + name);
        fetch("/img/unsafe/10x10/photos/" + gone);
        double created = consumed(ObjectEvents.CREATED);
        // one key, so one partition: the events are read in this order
        String key = ObjectEvents.key("photos", name);

        // a created event naming the blob, one whose data is not even JSON, one of a type image-service does not know
        publish(ObjectEvents.CREATED, key, new ObjectEventData("photos", name, UUID.randomUUID().toString(), HALVES.length,
                "image/jpeg", "\"e\"", "alice", "public", blobKey, true, 1));
        publishRaw(ObjectEvents.CREATED, key, "not json");
        publishRaw("io.stowage.something.else.v1", key, "{\"bucket\":\"photos\",\"blobKey\":\"" + blobKey + "\"}");
        // the delete of a file that is no image: no variant of it can exist, so none is looked for
        publish(ObjectEvents.DELETED, key, new ObjectEventData("photos", "notes.txt", UUID.randomUUID().toString(), 10,
                "text/plain", "\"e\"", "alice", "public", blobKey, false, 2));
        publish(ObjectEvents.DELETED, key, new ObjectEventData("photos", gone, UUID.randomUUID().toString(), HALVES.length,
                "image/jpeg", "\"e\"", "alice", "public", goneBlob, true, 3));

        // once the delete after them has purged, they were read: skipped, counted, the blob's variants still there
        assertTrue(awaitNoVariants(goneBlob), "the deleted object's variants are purged");
        assertEquals(1, variantKeys(blobKey).size(), "no skipped event purged anything");
        assertTrue(consumed(ObjectEvents.CREATED) >= created + 2, "the created events were counted");
        given().get(metrics).then().statusCode(200).body(org.hamcrest.Matchers.containsString(
                "stowage_events_consumed_total{type=\"io.stowage.something.else.v1\"}"));
        assertEquals("hit", fetch("/img/unsafe/10x10/photos/" + name).header("X-Stowage-Variant"));
    }

    /** stowage_events_consumed_total of one type, 0 before the first. */
    private double consumed(String type) {
        String prefix = "stowage_events_consumed_total{type=\"" + type + "\"} ";
        return given().get(metrics).then().statusCode(200).extract().asString().lines()
                .filter(line -> line.startsWith(prefix))
                .mapToDouble(line -> Double.parseDouble(line.substring(prefix.length()).split(" ")[0]))
                .findFirst().orElse(0);
    }

    @Test
    void purgeNoticesDropTheVariantsOfTheObjectOrBucketTheyName() throws Exception {
        String name = unique("jpg");
        String blobKey = object(name, HALVES, "image/jpeg", "public", null);
        String other = unique("jpg");
        String otherBlob = object(other, HALVES, "image/jpeg", "public", null);
        fetch("/img/unsafe/10x10/photos/" + name);
        fetch("/render/image/public/photos/" + other + "?width=12");
        assertEquals(1, variantKeys(blobKey).size());
        assertEquals(1, variantKeys(otherBlob).size());

        // one object: only its variants go
        publish(ObjectEvents.PURGED, ObjectEvents.key("photos", name),
                new PurgeNotice(PurgeNotice.OBJECT, "photos", name, "v1", blobKey, false, "service_role", 3));
        assertTrue(awaitNoVariants(blobKey), "the object's variants are purged");
        assertEquals(1, variantKeys(otherBlob).size(), "another object's stay");

        // a purge of another bucket leaves this one's alone; a purge of this bucket drops them all
        publish(ObjectEvents.PURGED, ObjectEvents.bucketKey("elsewhere"),
                new PurgeNotice(PurgeNotice.BUCKET, "elsewhere", null, null, null, true, "service_role", 0));
        publish(ObjectEvents.PURGED, ObjectEvents.bucketKey("photos"),
                new PurgeNotice(PurgeNotice.BUCKET, "photos", null, null, null, true, "service_role", 0));
        assertTrue(awaitNoVariants(otherBlob), "the bucket's variants are purged");
        // the originals are not image-service's to delete, and a purged variant renders again
        assertEquals(HALVES.length, s3.headObject(b -> b.bucket(physical).key(otherBlob)).contentLength());
        assertEquals("miss", fetch("/render/image/public/photos/" + other + "?width=12").header("X-Stowage-Variant"));
    }

    /** Waits (bounded: a minute) until no variant of the blob is left in S3. */
    private boolean awaitNoVariants(String blobKey) throws InterruptedException {
        for (int i = 0; i < 600 && !variantKeys(blobKey).isEmpty(); i++) {
            Thread.sleep(100);
        }
        return variantKeys(blobKey).isEmpty();
    }

    /** Publishes an event as metadata-service's outbox relay does: binary-mode CloudEvent headers, JSON data. */
    private static void publish(String type, String key, Object data) throws Exception {
        publishRaw(type, key, JSON.writeValueAsString(data));
    }

    /** Publishes a record whose data is {@code value} as it is. */
    private static void publishRaw(String type, String key, String value) throws Exception {
        Properties props = new Properties();
        props.put("bootstrap.servers", SharedInfra.kafka().bootstrapServers());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            ProducerRecord<String, String> record = new ProducerRecord<>(ObjectEvents.DEFAULT_TOPIC, key, value);
            record.headers().add(ObjectEvents.HEADER_SPEC_VERSION, ObjectEvents.SPEC_VERSION.getBytes(StandardCharsets.UTF_8));
            record.headers().add(ObjectEvents.HEADER_ID, UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
            record.headers().add(ObjectEvents.HEADER_SOURCE, ObjectEvents.SOURCE.getBytes(StandardCharsets.UTF_8));
            record.headers().add(ObjectEvents.HEADER_TYPE, type.getBytes(StandardCharsets.UTF_8));
            record.headers().add(ObjectEvents.HEADER_CONTENT_TYPE, ObjectEvents.DATA_CONTENT_TYPE.getBytes(StandardCharsets.UTF_8));
            producer.send(record).get();
        }
    }
}
