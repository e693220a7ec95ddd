package io.stowage.upload.blobs;

import io.smallrye.mutiny.Uni;
import io.stowage.upload.config.BlobBucketConfig;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.ListPartsResponse;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The blobs in the physical bucket: written, checked, assembled from parts and removed. */
@ApplicationScoped
public class Blobs {

    private static final Logger LOG = Logger.getLogger(Blobs.class);

    /** A body this small goes to S3 within the deadline of a small call. */
    static final int SMALL_BODY = 1024 * 1024;

    private final S3AsyncClient s3;
    private final String bucket;
    private final AwsRequestOverrideConfiguration transfer;

    public Blobs(S3AsyncClient s3, BlobBucketConfig config) {
        this.s3 = s3;
        this.bucket = config.bucket();
        // The calls that carry up to a part's bytes may take longer than the client's short deadline.
        this.transfer = AwsRequestOverrideConfiguration.builder()
                .apiCallTimeout(config.transferTimeout())
                .apiCallAttemptTimeout(config.transferTimeout())
                .build();
    }

    /** A part S3 holds for a multipart upload; {@code etag} without its quotes. */
    public record StoredPart(int partNumber, String etag, long size) {
    }

    /**
     * Whether the bucket answers at all, within {@code timeout} and without retries: readiness asks this,
     * and must say DOWN quickly while S3 is unreachable or hung.
     */
    public Uni<Void> reachable(java.time.Duration timeout) {
        AwsRequestOverrideConfiguration quick = AwsRequestOverrideConfiguration.builder()
                .apiCallTimeout(timeout).apiCallAttemptTimeout(timeout).build();
        return Uni.createFrom().completionStage(() -> s3.headBucket(r -> r.bucket(bucket).overrideConfiguration(quick)))
                .replaceWithVoid();
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

    /**
     * Writes a whole blob of up to a part; the buffer is not copied, so it must not change until this completes.
     * A body of at most {@link #SMALL_BODY} has the short deadline of a small call (a hung S3 is answered within
     * about 5 s, as when a pending record was written first); a larger one the transfer deadline.
     */
    public Uni<String> put(String key, String contentType, ByteBuffer bytes) {
        return Uni.createFrom().completionStage(() -> s3.putObject(
                        r -> {
                            r.bucket(bucket).key(key).contentType(contentType).contentLength((long) bytes.remaining());
                            if (bytes.remaining() > SMALL_BODY) {
                                r.overrideConfiguration(transfer);
                            }
                        },
                        AsyncRequestBody.fromByteBufferUnsafe(bytes)))
                .map(response -> unquote(response.eTag()));
    }

    /** A blob as a listing shows it. */
    public record Listed(String key, java.time.Instant lastModified) {
    }

    /** One page of a listing, in key order; {@code next} continues it, null after the last page. */
    public record Listing(List<Listed> blobs, String next) {
    }

    /** One page (up to 1000 keys) of the blobs under {@code prefix}; {@code continuation} from the page before (null: the first). */
    public Uni<Listing> list(String prefix, String continuation) {
        return Uni.createFrom().completionStage(() -> s3.listObjectsV2(r -> r.bucket(bucket).prefix(prefix).continuationToken(continuation)))
                .map(page -> new Listing(page.contents().stream().map(o -> new Listed(o.key(), o.lastModified())).toList(),
                        Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null));
    }

    /** Deletes the blob; deleting a missing blob succeeds, so a retry is harmless. */
    public Uni<Void> delete(String key) {
        return Uni.createFrom().completionStage(() -> s3.deleteObject(r -> r.bucket(bucket).key(key)))
                .invoke(() -> LOG.infof("deleted blob %s", key))
                .replaceWithVoid();
    }

    /** Starts a multipart upload of the blob; answers S3's upload id. */
    public Uni<String> startMultipart(String key, String contentType) {
        return Uni.createFrom().completionStage(() -> s3.createMultipartUpload(
                        r -> r.bucket(bucket).key(key).contentType(contentType)))
                .map(response -> response.uploadId());
    }

    /** Uploads one part; the buffer is not copied, so it must not change until this completes. */
    public Uni<CompletedPart> uploadPart(String key, String uploadId, int partNumber, ByteBuffer bytes) {
        return Uni.createFrom().completionStage(() -> s3.uploadPart(
                        r -> r.bucket(bucket).key(key).uploadId(uploadId).partNumber(partNumber)
                                .contentLength((long) bytes.remaining()).overrideConfiguration(transfer),
                        AsyncRequestBody.fromByteBufferUnsafe(bytes)))
                .map(response -> CompletedPart.builder().partNumber(partNumber).eTag(response.eTag()).build());
    }

    /** Assembles the blob from its parts (ascending part numbers); answers the blob's etag. */
    public Uni<String> completeMultipart(String key, String uploadId, List<CompletedPart> parts) {
        return Uni.createFrom().completionStage(() -> s3.completeMultipartUpload(
                        r -> r.bucket(bucket).key(key).uploadId(uploadId).multipartUpload(m -> m.parts(parts))
                                .overrideConfiguration(transfer)))
                .map(response -> unquote(response.eTag()));
    }

    /** Aborts a multipart upload, dropping its parts; an upload already gone is fine. */
    public Uni<Void> abortMultipart(String key, String uploadId) {
        return Uni.createFrom().completionStage(() -> s3.abortMultipartUpload(
                        r -> r.bucket(bucket).key(key).uploadId(uploadId)))
                .replaceWithVoid()
                .onFailure(S3Failures::isNotFound).recoverWithNull()
                .invoke(() -> LOG.infof("aborted multipart upload of blob %s", key));
    }

    /** The parts S3 holds for a multipart upload, in part-number order, across pages. */
    public Uni<List<StoredPart>> listParts(String key, String uploadId) {
        return listParts(key, uploadId, null, new ArrayList<>());
    }

    private Uni<List<StoredPart>> listParts(String key, String uploadId, Integer marker, List<StoredPart> found) {
        return Uni.createFrom().completionStage(() -> s3.listParts(r -> {
                    r.bucket(bucket).key(key).uploadId(uploadId);
                    if (marker != null) {
                        r.partNumberMarker(marker);
                    }
                }))
                .chain((ListPartsResponse page) -> {
                    page.parts().forEach(p -> found.add(new StoredPart(p.partNumber(), unquote(p.eTag()), p.size())));
                    return Boolean.TRUE.equals(page.isTruncated()) && page.nextPartNumberMarker() != null
                            ? listParts(key, uploadId, page.nextPartNumberMarker(), found)
                            : Uni.createFrom().item(found);
                });
    }

    public static String unquote(String etag) {
        if (etag != null && etag.length() >= 2 && etag.startsWith("\"") && etag.endsWith("\"")) {
            return etag.substring(1, etag.length() - 1);
        }
        return etag;
    }
}
