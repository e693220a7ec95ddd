import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The soak's load: WORKERS loops, each picking one operation at a time (uploads of 1 KiB to 4 MiB
 * through the native and Supabase APIs, downloads, listings, deletes, image renders of a stored PNG),
 * against the gateway of a running {@code ./stowage dev}. Every minute: answers by status, p50/p99 per
 * operation, and the RSS of each Stowage process. Source-file program: {@code java Soak.java MIN WORKERS}.
 */
public class Soak {

    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    static final String URL = env("STOWAGE_URL");
    static final String ADMIN = env("STOWAGE_ADMIN_TOKEN");
    static final String ALICE = env("STOWAGE_ALICE_TOKEN");
    static final int[] SIZES = {1024, 16 * 1024, 256 * 1024, 4 * 1024 * 1024};
    static final String[] SERVICES = {"gateway-service", "metadata-service", "upload-service", "signing-service", "image-service"};

    /** This minute's latencies (ms) per operation, and answers per operation and status. */
    static final Map<String, ConcurrentLinkedQueue<Long>> latencies = new ConcurrentHashMap<>();
    static final Map<String, AtomicLong> statuses = new ConcurrentHashMap<>();
    static final Map<String, AtomicLong> totals = new ConcurrentHashMap<>();
    /** Names each worker has written and not deleted yet. */
    static final Map<Integer, List<String>> written = new ConcurrentHashMap<>();

    static String bucket;

    public static void main(String[] args) throws Exception {
        int minutes = Integer.parseInt(args[0]);
        int workers = Integer.parseInt(args[1]);
        bucket = "soak-" + System.currentTimeMillis();
        expect(200, send("POST", "/storage/v1/bucket", ADMIN, json("{\"name\":\"" + bucket + "\",\"public\":true}"), "application/json"));
        expect(201, send("PUT", "/v1/objects/" + bucket + "/pics/p.png", ALICE, png(), "image/png"));
        System.out.printf("soak: %d min, %d workers, bucket %s, gateway %s%n", minutes, workers, bucket, URL);
        System.out.println("minute | operation | count | p50 ms | p99 ms");

        long end = System.nanoTime() + Duration.ofMinutes(minutes).toNanos();
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        for (int w = 0; w < workers; w++) {
            int worker = w;
            written.put(worker, Collections.synchronizedList(new ArrayList<>()));
            pool.submit(() -> {
                Random random = new Random(worker);
                int n = 0;
                while (System.nanoTime() < end) {
                    try {
                        step(worker, n++, random);
                    } catch (Exception e) {
                        count("client-error", "exception " + e.getClass().getSimpleName());
                    }
                }
            });
        }
        for (int minute = 1; minute <= minutes; minute++) {
            Thread.sleep(Duration.ofMinutes(1));
            report(minute);
        }
        pool.shutdown();
        pool.awaitTermination(1, java.util.concurrent.TimeUnit.MINUTES);
        System.out.println("totals by operation and status: " + new TreeMap<>(totals));
        long errors = totals.entrySet().stream().filter(e -> !e.getKey().matches(".* (2\\d\\d|304)")).mapToLong(e -> e.getValue().get()).sum();
        System.out.println("errors (anything but 2xx/304): " + errors);
    }

    /** One operation, chosen by weight: reads most, then writes, listings, renders, deletes. */
    static void step(int worker, int n, Random random) throws Exception {
        List<String> mine = written.get(worker);
        int pick = random.nextInt(100);
        if (mine.size() < 3 || pick < 20) {
            int size = SIZES[random.nextInt(SIZES.length)];
            String name = "w" + worker + "/o" + n + "-" + size + ".bin";
            byte[] body = new byte[size];
            ThreadLocalRandom.current().nextBytes(body);
            if (random.nextBoolean()) {
                timed("upload native", () -> send("PUT", "/v1/objects/" + bucket + "/" + name, ALICE, body, "application/octet-stream"));
            } else {
                timed("upload supabase", () -> send("POST", "/storage/v1/object/" + bucket + "/" + name, ALICE, body, "application/octet-stream"));
            }
            mine.add(name);
        } else if (pick < 50) {
            String name = mine.get(random.nextInt(mine.size()));
            timed("download native", () -> send("GET", "/v1/objects/" + bucket + "/" + name, ALICE, null, null));
        } else if (pick < 65) {
            String name = mine.get(random.nextInt(mine.size()));
            timed("download supabase public", () -> send("GET", "/storage/v1/object/public/" + bucket + "/" + name, null, null, null));
        } else if (pick < 75) {
            timed("list native", () -> send("GET", "/v1/files?bucket=" + bucket + "&prefix=" + enc("w" + worker + "/") + "&limit=50", ALICE, null, null));
        } else if (pick < 82) {
            timed("list supabase", () -> send("POST", "/storage/v1/object/list/" + bucket, ALICE,
                    json("{\"prefix\":\"w" + worker + "\",\"limit\":50}"), "application/json"));
        } else if (pick < 92) {
            int width = 16 + random.nextInt(8) * 16;
            timed("render", () -> send("GET", "/storage/v1/render/image/public/" + bucket + "/pics/p.png?width=" + width, null, null, null));
        } else {
            String name = mine.remove(random.nextInt(mine.size()));
            if (random.nextBoolean()) {
                timed("delete native", () -> send("DELETE", "/v1/files/by-path/" + bucket + "/" + name, ALICE, null, null));
            } else {
                timed("delete supabase", () -> send("DELETE", "/storage/v1/object/" + bucket + "/" + name, ALICE, null, null));
            }
        }
    }

