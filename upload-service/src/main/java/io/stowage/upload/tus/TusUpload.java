package io.stowage.upload.tus;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The state of one resumable upload, kept by the {@link TusStore} as {@code tus/{id}.json} beside the
 * blobs: what the client declared at creation, how far it has come, and where its bytes are in S3
 * (the parts of one multipart upload, plus the "tail": the bytes past the last full part, kept as an
 * object of their own until the next PATCH, because S3 refuses parts under 5 MiB but the last).
 *
 * @param length       {@code Upload-Length}, null while deferred ({@code Upload-Defer-Length: 1})
 * @param maxLength    the most this upload may hold: the bucket's file size limit or the server's maximum
 * @param rawMetadata  {@code Upload-Metadata} as the client sent it, answered back on HEAD
 * @param onBehalf     created by a Stowage service for {@code owner} (a signed upload token)
 * @param tailKey      the object holding the bytes past the last full part; null when there are none
 * @param sniffed      the first bytes were checked against {@code contentType}
 * @param state        {@code open}, {@code assembled} (blob complete, registration not yet answered) or {@code done}
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TusUpload(String id,
                        String owner,
                        boolean onBehalf,
                        String bucket,
                        String name,
                        String contentType,
                        String cacheControl,
                        ObjectNode metadata,
                        String visibility,
                        boolean upsert,
                        Long length,
                        long maxLength,
                        String rawMetadata,
                        long offset,
                        String blobKey,
                        String s3UploadId,
                        List<Part> parts,
                        String tailKey,
                        long tailSize,
                        boolean sniffed,
                        String state,
                        String etag,
                        Instant createdAt,
                        Instant expiresAt) {

    public static final String OPEN = "open";
    public static final String ASSEMBLED = "assembled";
    public static final String DONE = "done";

    /** One full part in S3: its number, etag and size. */
    public record Part(int number, String etag, long size) {
    }

    public TusUpload {
        parts = parts == null ? List.of() : List.copyOf(parts);
    }

    @JsonIgnore
    public boolean deferred() {
        return length == null;
    }

    @JsonIgnore
    public boolean open() {
        return OPEN.equals(state);
    }

    @JsonIgnore
    public boolean expiredAt(Instant now) {
        return now.isAfter(expiresAt);
    }

    /** Bytes in full parts: where the tail starts. */
    @JsonIgnore
    public long partBytes() {
        return parts.stream().mapToLong(Part::size).sum();
    }

    public TusUpload withLength(long declared) {
        return new TusUpload(id, owner, onBehalf, bucket, name, contentType, cacheControl, metadata, visibility, upsert,
                declared, maxLength, rawMetadata, offset, blobKey, s3UploadId, parts, tailKey, tailSize, sniffed, state, etag,
                createdAt, expiresAt);
    }

    /** After a PATCH: the new offset, the parts it added, and the tail it left. */
    public TusUpload progressed(long newOffset, List<Part> added, String newTailKey, long newTailSize, boolean nowSniffed,
                                Instant newExpiry) {
        List<Part> all = new ArrayList<>(parts);
        all.addAll(added);
        return new TusUpload(id, owner, onBehalf, bucket, name, contentType, cacheControl, metadata, visibility, upsert,
                length, maxLength, rawMetadata, newOffset, blobKey, s3UploadId, all, newTailKey, newTailSize,
                sniffed || nowSniffed, state, etag, createdAt, newExpiry);
    }

    /** The blob is whole: every byte arrived and S3 assembled the parts. */
    public TusUpload assembled(long size, String blobEtag) {
        return new TusUpload(id, owner, onBehalf, bucket, name, contentType, cacheControl, metadata, visibility, upsert,
                size, maxLength, rawMetadata, size, blobKey, null, List.of(), null, 0, true, ASSEMBLED, blobEtag,
                createdAt, expiresAt);
    }

    public TusUpload done() {
        return new TusUpload(id, owner, onBehalf, bucket, name, contentType, cacheControl, metadata, visibility, upsert,
                length, maxLength, rawMetadata, offset, blobKey, null, List.of(), null, 0, true, DONE, etag,
                createdAt, expiresAt);
    }
}
