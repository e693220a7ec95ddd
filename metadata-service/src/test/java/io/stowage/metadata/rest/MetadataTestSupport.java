package io.stowage.metadata.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.stowage.infra.PostgresServer;
import io.stowage.infra.SharedInfra;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * What the service's tests share: callers' tokens, requests in the service's own words (a bucket, a
 * registered upload), and the effects they check: rows in PostgreSQL and records on Kafka.
 * Every {@code @QuarkusTest} here names the same test resources (PostgreSQL, Kafka, the token
 * issuer), so they all run against one start of the application.
 */
final class MetadataTestSupport {

    static final ObjectMapper JSON = new ObjectMapper();

    /** The etag registrations carry unless a test gives its own (the MD5 of "hello"). */
    static final String ETAG = "\"5d41402abc4b2a76b9719d911017c592\"";

    private MetadataTestSupport() {
    }

    // --- callers -------------------------------------------------------------------------------

    static String admin() {
        return SharedInfra.issuer().mint("root", Set.of("storage-admin"));
    }

    static String user(String name) {
        return SharedInfra.issuer().mint(name, Set.of());
    }

    /** A Stowage service's client-credentials token, as the gateway holds it. */
    static String gatewayService() {
        return SharedInfra.issuer().mint("service-account-stowage-gateway", Set.of("stowage-service"));
    }

    /** upload-service's client-credentials token, as its sweeper holds it. */
    static String uploadService() {
        return SharedInfra.issuer().mint("service-account-stowage-upload", Set.of("stowage-service"));
    }

    static RequestSpecification as(String token) {
        return given().auth().oauth2(token).contentType(ContentType.JSON);
    }

    // --- buckets and objects -------------------------------------------------------------------

    /** A new bucket with a fresh name and the default settings. */
    static String newBucket() {
        return newBucket(Map.of());
    }

    /** A new bucket with a fresh name; {@code settings} are the other fields of its creation body. */
    static String newBucket(Map<String, Object> settings) {
        String name = "b-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, Object> body = new HashMap<>(settings);
        body.put("name", name);
        as(admin()).body(body).post("/v1/buckets").then().statusCode(201);
        return name;
    }

    static void newBucketNamed(String name) {
        as(admin()).body(Map.of("name", name)).post("/v1/buckets").then().statusCode(201);
    }

    /**
     * Registers an upload of {@code name} (5 bytes of text/plain, a fresh upload id, blob key
     * {@code blobs/{bucket}/{uploadId}}); {@code extra} overrides or adds fields.
     */
    static Response register(String token, String bucket, String name, Map<String, Object> extra) {
        String uploadId = extra.containsKey("uploadId") ? (String) extra.get("uploadId") : UUID.randomUUID().toString();
        Map<String, Object> body = new HashMap<>(Map.of(
                "uploadId", uploadId, "bucket", bucket, "name", name, "blobKey", "blobs/" + bucket + "/" + uploadId,
                "size", 5, "contentType", "text/plain", "etag", "\"e\""));
        body.putAll(extra);
        return as(token).body(body).post("/internal/objects");
    }

    /** Registers the upload {@code uploadId} (blob key {@code blobs/{uploadId}}, etag {@link #ETAG}); visibility may be null. */
    static Response registerUpload(String token, String uploadId, String bucket, String name, String visibility) {
        Map<String, Object> extra = new HashMap<>(Map.of("uploadId", uploadId, "blobKey", "blobs/" + uploadId, "etag", ETAG));
        if (visibility != null) {
            extra.put("visibility", visibility);
        }
        return register(token, bucket, name, extra);
    }

    /** Registers a private object of the upload {@code uploadId}, naming {@code owner} in the request. */
    static Response registerFor(String token, String uploadId, String bucket, String name, String owner) {
        return register(token, bucket, name, Map.of("uploadId", uploadId, "blobKey", "blobs/" + uploadId, "owner", owner));
    }

    /** {@code GET /v1/files/by-path/{bucket}/{name}}, the name's segments percent-encoded. */
    static Response fileByPath(String token, String bucket, String name) {
        return given().urlEncodingEnabled(false).auth().oauth2(token).get("/v1/files/by-path/" + bucket + "/" + pathOf(name));
    }

    /** {@code GET /internal/objects/by-path/{bucket}/{name}} (downloads resolve objects here). */
    static Response internalByPath(String token, String bucket, String name) {
        return given().urlEncodingEnabled(false).auth().oauth2(token).get("/internal/objects/by-path/" + bucket + "/" + pathOf(name));
    }

