package io.stowage.upload.tus;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import io.stowage.upload.blobs.Blobs;
import io.stowage.upload.blobs.S3Failures;
import io.stowage.upload.config.BlobBucketConfig;
import jakarta.enterprise.context.ApplicationScoped;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.CompletedPart;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Resumable uploads in the physical bucket, the way tusd's S3 store keeps them: the state as
 * {@code tus/{id}.json}, the full parts in one S3 multipart upload of the future blob
 * ({@code blobs/{uuid}}), and the tail under {@code tus/{id}.tail.{uuid}} (a fresh key each time, so
 * that the tail the state names is never overwritten by a PATCH that then fails to record it).
 */
@ApplicationScoped
public class S3TusStore implements TusStore {

    static final String PREFIX = "tus/";

    private final S3AsyncClient s3;
    private final String bucket;
    private final Blobs blobs;
    private final ObjectMapper json;

    public S3TusStore(S3AsyncClient s3, BlobBucketConfig config, Blobs blobs, ObjectMapper json) {
        this.s3 = s3;
        this.bucket = config.bucket();
        this.blobs = blobs;
        this.json = json;
    }

    static String stateKey(String id) {
        return PREFIX + id + ".json";
    }

    @Override
    public Uni<Optional<TusUpload>> find(String id) {
        return Uni.createFrom().completionStage(() -> s3.getObject(r -> r.bucket(bucket).key(stateKey(id)),
                        AsyncResponseTransformer.toBytes()))
                .map(bytes -> Optional.of(read(bytes.asByteArray())))
                .onFailure(S3Failures::isNotFound).recoverWithItem(Optional.empty());
    }

    @Override
    public Uni<Void> save(TusUpload upload) {
        return Uni.createFrom().completionStage(() -> s3.putObject(
                        r -> r.bucket(bucket).key(stateKey(upload.id())).contentType("application/json"),
                        AsyncRequestBody.fromBytes(write(upload))))
                .replaceWithVoid();
    }

    @Override
    public Uni<Void> forget(String id) {
        return Uni.createFrom().completionStage(() -> s3.deleteObject(r -> r.bucket(bucket).key(stateKey(id))))
                .replaceWithVoid();
    }

    @Override
    public Uni<List<String>> ids() {
        return io.stowage.upload.blobs.JsonRecords.ids(s3, bucket, PREFIX);
    }

    @Override
    public Uni<String> begin(String blobKey, String contentType) {
        return blobs.startMultipart(blobKey, contentType);
    }

    @Override
    public Uni<TusUpload.Part> writePart(TusUpload upload, int number, ByteBuffer bytes) {
        long size = bytes.remaining();
        return blobs.uploadPart(upload.blobKey(), upload.s3UploadId(), number, bytes)
                .map(part -> new TusUpload.Part(number, part.eTag(), size));
    }

    @Override
    public Uni<String> writeTail(TusUpload upload, ByteBuffer bytes) {
        String key = PREFIX + upload.id() + ".tail." + UUID.randomUUID();
        return blobs.put(key, "application/octet-stream", bytes).replaceWith(key);
    }

    @Override
    public Uni<Integer> readTail(String tailKey, ByteBuffer target) {
        int start = target.position();
        return Uni.createFrom().completionStage(() -> s3.getObject(r -> r.bucket(bucket).key(tailKey),
                        AsyncResponseTransformer.toPublisher()))
                // a tail is smaller than a part, and the target is a part: it always fits
                .chain(publisher -> Uni.createFrom().completionStage(publisher.subscribe(target::put)))
                .map(ignored -> target.position() - start);
    }

    @Override
    public Uni<Void> dropTail(String tailKey) {
        return tailKey == null ? Uni.createFrom().voidItem() : blobs.delete(tailKey);
    }

    @Override
    public Uni<String> assemble(TusUpload upload, List<TusUpload.Part> parts) {
        List<CompletedPart> completed = parts.stream()
                .map(p -> CompletedPart.builder().partNumber(p.number()).eTag(p.etag()).build())
                .toList();
        return blobs.completeMultipart(upload.blobKey(), upload.s3UploadId(), completed);
    }

    @Override
    public Uni<String> writeWhole(TusUpload upload, ByteBuffer bytes) {
        return blobs.put(upload.blobKey(), upload.contentType(), bytes)
                .call(() -> blobs.abortMultipart(upload.blobKey(), upload.s3UploadId()).onFailure().recoverWithNull());
    }

    @Override
    public Uni<Void> discard(TusUpload upload) {
        Uni<Void> parts = upload.s3UploadId() == null ? Uni.createFrom().voidItem()
                : blobs.abortMultipart(upload.blobKey(), upload.s3UploadId());
        return parts.chain(() -> dropTail(upload.tailKey()));
    }

    @Override
    public Uni<Void> deleteBlob(TusUpload upload) {
        return blobs.delete(upload.blobKey());
    }

    private byte[] write(TusUpload upload) {
        try {
            return json.writeValueAsBytes(upload);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write resumable upload " + upload.id(), e);
        }
    }

    private TusUpload read(byte[] bytes) {
        try {
            return json.readValue(bytes, TusUpload.class);
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable resumable upload", e);
        }
    }
}
