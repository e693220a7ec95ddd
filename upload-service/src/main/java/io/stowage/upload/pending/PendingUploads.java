package io.stowage.upload.pending;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import io.stowage.upload.blobs.S3Failures;
import io.stowage.upload.config.BlobBucketConfig;
import jakarta.enterprise.context.ApplicationScoped;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.services.s3.S3AsyncClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;

/**
 * Pending uploads as JSON documents {@code uploads/{uploadId}.json} in the physical bucket: no
 * database of its own, and S3's read-after-write consistency is all the bookkeeping needs.
 */
@ApplicationScoped
public class PendingUploads {

    private final S3AsyncClient s3;
    private final String bucket;
    private final ObjectMapper json;

    public PendingUploads(S3AsyncClient s3, BlobBucketConfig config, ObjectMapper json) {
        this.s3 = s3;
        this.bucket = config.bucket();
        this.json = json;
    }

    public static String key(String uploadId) {
        return "uploads/" + uploadId + ".json";
    }

    public Uni<PendingUpload> save(PendingUpload upload) {
        byte[] bytes;
        try {
            bytes = json.writeValueAsBytes(upload);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write pending upload " + upload.uploadId(), e);
        }
        return Uni.createFrom().completionStage(() -> s3.putObject(
                        r -> r.bucket(bucket).key(key(upload.uploadId())).contentType("application/json"),
                        AsyncRequestBody.fromBytes(bytes)))
                .replaceWith(upload);
    }

    public Uni<Optional<PendingUpload>> find(String uploadId) {
        return Uni.createFrom().completionStage(() -> s3.getObject(
                        r -> r.bucket(bucket).key(key(uploadId)), AsyncResponseTransformer.toBytes()))
                .map(bytes -> Optional.of(read(bytes.asByteArray())))
                .onFailure(S3Failures::isNotFound).recoverWithItem(Optional.empty());
    }

    private PendingUpload read(byte[] bytes) {
        try {
            return json.readValue(bytes, PendingUpload.class);
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable pending upload", e);
        }
    }
}
