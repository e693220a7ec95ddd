package io.stowage.benchmarks.uploads;

import com.sun.net.httpserver.HttpServer;
import io.stowage.infra.Ports;
import io.stowage.infra.S3Server;
import io.stowage.infra.TokenIssuer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.s3.presigner.model.PresignedPutObjectRequest;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A file of 1 GiB (by default) uploaded two ways, against a real S3 server (S3Proxy on disk, SigV4
 * checked): a direct upload streamed through upload-service ({@code PUT /v1/objects/...}, the
 * packaged service as a child process), and a presigned PUT straight to S3. Prints the throughput of
 * each, their ratio, and the service's peak resident memory (VmHWM from /proc/PID/status).
 *
 * <p>metadata-service is a stub answering the two calls a direct upload makes (bucket, register): the
 * benchmark measures moving bytes, not the catalog. No Kafka: the service's consumer points at a
 * closed port (its logging is turned off).
 */
public final class UploadBenchmark {

    private static final long MIB = 1024 * 1024;

    private UploadBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        long size = Long.getLong("bench.mib", 1024) * MIB;
        int rounds = Integer.getInteger("bench.rounds", 3);
        Path serviceJar = Path.of(System.getProperty("bench.serviceJar", "upload-service/target/quarkus-app/quarkus-run.jar"));
        String serviceOpts = System.getProperty("bench.serviceOpts", "-Xmx256m");
        if (!Files.exists(serviceJar)) {
            throw new IllegalStateException("package upload-service first: " + serviceJar + " is missing");
        }
        Path dir = Files.createTempDirectory("upload-bench");
        S3Server s3 = S3Server.start(0, dir.resolve("s3"), S3Server.DEFAULT_BUCKET);
        TokenIssuer issuer = TokenIssuer.start(0, dir.resolve("issuer"));
        HttpServer metadata = metadataStub();
        int port = Ports.free();
        Process service = startService(serviceJar, serviceOpts, port, s3, issuer, metadata, dir.resolve("service.log"));
        try (S3Client admin = S3Client.builder().endpointOverride(URI.create(s3.endpoint())).region(Region.of(s3.region()))
                .forcePathStyle(true).httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(s3.accessKey(), s3.secretKey())))
                .build();
             S3Presigner presigner = S3Presigner.builder().endpointOverride(URI.create(s3.endpoint())).region(Region.of(s3.region()))
                     .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
                     .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(s3.accessKey(), s3.secretKey())))
                     .build()) {
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            awaitReady(http, port);
            long rssIdle = status(service.pid(), "VmRSS");
            String token = issuer.mint("bench", Set.of());

            // Warm-up (not counted): the service's JIT, S3Proxy's and the client's first passes.
            long warmup = Long.getLong("bench.warmupMib", 256) * MIB;
            if (warmup > 0) {
                timeDirect(http, port, token, warmup, 0);
                timePresigned(http, presigner, s3.bucket(), warmup, 0);
                clearBlobs(admin, s3.bucket());
            }

            List<Double> direct = new ArrayList<>();
            List<Double> presigned = new ArrayList<>();
            for (int round = 1; round <= rounds; round++) {
                direct.add(timeDirect(http, port, token, size, round));
                clearBlobs(admin, s3.bucket());
                presigned.add(timePresigned(http, presigner, s3.bucket(), size, round));
                clearBlobs(admin, s3.bucket());
                System.out.printf(Locale.ROOT, "round %d: direct %.1f MiB/s, presigned %.1f MiB/s%n",
                        round, direct.get(round - 1), presigned.get(round - 1));
            }
            long peak = status(service.pid(), "VmHWM");
            double d = median(direct);
            double p = median(presigned);
            System.out.printf(Locale.ROOT, "%n%d MiB, %d rounds, medians (service %s):%n", size / MIB, rounds, serviceOpts);
            System.out.printf(Locale.ROOT, "  direct upload through upload-service : %8.1f MiB/s%n", d);
            System.out.printf(Locale.ROOT, "  presigned PUT straight to S3        : %8.1f MiB/s%n", p);
            System.out.printf(Locale.ROOT, "  ratio direct / presigned            : %8.2f%n", d / p);
            System.out.printf(Locale.ROOT, "  upload-service RSS idle (VmRSS)     : %8.1f MiB%n", rssIdle / 1024.0);
            System.out.printf(Locale.ROOT, "  upload-service peak RSS (VmHWM)     : %8.1f MiB%n", peak / 1024.0);
        } finally {
            service.destroy();
            service.waitFor();
            metadata.stop(0);
            s3.close();
            issuer.close();
            deleteTree(dir);
        }
    }

    private static double timeDirect(HttpClient http, int port, String token, long size, int round) throws Exception {
        long t0 = System.nanoTime();
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/v1/objects/bench/round-" + round + ".bin"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> new Pattern(size)), size))
                .build(), HttpResponse.BodyHandlers.ofString());
        long nanos = System.nanoTime() - t0;
        if (answer.statusCode() != 201) {
            throw new IllegalStateException("direct upload answered " + answer.statusCode() + ": " + answer.body());
        }
        return mibPerSecond(size, nanos);
    }

    private static double timePresigned(HttpClient http, S3Presigner presigner, String bucket, long size, int round) throws Exception {
        PresignedPutObjectRequest url = presigner.presignPutObject(p -> p.signatureDuration(Duration.ofMinutes(15))
                .putObjectRequest(put -> put.bucket(bucket).key("blobs/presigned-" + round)
                        .contentType("application/octet-stream").contentLength(size)));
        long t0 = System.nanoTime();
        HttpRequest.Builder request = HttpRequest.newBuilder(url.url().toURI())
                .PUT(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> new Pattern(size)), size));
        url.signedHeaders().forEach((name, values) -> {
            if (!name.equalsIgnoreCase("host") && !name.equalsIgnoreCase("content-length")) {
                request.header(name, String.join(",", values));
            }
        });
        HttpResponse<String> answer = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        long nanos = System.nanoTime() - t0;
        if (answer.statusCode() != 200) {
            throw new IllegalStateException("presigned PUT answered " + answer.statusCode() + ": " + answer.body());
        }
        return mibPerSecond(size, nanos);
    }

    private static double mibPerSecond(long bytes, long nanos) {
        return bytes / (double) MIB / (nanos / 1e9);
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }

    private static void clearBlobs(S3Client s3, String bucket) {
        s3.listObjectsV2Paginator(r -> r.bucket(bucket).prefix("blobs/")).contents()
                .forEach(o -> s3.deleteObject(r -> r.bucket(bucket).key(o.key())));
    }

    /** The two metadata-service routes a direct upload calls: the bucket (no limits) and the registration. */
    private static HttpServer metadataStub() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        server.createContext("/v1/buckets/", exchange -> reply(exchange, 200,
                "{\"id\":\"bench\",\"name\":\"bench\",\"public\":false,\"fileSizeLimit\":null,\"allowedMimeTypes\":null}"));
        server.createContext("/internal/objects", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            reply(exchange, 201, body);
        });
        server.start();
        return server;
    }

    private static void reply(com.sun.net.httpserver.HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (var out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static Process startService(Path jar, String opts, int port, S3Server s3, TokenIssuer issuer, HttpServer metadata,
                                        Path log) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(opts.trim().split("\\s+")));
        command.add("-jar");
        command.add(jar.toAbsolutePath().toString());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        var env = builder.environment();
        env.put("QUARKUS_HTTP_PORT", String.valueOf(port));
        // health is on the management interface, the API port + 1000
        env.put("STOWAGE_MANAGEMENT_PORT", String.valueOf(port + 1000));
        env.put("STOWAGE_S3_ENDPOINT", s3.endpoint());
        env.put("STOWAGE_S3_ACCESS_KEY", s3.accessKey());
        env.put("STOWAGE_S3_SECRET_KEY", s3.secretKey());
        env.put("STOWAGE_S3_REGION", s3.region());
        env.put("STOWAGE_S3_BUCKET", s3.bucket());
        env.put("STOWAGE_OIDC_ISSUER", issuer.issuer());
        env.put("STOWAGE_METADATA_URL", "http://127.0.0.1:" + metadata.getAddress().getPort());
        env.put("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:" + Ports.free());
        env.put("QUARKUS_LOG_CATEGORY__ORG_APACHE_KAFKA__LEVEL", "OFF");
        env.put("STOWAGE_SWEEP_EVERY", "off");
        System.out.println("upload-service: " + String.join(" ", command) + " (log " + log + ")");
        return builder.start();
    }

    private static void awaitReady(HttpClient http, int port) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + (port + 1000) + "/q/health/live")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("upload-service did not start");
    }

    /** A field of /proc/PID/status in KiB (VmRSS, VmHWM). */
    private static long status(long pid, String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.substring(field.length() + 1).trim().split("\\s+")[0]);
            }
        }
        throw new IllegalStateException(field + " not in /proc/" + pid + "/status");
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** The body, generated on the fly. */
    private static final class Pattern extends InputStream {
        private final long size;
        private long position;

        Pattern(long size) {
            this.size = size;
        }

        @Override
        public int read() {
            return position < size ? (int) (position++ * 31 & 0xff) : -1;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            if (position >= size) {
                return -1;
            }
            int n = (int) Math.min(length, size - position);
            for (int i = 0; i < n; i++) {
                buffer[offset + i] = (byte) (position++ * 31);
            }
            return n;
        }
    }
}
