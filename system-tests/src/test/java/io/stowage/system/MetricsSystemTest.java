package io.stowage.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * After the other system tests (it runs last: see junit-platform.properties), each service's
 * {@code /q/metrics} shows Stowage's own metrics with the traffic those tests made, in Prometheus's
 * text format.
 */
@Order(Integer.MAX_VALUE)
class MetricsSystemTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** Series that must have counted something by now, per service: a metric name and a label it must carry. */
    private static final Map<String, List<String>> COUNTED = Map.of(
            "gateway-service", List.of(
                    "http_server_requests_seconds_count",
                    "stowage_gateway_bytes_served_total",
                    "stowage_gateway_auth_failures_total"),
            "upload-service", List.of(
                    "http_server_requests_seconds_count",
                    "stowage_upload_bytes_total",
                    "stowage_uploads_total",
                    "stowage_events_consumed_total"),
            "metadata-service", List.of(
                    "http_server_requests_seconds_count",
                    "stowage_outbox_published_total",
                    "stowage_outbox_relay_lag_seconds_count"),
            "signing-service", List.of(
                    "http_server_requests_seconds_count",
                    "stowage_signatures_issued_total"),
            "image-service", List.of(
                    "http_server_requests_seconds_count",
                    "stowage_image_transforms_seconds_count",
                    "stowage_image_variant_cache_total",
                    "stowage_events_consumed_total"));

    /** Series that must be there, even at zero. */
    private static final Map<String, List<String>> PRESENT = Map.of(
            "gateway-service", List.of("stowage_gateway_rate_limited_total"),
            "upload-service", List.of("stowage_uploads_pending", "stowage_upload_sweeper_expired_total",
                    "stowage_uploads_started_total"),
            "metadata-service", List.of("stowage_outbox_backlog"));

    @Test
    void everyServiceShowsItsMetricsWithTheTrafficOfTheSystemTests() throws Exception {
        StowageSuite suite = StowageSuite.get();
        for (String service : StowageSuite.SERVICES) {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(suite.managementUrl(service) + "/q/metrics"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode(), service);
            assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/plain")
                    || response.headers().firstValue("Content-Type").orElse("").startsWith("application/openmetrics-text"),
                    service + " content type");
            String text = response.body();
            for (String metric : COUNTED.getOrDefault(service, List.of())) {
                assertTrue(total(text, metric) > 0, service + ": " + metric + " has counted nothing:\n" + lines(text, metric));
            }
            for (String metric : PRESENT.getOrDefault(service, List.of())) {
                assertTrue(text.lines().anyMatch(l -> l.startsWith(metric + "{") || l.startsWith(metric + " ")),
                        service + ": no series " + metric);
            }
        }
    }

    /** The sum of every series of this metric (all label sets). */
    static double total(String text, String metric) {
        // label values are quoted and may hold braces (route templates); a value may be followed by an
        // exemplar (" # {trace_id=...} 1.0 ...") when tracing is on
        Pattern series = Pattern.compile("^" + Pattern.quote(metric)
                + "(\\{(?:[^\"}]|\"(?:[^\"\\\\]|\\\\.)*\")*})?\\s+([0-9.eE+-]+|NaN)(\\s+#.*)?\\s*$");
        double sum = 0;
        for (String line : text.lines().toList()) {
            Matcher m = series.matcher(line);
            if (m.matches() && !m.group(2).equals("NaN")) {
                sum += Double.parseDouble(m.group(2));
            }
        }
        return sum;
    }

    private static String lines(String text, String metric) {
        String stem = metric.replaceAll("_(total|count|seconds_count)$", "");
        return String.join("\n", text.lines().filter(l -> l.contains(stem)).toList());
    }
}
