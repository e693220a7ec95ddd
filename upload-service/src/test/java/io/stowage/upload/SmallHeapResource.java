package io.stowage.upload;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.stowage.infra.S3Server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

/**
 * What the small-heap test needs and nothing more, so that the 128 MiB are the service's: a real
 * S3 server that keeps blobs on disk (an in-memory store would hold the 200 MiB in this very heap),
 * and metadata-service as a stub. No Kafka broker in this JVM: the consumer points at a closed port.
 */
public class SmallHeapResource implements QuarkusTestResourceLifecycleManager {

    static S3Server s3;
    /** The packaged service's management interface (health, metrics), on a port free at start. */
    static int managementPort;
    private Path dir;
    private WireMockServer metadata;

    @Override
    public Map<String, String> start() {
        try {
            dir = Files.createTempDirectory("upload-small-heap-s3");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        s3 = S3Server.start(0, dir, S3Server.DEFAULT_BUCKET);
        metadata = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        metadata.start();
        metadata.stubFor(get(urlEqualTo("/v1/buckets/videos")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"id\":\"videos\",\"name\":\"videos\",\"public\":false,\"fileSizeLimit\":null,\"allowedMimeTypes\":null}")));
        metadata.stubFor(post(urlEqualTo("/internal/objects")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"id\":\"file-big\",\"bucket\":\"videos\",\"name\":\"big.bin\"}")));
        managementPort = freePort();
        return Map.of(
                "quarkus.management.port", String.valueOf(managementPort),
                "quarkus.s3.endpoint-override", s3.endpoint(),
                "quarkus.s3.aws.region", s3.region(),
                "quarkus.s3.aws.credentials.static-provider.access-key-id", s3.accessKey(),
                "quarkus.s3.aws.credentials.static-provider.secret-access-key", s3.secretKey(),
                "stowage.s3.bucket", s3.bucket(),
                "quarkus.rest-client.metadata.url", metadata.baseUrl(),
                "kafka.bootstrap.servers", "127.0.0.1:1");
    }

    private static int freePort() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
        if (metadata != null) {
            metadata.stop();
        }
        if (s3 != null) {
            s3.close();
        }
        if (dir != null) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // a temp directory; the OS cleans what is left
            }
        }
    }
}
