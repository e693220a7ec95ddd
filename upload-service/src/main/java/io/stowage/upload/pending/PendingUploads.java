package io.stowage.upload.pending;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import io.stowage.contract.SharedErrorCode;
import io.stowage.upload.blobs.S3Failures;
import io.stowage.upload.config.BlobBucketConfig;
import io.stowage.upload.error.UploadException;
import jakarta.enterprise.context.ApplicationScoped;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.services.s3.S3AsyncClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * Pending uploads as JSON documents {@code uploads/{uploadId}.json} in the physical bucket: no
 * database of its own. S3's read-after-write consistency and its conditional writes ({@code If-Match}
 * on the record's ETag) are all the bookkeeping and the sweeper's claims need.
 */
@ApplicationScoped
public class PendingUploads {

    static final String PREFIX = "uploads/";

    private final S3AsyncClient s3;
    private final String bucket;
    private final ObjectMapper json;

    public PendingUploads(S3AsyncClient s3, BlobBucketConfig config, ObjectMapper json) {
        this.s3 = s3;
        this.bucket = config.bucket();
        this.json = json;
    }

    public static String key(String uploadId) {
        return PREFIX + uploadId + ".json";
    }

    /** A record as read, with the ETag a conditional write must match. */
    public record Versioned(PendingUpload upload, String etag) {
    }

    /** The owner's own pending upload; anyone else's is reported exactly like a missing one (404). */
    public Uni<PendingUpload> findOwn(String owner, String uploadId) {
        UploadException notFound = new UploadException(SharedErrorCode.UploadNotFound, "upload '" + uploadId + "' not found");
        if (!isUuid(uploadId)) {
            return Uni.createFrom().failure(notFound);
        }
        // Someone else's upload is reported exactly like a missing one: its existence is not revealed.
        return find(uploadId).map(found -> found
                .filter(upload -> upload.owner().equals(owner))
                .orElseThrow(() -> notFound));
    }

    public Uni<PendingUpload> save(PendingUpload upload) {
        return Uni.createFrom().completionStage(() -> s3.putObject(
                        r -> r.bucket(bucket).key(key(upload.uploadId())).contentType("application/json"),
                        AsyncRequestBody.fromBytes(write(upload))))
                .replaceWith(upload);
    }

    /** Writes the record only if it is still the version read; false when another writer got there first. */
    public Uni<Boolean> replaceIfUnchanged(Versioned read, PendingUpload next) {
        return Uni.createFrom().completionStage(() -> s3.putObject(
                        r -> r.bucket(bucket).key(key(next.uploadId())).contentType("application/json").ifMatch(read.etag()),
                        AsyncRequestBody.fromBytes(write(next))))
                .replaceWith(true)
                .onFailure(S3Failures::isPreconditionFailed).recoverWithItem(false)
                // S3 may refuse the write and drop the connection before the body is sent, and the answer
                // is lost: what is stored now tells whether this write landed, another one did, or none
                .onFailure(S3Failures::isWithoutAnswer).recoverWithUni(failure -> findVersioned(next.uploadId())
                        .map(current -> {
                            if (current.isEmpty()) {
                                return false;
                            }
                            if (current.get().upload().equals(read(write(next)))) {
                                return true;
                            }
                            if (!current.get().etag().equals(read.etag())) {
                                return false;
                            }
                            throw new IllegalStateException("the conditional write of upload " + next.uploadId()
                                    + " had no answer and did not land", failure);
                        }));
    }

    public Uni<Optional<PendingUpload>> find(String uploadId) {
        return findVersioned(uploadId).map(found -> found.map(Versioned::upload));
    }

    public Uni<Optional<Versioned>> findVersioned(String uploadId) {
        return Uni.createFrom().completionStage(() -> s3.getObject(
                        r -> r.bucket(bucket).key(key(uploadId)), AsyncResponseTransformer.toBytes()))
                .map(bytes -> Optional.of(new Versioned(read(bytes.asByteArray()), bytes.response().eTag())))
                .onFailure(S3Failures::isNotFound).recoverWithItem(Optional.empty());
    }

    public Uni<Void> delete(String uploadId) {
        return Uni.createFrom().completionStage(() -> s3.deleteObject(r -> r.bucket(bucket).key(key(uploadId))))
                .replaceWithVoid();
    }

    /** The ids of every pending upload record, read page by page. */
    public Uni<List<String>> ids() {
        return io.stowage.upload.blobs.JsonRecords.ids(s3, bucket, PREFIX);
    }

    private byte[] write(PendingUpload upload) {
        try {
            return json.writeValueAsBytes(upload);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write pending upload " + upload.uploadId(), e);
        }
    }

    private PendingUpload read(byte[] bytes) {
        try {
            return json.readValue(bytes, PendingUpload.class);
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable pending upload", e);
        }
    }

    /** Whether {@code value} is an upload id as this service makes them (a UUID); anything else is no upload. */
    public static boolean isUuid(String value) {
        if (value == null || value.length() != 36) {
            return false;
        }
        try {
            return UUID.fromString(value).toString().equals(value.toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
