package io.stowage.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.gaul.s3proxy.BlobStores;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;

/**
 * A real S3-compatible server (S3Proxy) on loopback that verifies SigV4 signatures and presigned URLs.
 * The store is in memory for tests and on the filesystem for the local run.
 */
public final class S3Server implements AutoCloseable {

    public static final String DEFAULT_ACCESS_KEY = "stowage";
    public static final String DEFAULT_SECRET_KEY = "stowage-secret";
    public static final String DEFAULT_BUCKET = "stowage";
    public static final String REGION = "us-east-1";

    private final S3Proxy proxy;
    private final int port;
    private final String bucket;

    private S3Server(S3Proxy proxy, int port, String bucket) {
        this.proxy = proxy;
        this.port = port;
        this.bucket = bucket;
    }

    /**
     * Starts S3Proxy and creates the physical bucket.
     *
     * @param port    the port, or 0 for a free one
     * @param baseDir where blobs are kept as files, or null for an in-memory store
     * @param bucket  the physical bucket Stowage keeps its blobs in
     */
    public static S3Server start(int port, Path baseDir, String bucket) {
        int actualPort = Ports.orFree(port);
        try {
            BlobStore store;
            if (baseDir == null) {
                store = BlobStores.create("transient", new Properties());
            } else {
                Files.createDirectories(baseDir);
                Properties props = new Properties();
                props.setProperty("jclouds.filesystem.basedir", baseDir.toAbsolutePath().toString());
                store = BlobStores.create("filesystem", props);
            }
            S3Proxy proxy = S3Proxy.builder()
                    .blobStore(store)
                    .endpoint(URI.create("http://127.0.0.1:" + actualPort))
                    .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, DEFAULT_ACCESS_KEY, DEFAULT_SECRET_KEY)
                    .build();
            proxy.start();
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (!"STARTED".equals(proxy.getState())) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("S3Proxy did not start: " + proxy.getState());
                }
                Thread.sleep(20);
            }
            if (!store.containerExists(bucket)) {
                store.createContainer(bucket);
            }
            return new S3Server(proxy, actualPort, bucket);
        } catch (IOException e) {
            throw new UncheckedIOException("S3 server did not start", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (Exception e) {
            throw new IllegalStateException("S3 server did not start", e);
        }
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public String accessKey() {
        return DEFAULT_ACCESS_KEY;
    }

    public String secretKey() {
        return DEFAULT_SECRET_KEY;
    }

    public String region() {
        return REGION;
    }

    public String bucket() {
        return bucket;
    }

    /** A plain synchronous S3 client of this server, for tests that look at what really landed in S3. */
    public S3Client client() {
        return S3Client.builder()
                .endpointOverride(URI.create(endpoint()))
                .region(Region.of(REGION))
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey(), secretKey())))
                .build();
    }

    @Override
    public void close() {
        try {
            proxy.stop();
        } catch (Exception e) {
            throw new IllegalStateException("S3 server did not stop", e);
        }
    }
}
