import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The parts of bench.sh that wrk cannot do. {@code flows URL TOKEN BUCKET SECONDS CONNECTIONS}: the
 * presigned three-step upload of 1 KiB (ask for the URL, PUT to S3, register), counted in whole flows
 * per second, against S3's own rate for the PUT alone, both measured by this client so that the
 * client's cost is on both sides. {@code png FILE}: writes the PNG the image pair renders.
 */
public class ThreeStep {

    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    static final Pattern URL_FIELD = Pattern.compile("\"url\"\\s*:\\s*\"([^\"]+)\"");
    static final Pattern UPLOAD_ID = Pattern.compile("\"uploadId\"\\s*:\\s*\"([^\"]+)\"");
    static final Pattern HEADERS = Pattern.compile("\"headers\"\\s*:\\s*\\{([^}]*)}");
    static final Pattern PAIR = Pattern.compile("\"([^\"]+)\"\\s*:\\s*\"([^\"]*)\"");

    public static void main(String[] args) throws Exception {
        if (args[0].equals("png")) {
            png(Path.of(args[1]));
            return;
        }
        String url = args[1], token = args[2], bucket = args[3];
        int seconds = Integer.parseInt(args[4]), connections = Integer.parseInt(args[5]);
        byte[] body = new byte[1024];
        ThreadLocalRandom.current().nextBytes(body);
        // S3's PUT rate: one presigned URL, PUT again and again
        String[] presigned = presign(url, token, bucket, "three-step-floor.bin");
        Result floor = run(seconds, connections, n -> expect(200, put(presigned, body)));
        Result flows = run(seconds, connections, n -> {
            String[] p = presign(url, token, bucket, "three/" + Thread.currentThread().threadId() + "-" + n + "-"
                    + ThreadLocalRandom.current().nextInt(1_000_000_000) + ".bin");
            expect(200, put(p, body));
            expect(201, send(HttpRequest.newBuilder(URI.create(url + "/v1/files"))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"uploadId\":\"" + p[1] + "\"}"))));
        });
        System.out.printf("%-34s %-26s %9.0f req/s p99 %7.1f ms | %-28s %9.0f flows/s p99 %7.1f ms (failed %d) | ratio %.2f%n",
                "presigned three-step 1 KiB", "S3 presigned PUT (Java)", floor.rate, floor.p99, "URL + PUT + register",
                flows.rate, flows.p99, flows.failed, flows.rate / floor.rate);
    }

    interface Step {
        void run(long n) throws Exception;
    }

    record Result(double rate, double p99, long failed) {
    }

    static Result run(int seconds, int connections, Step step) throws Exception {
        ConcurrentLinkedQueue<Long> micros = new ConcurrentLinkedQueue<>();
        AtomicLong failed = new AtomicLong();
        long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        long started = System.nanoTime();
        try (ExecutorService pool = Executors.newFixedThreadPool(connections)) {
            for (int c = 0; c < connections; c++) {
                pool.submit(() -> {
                    long n = 0;
                    while (System.nanoTime() < end) {
                        long t = System.nanoTime();
                        try {
                            step.run(n++);
                            micros.add((System.nanoTime() - t) / 1000);
                        } catch (Exception e) {
                            failed.incrementAndGet();
                        }
                    }
                });
            }
        }
        double elapsed = (System.nanoTime() - started) / 1e9;
        List<Long> sorted = new ArrayList<>(micros);
        Collections.sort(sorted);
        double p99 = sorted.isEmpty() ? 0 : sorted.get(Math.max(0, (int) Math.ceil(0.99 * sorted.size()) - 1)) / 1000.0;
        return new Result(sorted.size() / elapsed, p99, failed.get());
    }

    /** {url, uploadId, header name, header value, ...} of a presigned PUT for a 1 KiB object. */
    static String[] presign(String url, String token, String bucket, String path) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url + "/v1/files/presigned-url"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"bucket\":\"" + bucket + "\",\"path\":\"" + path
                        + "\",\"contentType\":\"application/octet-stream\",\"size\":1024}")).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200 && r.statusCode() != 201) {
            throw new IllegalStateException("presigned-url answered " + r.statusCode() + ": " + r.body());
        }
        List<String> out = new ArrayList<>();
        Matcher u = URL_FIELD.matcher(r.body());
        Matcher id = UPLOAD_ID.matcher(r.body());
        if (!u.find() || !id.find()) {
            throw new IllegalStateException("no url/uploadId in " + r.body());
        }
        out.add(u.group(1).replace("\\u0026", "&"));
        out.add(id.group(1));
        Matcher h = HEADERS.matcher(r.body());
        if (h.find()) {
            Matcher p = PAIR.matcher(h.group(1));
            while (p.find()) {
                out.add(p.group(1));
                out.add(p.group(2));
            }
        }
        return out.toArray(String[]::new);
    }

    static HttpResponse<String> put(String[] presigned, byte[] body) throws Exception {
        HttpRequest.Builder put = HttpRequest.newBuilder(URI.create(presigned[0])).PUT(HttpRequest.BodyPublishers.ofByteArray(body));
        for (int i = 2; i + 1 < presigned.length; i += 2) {
            String name = presigned[i].toLowerCase();
            if (!name.equals("host") && !name.equals("content-length")) {
                put.header(presigned[i], presigned[i + 1]);
            }
        }
        return send(put);
    }

    static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static void expect(int status, HttpResponse<String> response) {
        if (response.statusCode() != status) {
            throw new IllegalStateException(response.statusCode() + ": " + response.body());
        }
    }

    static void png(Path file) throws Exception {
        var image = new java.awt.image.BufferedImage(640, 480, java.awt.image.BufferedImage.TYPE_INT_RGB);
        var g = image.createGraphics();
        g.setPaint(new java.awt.GradientPaint(0, 0, java.awt.Color.ORANGE, 640, 480, java.awt.Color.BLUE));
        g.fillRect(0, 0, 640, 480);
        g.dispose();
        javax.imageio.ImageIO.write(image, "png", file.toFile());
        System.out.println("wrote " + file + " (" + Files.size(file) + " bytes)");
    }
}
