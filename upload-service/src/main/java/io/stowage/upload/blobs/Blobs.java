package io.stowage.upload.blobs;

import io.smallrye.mutiny.Uni;
import io.stowage.upload.config.BlobBucketConfig;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.services.s3.S3AsyncClient;

import java.util.Optional;

/** The blobs in the physical bucket, as upload-service checks and, when refused, removes them. */
@ApplicationScoped
public class Blobs {

    private static final Logger LOG = Logger.getLogger(Blobs.class);

    private final S3AsyncClient s3;
    private final String bucket;

    public Blobs(S3AsyncClient s3, BlobBucketConfig config) {
        this.s3 = s3;
        this.bucket = config.bucket();
    }

    /** The blob's size, type and etag, or empty when nothing was uploaded under the key. */
    public Uni<Optional<BlobHead>> head(String key) {
        return Uni.createFrom().completionStage(() -> s3.headObject(r -> r.bucket(bucket).key(key)))
                .map(head -> Optional.of(new BlobHead(head.contentLength(), head.contentType(), unquote(head.eTag()))))
                .onFailure(S3Failures::isNotFound).recoverWithItem(Optional.empty());
    }

    /** The first {@code count} bytes (fewer if the blob is shorter), read with a ranged GET. */
    public Uni<byte[]> firstBytes(String key, int count) {
        return Uni.createFrom().completionStage(() -> s3.getObject(
                        r -> r.bucket(bucket).key(key).range("bytes=0-" + (count - 1)),
                        AsyncResponseTransformer.toBytes()))
                .map(bytes -> bytes.asByteArray());
    }

    /** Deletes the blob; deleting a missing blob succeeds, so a retry is harmless. */
    public Uni<Void> delete(String key) {
        return Uni.createFrom().completionStage(() -> s3.deleteObject(r -> r.bucket(bucket).key(key)))
                .invoke(() -> LOG.infof("deleted refused blob %s", key))
                .replaceWithVoid();
    }

    private static String unquote(String etag) {
        if (etag != null && etag.length() >= 2 && etag.startsWith("\"") && etag.endsWith("\"")) {
            return etag.substring(1, etag.length() - 1);
        }
        return etag;
    }
}
