package io.stowage.upload.blobs;

import io.smallrye.mutiny.Uni;
import io.stowage.upload.config.BlobBucketConfig;
import jakarta.enterprise.context.ApplicationScoped;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.CommonPrefix;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Blobs written whole by one PUT with no pending record beside them (a direct upload whose body fits in one
 * part): their key carries the time it was made, {@code blobs/direct/20261129T215012Z/{uuid}}, so keys sort by
 * time and the sweeper finds every such blob by listing from where it stopped last time (its mark,
 * {@code sweeper/direct-blobs.json}), instead of upload-service writing and deleting a record per upload.
 */
@ApplicationScoped
public class StampedBlobs {

    public static final String PREFIX = "blobs/direct/";
    static final String MARK = "sweeper/direct-blobs.json";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final int STAMP_LENGTH = "20261129T215012Z".length();

    private final S3AsyncClient s3;
    private final String bucket;

    public StampedBlobs(S3AsyncClient s3, BlobBucketConfig config) {
        this.s3 = s3;
        this.bucket = config.bucket();
    }

    /** A fresh key stamped with {@code at} (take it right before the PUT: the sweeper reckons from it). */
    public static String newKey(Instant at) {
        return PREFIX + STAMP.format(at) + "/" + UUID.randomUUID();
    }

    /** When the key was made, or empty for a key that is not a stamped blob's. */
    public static Optional<Instant> stampOf(String key) {
        if (key == null || !key.startsWith(PREFIX) || key.length() < PREFIX.length() + STAMP_LENGTH + 1
                || key.charAt(PREFIX.length() + STAMP_LENGTH) != '/') {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.from(STAMP.parse(key.substring(PREFIX.length(), PREFIX.length() + STAMP_LENGTH))));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** The part of a stamped key that names its second ({@code blobs/direct/20261129T215012Z}): every key of that second sorts after it. */
    public static String secondOf(String key) {
        return key.substring(0, Math.min(key.length(), PREFIX.length() + STAMP_LENGTH));
    }

    /**
     * Up to {@code max} seconds that hold stamped keys, after {@code after} (null: from the first), in order, as
     * prefixes {@code blobs/direct/20261129T215012Z/}. Listed with a delimiter, so S3 (and S3Proxy's file store, which
     * keeps each second as a directory) reads one entry per second, not one per blob.
     */
    public Uni<List<String>> seconds(String after, int max) {
        return Uni.createFrom().completionStage(() -> s3.listObjectsV2(r -> r.bucket(bucket).prefix(PREFIX).delimiter("/")
                        .maxKeys(max).startAfter(after)))
                .map(page -> page.commonPrefixes().stream().map(CommonPrefix::prefix).toList());
    }

    /** Every key stamped with the second {@code second} (a prefix from {@link #seconds}), page by page. */
    public Uni<List<String>> keysIn(String second) {
        return keysIn(second, null, new ArrayList<>());
    }

    private Uni<List<String>> keysIn(String second, String continuation, List<String> found) {
        return Uni.createFrom().completionStage(() -> s3.listObjectsV2(r -> r.bucket(bucket).prefix(second)
                        .continuationToken(continuation)))
                .chain(page -> {
                    page.contents().forEach(object -> found.add(object.key()));
                    return Boolean.TRUE.equals(page.isTruncated()) && page.nextContinuationToken() != null
                            ? keysIn(second, page.nextContinuationToken(), found)
                            : Uni.createFrom().item(found);
                });
    }

    /** The sweeper's mark as read: the last key settled (null: none yet) and the ETag a move must match (null: no mark). */
    public record Mark(String after, String etag) {
    }

    public Uni<Mark> mark() {
        return Uni.createFrom().completionStage(() -> s3.getObject(r -> r.bucket(bucket).key(MARK), AsyncResponseTransformer.toBytes()))
                .map(bytes -> new Mark(bytes.asString(StandardCharsets.UTF_8).trim(), bytes.response().eTag()))
                .onFailure(S3Failures::isNotFound).recoverWithItem(new Mark(null, null));
    }

    /**
     * Moves the mark to {@code after}, only if it is still as read (several replicas sweep): false when another
     * replica moved it first, which only means the same keys were looked at twice.
     */
    public Uni<Boolean> moveMark(Mark read, String after) {
        return ConditionalPuts.putIfUnchanged(s3, bucket, MARK, read.etag(), "text/plain", AsyncRequestBody.fromString(after));
    }
}
