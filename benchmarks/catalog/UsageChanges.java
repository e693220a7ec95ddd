import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The load of usage.sh: {@code CHANGES CONNECTIONS METADATA_URL BUCKET VERSIONED_BUCKET TOKEN_A TOKEN_B} sends exactly
 * CHANGES changes to metadata-service from CONNECTIONS callers at once: half registrations that create or overwrite (a
 * name from a pool of 1,000 per owner and bucket, with {@code overwrite}), a quarter deletes of such a name, a quarter
 * copies onto such a name; two owners, a plain and a versioned bucket. Prints "sent refused seconds": refusals (a
 * delete of a name not there, a copy of a missing source) are changes the catalog turns down, and count nothing.
 */
public class UsageChanges {

    public static void main(String[] args) throws Exception {
        int changes = Integer.parseInt(args[0]);
        int connections = Integer.parseInt(args[1]);
        String metadata = args[2];
        String[] buckets = {args[3], args[4]};
        String[] tokens = {args[5], args[6]};
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
        AtomicLong next = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        long start = System.nanoTime();
        try (ExecutorService callers = Executors.newFixedThreadPool(connections)) {
            for (int c = 0; c < connections; c++) {
                callers.submit(() -> {
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    while (next.getAndIncrement() < changes) {
                        String bucket = buckets[random.nextInt(2)];
                        int who = random.nextInt(2);
                        String name = "n/" + who + "-" + (1 + random.nextInt(1000)) + ".bin";
                        double roll = random.nextDouble();
                        HttpRequest.Builder request;
                        if (roll < 0.5) {
                            String id = UUID.randomUUID().toString();
                            request = HttpRequest.newBuilder(URI.create(metadata + "/internal/objects")).POST(HttpRequest.BodyPublishers.ofString(
                                    "{\"uploadId\":\"" + id + "\",\"bucket\":\"" + bucket + "\",\"name\":\"" + name + "\",\"blobKey\":\"blobs/usage/" + id
                                            + "\",\"size\":" + (1 + random.nextInt(100_000)) + ",\"contentType\":\"application/octet-stream\","
                                            + "\"etag\":\"\\\"e\\\"\",\"overwrite\":true}"));
                        } else if (roll < 0.75) {
                            request = HttpRequest.newBuilder(URI.create(metadata + "/v1/files/by-path/" + bucket + "/" + name)).DELETE();
                        } else {
                            String target = "n/" + who + "-" + (1 + random.nextInt(1000)) + ".bin";
                            request = HttpRequest.newBuilder(URI.create(metadata + "/v1/files/copy")).POST(HttpRequest.BodyPublishers.ofString(
                                    "{\"bucket\":\"" + bucket + "\",\"name\":\"" + name + "\",\"destinationName\":\"" + target + "\"}"));
                        }
                        try {
                            HttpResponse<Void> answer = http.send(request.header("Authorization", "Bearer " + tokens[who])
                                    .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30)).build(),
                                    HttpResponse.BodyHandlers.discarding());
                            if (answer.statusCode() >= 300) {
                                refused.incrementAndGet();
                            }
                        } catch (Exception e) {
                            refused.incrementAndGet();
                        }
                    }
                    return null;
                });
            }
        }
        System.out.printf("%d %d %.1f%n", changes, refused.get(), (System.nanoTime() - start) / 1e9);
    }
}
