package io.stowage.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * Resumable uploads (tus 1.0.0) in raw HTTP through the gateway on the real services: the OPTIONS
 * answer and a browser's CORS preflight, the checksum extension (460, nothing stored), expiration
 * (410, then swept from S3), an empty upload, and a 1 GiB upload whose connection is cut twice,
 * ending with identical bytes. tus-js-client's own runs are in {@link TusJsClientSystemTest}.
 */
class ResumableUploadSystemTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long GIB = 1L << 30;

    private static StowageSuite suite;
    private static String bucket;
    private static String alice;
    private static String endpoint;

    @BeforeAll
    static void platform() throws Exception {
        suite = StowageSuite.get();
        bucket = "resumable-" + UUID.randomUUID().toString().substring(0, 8);
        alice = suite.identities().token("alice");
        endpoint = suite.gatewayUrl() + "/storage/v1/upload/resumable";
        HttpResponse<String> created = send(HttpRequest.newBuilder(URI.create(suite.gatewayUrl() + "/v1/buckets"))
                .header("Authorization", "Bearer " + suite.identities().token("root")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + bucket + "\"}")).build());
        assertEquals(201, created.statusCode(), created.body());
    }

    @Test
    void optionsAnswersTheProtocolAndABrowserPreflightIsAllowedEveryTusHeader() throws Exception {
        HttpResponse<String> options = send(HttpRequest.newBuilder(URI.create(endpoint))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build());
        assertEquals(204, options.statusCode(), options.body());
        assertEquals("1.0.0", header(options, "Tus-Version"));
        assertTrue(header(options, "Tus-Extension").contains("creation-defer-length"));
        assertNotNull(header(options, "Tus-Max-Size"));
        HttpResponse<String> preflight = send(HttpRequest.newBuilder(URI.create(endpoint))
                .header("Origin", "http://localhost:5173").header("Access-Control-Request-Method", "PATCH")
                .header("Access-Control-Request-Headers", "tus-resumable,upload-offset,upload-length,upload-metadata,"
                        + "upload-defer-length,upload-checksum,content-type,x-signature,x-upsert,authorization,apikey")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build());
        assertEquals(200, preflight.statusCode(), preflight.body());
        String allowed = header(preflight, "Access-Control-Allow-Headers").toLowerCase();
        for (String h : List.of("tus-resumable", "upload-offset", "upload-length", "upload-metadata", "upload-checksum", "x-signature")) {
            assertTrue(allowed.contains(h), h + " not in " + allowed);
        }
        assertTrue(header(preflight, "Access-Control-Allow-Methods").contains("PATCH"));
        // the answers expose what a browser client must read
        HttpResponse<String> made = send(create("exposed.bin", 10).header("Origin", "http://localhost:5173").build());
        assertEquals(201, made.statusCode(), made.body());
        String exposed = header(made, "Access-Control-Expose-Headers").toLowerCase();
        for (String h : List.of("location", "upload-offset", "upload-length", "upload-expires", "tus-resumable", "tus-version")) {
            assertTrue(exposed.contains(h), h + " not in " + exposed);
        }
        assertTrue(header(made, "Location").startsWith("/storage/v1/upload/resumable/"), header(made, "Location"));
    }

    @Test
    void aChecksumMismatchIs460AndNothingIsStored() throws Exception {
        String location = created(send(create("summed.txt", 11).build()));
        byte[] body = "hello tus!!".getBytes(StandardCharsets.US_ASCII);
        HttpResponse<String> bad = send(patch(location, 0, body).header("Upload-Checksum", "sha1 " + sha1("something else".getBytes()))
                .build());
        assertEquals(460, bad.statusCode(), bad.body());
        assertEquals("0", header(send(head(location)), "Upload-Offset"));
        assertEquals(404, send(get("/v1/objects/" + bucket + "/summed.txt")).statusCode());
        HttpResponse<String> good = send(patch(location, 0, body).header("Upload-Checksum", "sha1 " + sha1(body)).build());
        assertEquals(204, good.statusCode(), good.body());
        assertEquals("hello tus!!", send(get("/v1/objects/" + bucket + "/summed.txt")).body());
    }

    @Test
    void anExpiredUploadIsGoneAndItsPartsAreSweptFromS3() throws Exception {
        HttpResponse<String> made = send(create("expiring.bin", 100).build());
        String location = created(made);
        assertNotNull(header(made, "Upload-Expires"));
        assertEquals(204, send(patch(location, 0, new byte[40]).build()).statusCode());
        String id = location.substring(location.lastIndexOf('/') + 1);
        // as if the client had gone quiet for a day: the state's expiry moved into the past
        var s3 = suite.s3().client();
        String key = "tus/" + id + ".json";
        ObjectNode state = (ObjectNode) JSON.readTree(s3.getObjectAsBytes(r -> r.bucket(suite.s3().bucket()).key(key)).asByteArray());
        state.put("expiresAt", Instant.now().minus(Duration.ofMinutes(5)).toString());
        s3.putObject(r -> r.bucket(suite.s3().bucket()).key(key), RequestBody.fromBytes(JSON.writeValueAsBytes(state)));
        HttpResponse<String> expired = send(patch(location, 40, new byte[10]).build());
        assertEquals(410, expired.statusCode(), expired.body());
        long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
        while (!tusKeys(id).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(500);
        }
        assertEquals(List.of(), tusKeys(id), "the sweeper removed the state and the tail");
        assertEquals(404, send(head(location)).statusCode());
    }

    @Test
    void anEmptyUploadIsAnObjectAtOnce() throws Exception {
        HttpResponse<String> made = send(create("empty.txt", 0).build());
        created(made);
        assertEquals("0", header(made, "Upload-Offset"));
        HttpResponse<String> object = send(get("/v1/objects/" + bucket + "/empty.txt"));
        assertEquals(200, object.statusCode(), object.body());
        assertEquals("", object.body());
    }

    @Test
    void aGibibyteUploadCutTwiceEndsWithIdenticalBytes() throws Exception {
        String location = created(send(create("big/1gib.bin", GIB).build()));
        long offset = 0;
        // the connection drops twice mid-body; each time the upload goes on from the offset the server reports
        for (long cutAt : List.of(300L << 20, 700L << 20)) {
            long from = offset;
            IOException cut = assertThrows(IOException.class, () -> HTTP.send(patch(location, from, GIB - from, cutAt - from).build(),
                    HttpResponse.BodyHandlers.ofString()));
            assertNotNull(cut);
            offset = awaitOffset(location, offset);
            assertTrue(offset > from && offset <= cutAt, "kept " + offset + " of the bytes up to " + cutAt);
        }
        HttpResponse<String> last = HTTP.send(patch(location, offset, GIB - offset, -1).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(204, last.statusCode(), last.body());
        assertEquals(String.valueOf(GIB), header(last, "Upload-Offset"));
        HttpResponse<InputStream> download = HTTP.send(HttpRequest.newBuilder(URI.create(suite.gatewayUrl() + "/v1/objects/" + bucket
                + "/big/1gib.bin")).header("Authorization", "Bearer " + alice).build(), HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, download.statusCode());
        try (InputStream body = download.body()) {
            assertEquals(sha256(new Positional(0, GIB, -1)), sha256(body));
        }
        System.out.printf("resumable 1 GiB cut twice: peak RSS upload-service %d MiB, gateway %d MiB%n",
                peakRssMib("upload-service"), peakRssMib("gateway-service"));
    }

    /** The offset the server reports once it recorded what the cut request delivered (it may take a moment). */
    private static long awaitOffset(String location, long previous) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            HttpResponse<String> head = send(head(location));
            if (head.statusCode() == 200 && Long.parseLong(header(head, "Upload-Offset")) > previous) {
                return Long.parseLong(header(head, "Upload-Offset"));
            }
            assertFalse(System.nanoTime() > deadline, "the offset stayed at " + previous + ": " + head.statusCode());
            Thread.sleep(200);
        }
    }

    // ---------------------------------------------------------------- plumbing

    private static HttpRequest.Builder create(String name, long length) {
        String metadata = "bucketName " + b64(bucket) + ",objectName " + b64(name) + ",contentType " + b64("application/octet-stream");
        return HttpRequest.newBuilder(URI.create(endpoint)).header("Tus-Resumable", "1.0.0").header("Authorization", "Bearer " + alice)
                .header("Upload-Length", String.valueOf(length)).header("Upload-Metadata", metadata)
                .POST(HttpRequest.BodyPublishers.noBody());
    }

    private static String created(HttpResponse<String> response) {
        assertEquals(201, response.statusCode(), response.body());
        return URI.create(endpoint).resolve(header(response, "Location")).toString();
    }

    private static HttpRequest.Builder patch(String location, long offset, byte[] body) {
        return HttpRequest.newBuilder(URI.create(location)).header("Tus-Resumable", "1.0.0").header("Authorization", "Bearer " + alice)
                .header("Upload-Offset", String.valueOf(offset)).header("Content-Type", "application/offset+octet-stream")
                .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(body));
    }

    /** A PATCH of the generated bytes from {@code offset}, {@code length} long, whose body breaks off after {@code cutAfter} (or never, -1). */
    private static HttpRequest.Builder patch(String location, long offset, long length, long cutAfter) {
        return HttpRequest.newBuilder(URI.create(location)).header("Tus-Resumable", "1.0.0").header("Authorization", "Bearer " + alice)
                .header("Upload-Offset", String.valueOf(offset)).header("Content-Type", "application/offset+octet-stream")
                .timeout(Duration.ofMinutes(5))
                .method("PATCH", HttpRequest.BodyPublishers.fromPublisher(
                        HttpRequest.BodyPublishers.ofInputStream(() -> new Positional(offset, length, cutAfter)), length));
    }

    private static HttpRequest head(String location) {
        return HttpRequest.newBuilder(URI.create(location)).header("Tus-Resumable", "1.0.0").header("Authorization", "Bearer " + alice)
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build();
    }

    private static HttpRequest get(String path) {
        return HttpRequest.newBuilder(URI.create(suite.gatewayUrl() + path)).header("Authorization", "Bearer " + alice).build();
    }

    private static HttpResponse<String> send(HttpRequest request) throws Exception {
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static String header(HttpResponse<?> response, String name) {
        return response.headers().firstValue(name).orElse(null);
    }

    private static List<String> tusKeys(String id) {
        return suite.s3().client().listObjectsV2(r -> r.bucket(suite.s3().bucket()).prefix("tus/" + id)).contents().stream()
                .map(o -> o.key()).toList();
    }

    private static String b64(String value) {
        return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }

    private static String sha1(byte[] bytes) throws Exception {
        return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1").digest(bytes));
    }

    private static String sha256(InputStream in) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        byte[] buffer = new byte[1 << 16];
        for (int n; (n = in.read(buffer)) > 0; ) {
            digest.update(buffer, 0, n);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** The high-water mark of a service's resident memory (VmHWM), in MiB. */
    private static long peakRssMib(String service) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + suite.pid(service) + "/status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
            }
        }
        return -1;
    }

    /** The bytes of the generated file from {@code from}, each a function of its position; fails after {@code cutAfter} bytes. */
    private static final class Positional extends InputStream {
        private long position;
        private final long end;
        private final long cutAt;

        Positional(long from, long length, long cutAfter) {
            this.position = from;
            this.end = from + length;
            this.cutAt = cutAfter < 0 ? Long.MAX_VALUE : from + cutAfter;
        }

        private static byte at(long i) {
            long x = i * 0x9E3779B97F4A7C15L;
            return (byte) (x >>> 56 ^ x >>> 29);
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (position >= cutAt) {
                throw new IOException("the connection drops here (a test cut)");
            }
            if (position >= end) {
                return -1;
            }
            int n = (int) Math.min(len, Math.min(end, cutAt) - position);
            for (int i = 0; i < n; i++) {
                b[off + i] = at(position++);
            }
            return n;
        }
    }
}