    /** Percent-encodes each segment of an object name, keeping its '/'. */
    private static String pathOf(String name) {
        return Arrays.stream(name.split("/", -1))
                .map(s -> URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20"))
                .collect(Collectors.joining("/"));
    }

    /** Polls {@code GET /v1/jobs/{id}} until the job is done or failed. */
    static JsonNode awaitJob(String token, String id) throws InterruptedException {
        for (int i = 0; i < 120; i++) {
            JsonNode job = readTree(as(token).get("/v1/jobs/" + id).then().statusCode(200).extract().asString());
            if (!job.get("state").asText().equals("pending") && !job.get("state").asText().equals("running")) {
                return job;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("job " + id + " did not finish");
    }

    static JsonNode readTree(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    // --- rows ------------------------------------------------------------------------------------

    static List<Map<String, Object>> query(String sql, Object... params) throws SQLException {
        try (Connection c = connect(); PreparedStatement st = c.prepareStatement(sql)) {
            bind(st, params);
            try (ResultSet rs = st.executeQuery()) {
                List<Map<String, Object>> rows = new ArrayList<>();
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int column = 1; column <= rs.getMetaData().getColumnCount(); column++) {
                        row.put(rs.getMetaData().getColumnLabel(column), rs.getObject(column));
                    }
                    rows.add(row);
                }
                return rows;
            }
        }
    }

    static void update(String sql, Object... params) throws SQLException {
        try (Connection c = connect(); PreparedStatement st = c.prepareStatement(sql)) {
            bind(st, params);
            st.execute();
        }
    }

    /** The names of a bucket's live current objects, in name order. */
    static List<String> liveNames(String bucket) throws SQLException {
        return query("SELECT name FROM objects WHERE bucket = ? AND deleted_at IS NULL AND NOT delete_marker ORDER BY name", bucket)
                .stream().map(r -> (String) r.get("name")).toList();
    }

    private static Connection connect() throws SQLException {
        PostgresServer pg = SharedInfra.postgres();
        return DriverManager.getConnection(pg.jdbcUrl(), PostgresServer.USER, PostgresServer.PASSWORD);
    }

    private static void bind(PreparedStatement st, Object... params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            st.setObject(i + 1, params[i]);
        }
    }

    // --- events ----------------------------------------------------------------------------------

    static KafkaConsumer<String, String> consumer() {
        return consumer(SharedInfra.kafka().bootstrapServers());
    }

    static KafkaConsumer<String, String> consumer(String bootstrapServers) {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "metadata-test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class));
    }

    /** Everything each consumer has polled so far, so that waiting for one key does not lose another's records. */
    private static final Map<KafkaConsumer<String, String>, List<ConsumerRecord<String, String>>> SEEN =
            Collections.synchronizedMap(new IdentityHashMap<>());

    /** Polls until {@code count} records with the key arrived, or gives up after a generous wait. */
    static List<ConsumerRecord<String, String>> awaitRecords(KafkaConsumer<String, String> consumer, String key, int count) {
        List<ConsumerRecord<String, String>> seen = SEEN.computeIfAbsent(consumer, c -> new ArrayList<>());
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        List<ConsumerRecord<String, String>> found = withKey(seen, key);
        while (found.size() < count && System.nanoTime() < deadline) {
            consumer.poll(Duration.ofMillis(300)).forEach(seen::add);
            found = withKey(seen, key);
        }
        assertEquals(count, found.size(), "records with key " + key);
        return found;
    }

    private static List<ConsumerRecord<String, String>> withKey(List<ConsumerRecord<String, String>> records, String key) {
        return records.stream().filter(r -> key.equals(r.key())).toList();
    }

    static String header(ConsumerRecord<String, String> record, String name) {
        Header h = record.headers().lastHeader(name);
        assertNotNull(h, "header " + name);
        return new String(h.value(), StandardCharsets.UTF_8);
    }

    /** The record is a CloudEvent of metadata-service of that type, keyed by {@code {bucket}/{name}}. */
    static void assertCloudEvent(ConsumerRecord<String, String> record, String type, String key) {
        assertEquals(key, record.key());
        assertEquals("1.0", header(record, "ce_specversion"));
        assertEquals(type, header(record, "ce_type"));
        assertEquals("/stowage/metadata-service", header(record, "ce_source"));
        assertEquals(key, header(record, "ce_subject"));
        assertEquals("application/json", header(record, "content-type"));
        assertNotNull(UUID.fromString(header(record, "ce_id")));
        assertNotNull(Instant.parse(header(record, "ce_time")));
    }
}
