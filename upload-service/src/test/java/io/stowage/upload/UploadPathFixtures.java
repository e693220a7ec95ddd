package io.stowage.upload;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.stowage.events.ObjectEvents;
import io.stowage.infra.SharedInfra;
import io.stowage.upload.pending.PendingUploads;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.InputStream;
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

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static io.stowage.upload.CatalogStubs.bucket;
import static io.stowage.upload.CatalogStubs.json;
import static io.stowage.upload.CatalogStubs.token;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What the upload-path tests ({@link MultipartUploadsTest}, {@link DirectUploadTest}, {@link SweeperTest},
 * {@link BlobReleaseTest}, ...) repeat: the catalog stubs they start from, S3 as it is (blobs, pending
 * records, multipart uploads), presigned PUTs, multipart part URLs, metrics samples and test bytes.
 */
final class UploadPathFixtures {

    static final ObjectMapper JSON = new ObjectMapper();
    // HTTP/1.1 as the gateway speaks it upstream.
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    static final int MIB = 1024 * 1024;
    static final String FILE = """
            {"id": "file-1", "bucket": "docs", "name": "n", "versionId": "v1", "blobKey": "blobs/x", "size": 1,
             "contentType": "application/octet-stream", "etag": "e", "owner": "alice", "visibility": "private",
             "createdAt": "2026-01-01T00:00:00Z", "updatedAt": "2026-01-01T00:00:00Z"}""";

    /** The shared S3 server's client, for the test JVM's life. */
    static final S3Client s3 = SharedInfra.s3().client();
    static final String physicalBucket = SharedInfra.s3().bucket();

    private UploadPathFixtures() {
    }

    /** The catalog's buckets, a small one (1 MiB) and a registration that answers one File. */
    static void stubCatalog(WireMockServer metadata) {
        CatalogStubs.resetWithBuckets(metadata);
        metadata.stubFor(get(urlEqualTo("/v1/buckets/small")).willReturn(json(200, bucket("small", (long) MIB, "null"))));
        metadata.stubFor(post(urlEqualTo("/internal/objects")).willReturn(json(201, FILE)));
    }

    static ProducerRecord<String, String> deleted(String key, String blobKey, boolean blobReleased) throws Exception {
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

    static KafkaProducer<String, String> producer() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedInfra.kafka().bootstrapServers());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return new KafkaProducer<>(props);
    }

    static String scrape(java.net.URL endpoint) throws Exception {
        HttpResponse<String> metrics = HTTP.send(HttpRequest.newBuilder(endpoint.toURI()).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, metrics.statusCode());
        return metrics.body();
    }

    /** The value of the one series of {@code name} carrying every given label (name, value pairs). */
    static double sample(String metrics, String name, String... labels) {
        List<Double> found = samples(metrics, name, labels);
        assertEquals(1, found.size(), name + " " + Arrays.toString(labels) + " in:\n" + metrics);
        return found.get(0);
    }

    static List<Double> samples(String metrics, String name, String... labels) {
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
    static long delta(String before, String after, String name, String... labels) {
        List<Double> was = samples(before, name, labels);
        return Math.round(sample(after, name, labels) - (was.isEmpty() ? 0 : was.get(0)));
    }

    static boolean exists(String key) {
        try {
            s3.headObject(r -> r.bucket(physicalBucket).key(key));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        }
    }

    static Set<String> blobs() {
        return keysUnder("blobs/");
    }

    static Set<String> pendingRecords() {
        return keysUnder("uploads/");
    }

    static Set<String> keysUnder(String prefix) {
        return s3.listObjectsV2Paginator(r -> r.bucket(physicalBucket).prefix(prefix)).contents().stream()
                .map(S3Object::key).collect(Collectors.toCollection(HashSet::new));
    }

    static int multipartUploadsUnder(String prefix) {
        return s3.listMultipartUploads(r -> r.bucket(physicalBucket).prefix(prefix)).uploads().size();
    }

    /** Waits for an effect that happens asynchronously; the deadline is generous and never what is tested. */
    static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("never happened: " + what);
            }
            Thread.sleep(100);
        }
    }

    static Map<String, Object> expire(String uploadId) throws Exception {
        Map<String, Object> record = pending(uploadId);
        record.put("expiresAt", "2020-01-01T00:00:00Z");
        s3.putObject(r -> r.bucket(physicalBucket).key(PendingUploads.key(uploadId)), RequestBody.fromBytes(JSON.writeValueAsBytes(record)));
        return record;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> pending(String uploadId) throws Exception {
        return JSON.readValue(s3.getObjectAsBytes(r -> r.bucket(physicalBucket).key(PendingUploads.key(uploadId))).asByteArray(), Map.class);
    }

    static Map<Integer, Map<String, Object>> partUrls(String token, String uploadId, List<Integer> numbers) {
        List<Map<String, Object>> parts = given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(Map.of("uploadId", uploadId, "partNumbers", numbers))
                .when().post("/v1/files/multipart/presigned-url")
                .then().statusCode(200).extract().jsonPath().getList("parts");
        return parts.stream().collect(Collectors.toMap(p -> (Integer) p.get("partNumber"), p -> p));
    }

    static Map<String, Object> part(List<Map<String, Object>> listed, int number) {
        return listed.stream().filter(p -> ((Integer) p.get("partNumber")) == number)
                .map(p -> Map.<String, Object>of("partNumber", number, "etag", p.get("etag"))).findFirst().orElseThrow();
    }

    /** S3 refuses a part it was not signed for: 403, or (for a large body) by closing the connection on it. */
    static boolean refusedByS3(Map<String, Object> url, byte[] body) {
        try {
            return putPart(url, body).statusCode() == 403;
        } catch (java.io.IOException e) {
            return true;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    static HttpResponse<String> putPart(Map<String, Object> url, byte[] body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create((String) url.get("url")))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body));
        ((Map<String, String>) url.get("headers")).forEach((name, value) -> {
            if (!name.equals("content-length")) {
                request.header(name, value);
            }
        });
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> putSingle(JsonPath issued, byte[] body) throws Exception {
        return putPart(Map.of("url", issued.getString("url"), "headers", issued.getMap("headers")), body);
    }

    /** A direct upload of {@code body} as text/plain by alice. */
    static java.net.http.HttpResponse<String> putAsAlice(String path, String body) throws Exception {
        return HTTP.send(java.net.http.HttpRequest.newBuilder(uri(path))
                .header("Authorization", "Bearer " + CatalogStubs.token("alice")).header("Content-Type", "text/plain")
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
    }

    static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + RestAssured.port + path);
    }

    static byte[] sha256(InputStream in) throws Exception {
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

    static byte[] png(int size) {
        byte[] bytes = pattern(size);
        byte[] magic = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
        System.arraycopy(magic, 0, bytes, 0, magic.length);
        return bytes;
    }
}
