package io.stowage.benchmarks.signing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stowage.infra.TokenIssuer;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Latency of one {@code POST /v1/sign/batch} of 1,000 requests over HTTP, as the gateway sees it.
 *
 * <p>By default it starts what it needs: a local-infra token issuer in this JVM (for a
 * {@code stowage-service} token) and signing-service's packaged app as a child process with a
 * throwaway key directory. Against a running service instead (e.g. {@code ./stowage dev} on 8083):
 * {@code --url http://localhost:8083 --token <service token>}.
 *
 * <pre>java -cp benchmarks/signing/target/signing-benchmarks.jar io.stowage.benchmarks.signing.BatchLatency \
 *     [--app signing-service/target/quarkus-app/quarkus-run.jar] [--warmup 30] [--batches 100]</pre>
 */
public final class BatchLatency {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int BATCH = 1000;

    private BatchLatency() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        int warmup = Integer.parseInt(options.getOrDefault("warmup", "30"));
        int batches = Integer.parseInt(options.getOrDefault("batches", "100"));
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

        TokenIssuer issuer = null;
        Process service = null;
        String url = options.get("url");
        String token = options.get("token");
        try {
            if (url == null) {
                issuer = TokenIssuer.start(0, null);
                token = issuer.mint("service-account-stowage-gateway", Set.of("stowage-service"));
                int port = freePort();
                url = "http://127.0.0.1:" + port;
                service = startService(options.getOrDefault("app", "signing-service/target/quarkus-app/quarkus-run.jar"),
                        port, issuer.issuer());
                awaitReady(http, url, service);
            } else if (token == null) {
                throw new IllegalArgumentException("--url needs --token (a token with the stowage-service role)");
            }

            for (String operation : List.of("s3:GetObject", "s3:PutObject", "stowage:download", "image:url")) {
                byte[] body = batch(operation);
                for (int i = 0; i < warmup; i++) {
                    send(http, url, token, body);
                }
                long[] nanos = new long[batches];
                for (int i = 0; i < batches; i++) {
                    long start = System.nanoTime();
                    send(http, url, token, body);
                    nanos[i] = System.nanoTime() - start;
                }
                report(operation, nanos);
            }
        } finally {
            if (service != null) {
                service.destroy();
                service.waitFor();
            }
            if (issuer != null) {
                issuer.close();
            }
        }
    }

    private static byte[] batch(String operation) throws IOException {
        List<Map<String, Object>> requests = new ArrayList<>(BATCH);
        for (int i = 0; i < BATCH; i++) {
            requests.add(switch (operation) {
                case "s3:GetObject" -> Map.of("operation", operation, "key", "blobs/bench-" + i,
                        "responseContentDisposition", "attachment; filename=\"f" + i + ".png\"");
                case "s3:PutObject" -> Map.of("operation", operation, "key", "blobs/bench-" + i,
                        "contentType", "image/png", "contentLength", 1000 + i);
                case "stowage:download" -> Map.of("operation", operation, "bucket", "photos", "name", "bench/" + i + ".png");
                default -> Map.of("operation", operation, "path", "fit-in/300x200/photos/bench/" + i + ".png");
            });
        }
        return JSON.writeValueAsBytes(Map.of("requests", requests));
    }

    private static void send(HttpClient http, String url, String token, byte[] body) throws Exception {
        HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(URI.create(url + "/v1/sign/batch"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build(), HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("batch answered " + response.statusCode() + ": " + new String(response.body()));
        }
        JsonNode results = JSON.readTree(response.body()).get("results");
        if (results.size() != BATCH || results.get(BATCH - 1).has("error")) {
            throw new IllegalStateException("the batch did not sign every request");
        }
    }

    private static void report(String operation, long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        double mean = Arrays.stream(sorted).average().orElse(0) / 1e6;
        System.out.printf("batch of %d x %-17s over HTTP: n=%d mean %.1f ms, p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms (%.0f signatures/s)%n",
                BATCH, operation, sorted.length, mean, ms(sorted, 0.50), ms(sorted, 0.90), ms(sorted, 0.99),
                sorted[sorted.length - 1] / 1e6, BATCH / (mean / 1000));
    }

    private static double ms(long[] sorted, double quantile) {
        int index = (int) Math.ceil(quantile * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(index, sorted.length - 1))] / 1e6;
    }

    private static Process startService(String app, int port, String issuer) throws IOException {
        Path jar = Path.of(app);
        if (!Files.isRegularFile(jar)) {
            throw new IllegalArgumentException(jar.toAbsolutePath() + " not found: build signing-service first "
                    + "(./mvnw -f signing-service/pom.xml package -DskipTests) or pass --app / --url");
        }
        Path keys = Files.createTempDirectory("stowage-bench-keys");
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-jar", jar.toAbsolutePath().toString());
        builder.environment().put("QUARKUS_HTTP_PORT", String.valueOf(port));
        // health is on the management interface, the API port + 1000
        builder.environment().put("STOWAGE_MANAGEMENT_PORT", String.valueOf(port + 1000));
        builder.environment().put("STOWAGE_OIDC_ISSUER", issuer);
        builder.environment().put("STOWAGE_SIGNING_KEY_DIR", keys.toString());
        builder.environment().put("QUARKUS_LOG_LEVEL", "WARN");
        builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.INHERIT);
        return builder.start();
    }

    private static URI managementUri(String url, String path) {
        URI api = URI.create(url);
        return URI.create("http://" + api.getHost() + ":" + (api.getPort() + 1000) + path);
    }

    private static void awaitReady(HttpClient http, String url, Process service) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (!service.isAlive()) {
                throw new IllegalStateException("signing-service exited with " + service.exitValue());
            }
            try {
                if (http.send(HttpRequest.newBuilder(managementUri(url, "/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("signing-service was not ready within 60 s");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument " + args[i]);
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        return options;
    }
}
