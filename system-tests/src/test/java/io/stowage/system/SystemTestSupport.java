package io.stowage.system;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;

/** What several system tests do alike: presigned PUTs, reading the suite's events, encoding names. */
final class SystemTestSupport {

    private SystemTestSupport() {
    }

    /**
     * A PUT of {@code bytes} to a presigned URL as upload-service handed it out ({@code url} and
     * {@code headers}), sending the signed headers except those the HTTP client sets itself.
     */
    static HttpRequest presignedPut(JsonNode presigned, byte[] bytes) {
        HttpRequest.Builder put = HttpRequest.newBuilder(URI.create(presigned.get("url").asText()))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes));
        presigned.path("headers").fields().forEachRemaining(h -> {
            if (!h.getKey().equalsIgnoreCase("content-length") && !h.getKey().equalsIgnoreCase("host")) {
                put.header(h.getKey(), h.getValue().asText());
            }
        });
        return put.build();
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    /** A request to the suite's gateway, as a caller with {@code token} (none when null); the whole answer. */
    static HttpResponse<byte[]> send(StowageSuite suite, String method, String path, String token, byte[] body,
                                     String contentType) throws Exception {
        return send(suite, method, path, token, body, contentType, new String[0]);
    }

    /**
     * A call to the gateway as {@code token} (null: none): a {@code body} that is a String goes as text/plain, any
     * other (a map, a list) as JSON, null as none; {@code headers} are added.
     */
    static HttpResponse<String> call(StowageSuite suite, String method, String path, String token, Object body,
                                     java.util.Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(suite.gatewayUrl() + path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body instanceof String text
                                ? text.getBytes(java.nio.charset.StandardCharsets.UTF_8) : CALL_JSON.writeValueAsBytes(body)));
        if (body != null) {
            request.header("Content-Type", body instanceof String ? "text/plain" : "application/json");
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        headers.forEach(request::header);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The JSON body of a response that must have {@code status} (null JSON when it has none). */
    static com.fasterxml.jackson.databind.JsonNode ok(HttpResponse<String> response, int status) throws Exception {
        assertEquals(status, response.statusCode(), response.request().method() + " " + response.request().uri() + ": " + response.body());
        return response.body().isEmpty() ? CALL_JSON.nullNode() : CALL_JSON.readTree(response.body());
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper CALL_JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    /** As above, with more headers: names and values in turn. */
    static HttpResponse<byte[]> send(StowageSuite suite, String method, String path, String token, byte[] body,
                                     String contentType, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(suite.gatewayUrl() + path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** The suite's events with this record key, from the topic's start, waiting (bounded) for {@code expected} of them. */
    static List<ConsumerRecord<String, String>> eventsFor(StowageSuite suite, String key, int expected) {
        List<ConsumerRecord<String, String>> found = eventsAtLeast(suite, key, expected);
        assertEquals(expected, found.size(), "events with key " + key);
        return found;
    }

    /**
     * The suite's events with this record key once at least {@code expected} arrived (bounded wait):
     * delivery is at least once, so after a fault the same event (same {@code ce_id}) may be there twice.
     */
    static List<ConsumerRecord<String, String>> eventsAtLeast(StowageSuite suite, String key, int expected) {
        Properties props = new Properties();
        props.put("bootstrap.servers", suite.kafka().bootstrapServers());
        props.put("group.id", "system-test-" + UUID.randomUUID());
        props.put("auto.offset.reset", "earliest");
        List<ConsumerRecord<String, String>> found = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(suite.topic()));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (found.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    if (key.equals(record.key())) {
                        found.add(record);
                    }
                }
            }
        }
        return found;
    }

    static String header(ConsumerRecord<String, String> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** An object name as a URL path: each segment percent-encoded (space as %20), the slashes kept. */
    static String encodePath(String name) {
        return Arrays.stream(name.split("/", -1))
                .map(segment -> URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20"))
                .collect(Collectors.joining("/"));
    }

    /** A PNG of one colour, {@code width} by {@code height}: a source image for the render routes. */
    static byte[] png(int width, int height, Color color) throws IOException {
        return image(width, height, color, "png");
    }

    /** A JPEG of one colour. */
    static byte[] jpeg(int width, int height, Color color) throws IOException {
        return image(width, height, color, "jpg");
    }

    private static byte[] image(int width, int height, Color color, String format) throws IOException {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        var graphics = image.createGraphics();
        graphics.setColor(color);
        graphics.fillRect(0, 0, width, height);
        graphics.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, format, out);
        return out.toByteArray();
    }
}