    interface Call {
        HttpResponse<byte[]> run() throws Exception;
    }

    static void timed(String op, Call call) throws Exception {
        long started = System.nanoTime();
        HttpResponse<byte[]> response = call.run();
        latencies.computeIfAbsent(op, k -> new ConcurrentLinkedQueue<>()).add((System.nanoTime() - started) / 1_000_000);
        count(op, String.valueOf(response.statusCode()));
    }

    static void count(String op, String status) {
        statuses.computeIfAbsent(op + " " + status, k -> new AtomicLong()).incrementAndGet();
        totals.computeIfAbsent(op + " " + status, k -> new AtomicLong()).incrementAndGet();
    }

    static void report(int minute) throws IOException {
        for (String op : new TreeMap<>(latencies).keySet()) {
            List<Long> values = new ArrayList<>();
            ConcurrentLinkedQueue<Long> queue = latencies.get(op);
            for (Long v; (v = queue.poll()) != null; ) {
                values.add(v);
            }
            Collections.sort(values);
            if (!values.isEmpty()) {
                System.out.printf("%d | %s | %d | %d | %d%n", minute, op, values.size(), percentile(values, 50), percentile(values, 99));
            }
        }
        Map<String, Long> answers = new TreeMap<>();
        statuses.forEach((k, v) -> answers.put(k, v.getAndSet(0)));
        answers.values().removeIf(v -> v == 0);
        long errors = answers.entrySet().stream().filter(e -> !e.getKey().matches(".* (2\\d\\d|304)")).mapToLong(Map.Entry::getValue).sum();
        System.out.printf("%d | answers by status: %s | errors: %d%n", minute, answers, errors);
        StringBuilder rss = new StringBuilder();
        for (String service : SERVICES) {
            rss.append(service).append('=').append(rssMiB(service)).append("MiB ");
        }
        System.out.printf("%d | RSS: %s%n", minute, rss.toString().trim());
    }

    static long percentile(List<Long> sorted, int p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }

    /** The resident set of the process running the service's quarkus-run.jar. */
    static long rssMiB(String service) throws IOException {
        try (var procs = Files.list(Path.of("/proc"))) {
            for (Path proc : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    String cmd = Files.readString(proc.resolve("cmdline")).replace('\0', ' ');
                    if (cmd.contains(service + "/target/quarkus-app/quarkus-run.jar")) {
                        for (String line : Files.readAllLines(proc.resolve("status"))) {
                            if (line.startsWith("VmRSS:")) {
                                return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
                            }
                        }
                    }
                } catch (IOException gone) {
                    // the process ended while we looked
                }
            }
        }
        return -1;
    }

    static HttpResponse<byte[]> send(String method, String path, String token, byte[] body, String contentType) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(URL + path)).timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    static void expect(int status, HttpResponse<byte[]> response) {
        if (response.statusCode() != status) {
            throw new IllegalStateException(response.request().method() + " " + response.request().uri() + " answered "
                    + response.statusCode() + ": " + new String(response.body(), StandardCharsets.UTF_8));
        }
    }

    static byte[] json(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    static String env(String name) {
        String value = System.getenv(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(name + " is not set: source .stowage/dev.env");
        }
        return value;
    }

    /** A 256x192 PNG drawn here, so the renders have a real image to work on. */
    static byte[] png() throws IOException {
        var image = new java.awt.image.BufferedImage(256, 192, java.awt.image.BufferedImage.TYPE_INT_RGB);
        var g = image.createGraphics();
        g.setColor(java.awt.Color.ORANGE);
        g.fillRect(0, 0, 256, 192);
        g.setColor(java.awt.Color.BLUE);
        g.fillOval(40, 30, 120, 120);
        g.dispose();
        var out = new java.io.ByteArrayOutputStream();
        javax.imageio.ImageIO.write(image, "png", out);
        return out.toByteArray();
    }
}
