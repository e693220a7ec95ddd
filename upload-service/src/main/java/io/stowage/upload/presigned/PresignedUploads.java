package io.stowage.upload.presigned;

import io.stowage.contract.SharedErrorCode;
import io.stowage.upload.error.UploadErrorCode;
import io.stowage.contract.MediaTypes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import io.stowage.upload.auth.Caller;
import io.stowage.upload.blobs.BlobHead;
import io.stowage.upload.blobs.Blobs;
import io.stowage.upload.client.ObjectRegistration;
import io.stowage.upload.client.SignRequest;
import io.stowage.upload.client.SignedUrl;
import io.stowage.upload.client.Upstreams;
import io.stowage.upload.config.UploadConfig;
import io.stowage.upload.error.UploadException;
import io.stowage.upload.error.UpstreamRejection;
import io.stowage.upload.metrics.UploadMetrics;
import io.stowage.upload.pending.PendingUpload;
import io.stowage.upload.pending.PendingUploads;
import io.stowage.upload.rules.BucketLimits;
import io.stowage.upload.rules.ContentSniffer;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * The three-step presigned upload: hand out a URL for a fresh blob, let the client PUT to S3,
 * then check what landed before metadata-service makes it an object. The bucket's limits are
 * checked when the URL is asked for, signed into the URL, and checked again on the blob itself.
 */
@ApplicationScoped
public class PresignedUploads {

    private static final Logger LOG = Logger.getLogger(PresignedUploads.class);

    private final Upstreams upstreams;
    private final PendingUploads pending;
    private final Blobs blobs;
    private final UploadConfig config;
    private final ObjectMapper json;
    private final UploadMetrics metrics;

    public PresignedUploads(Upstreams upstreams, PendingUploads pending, Blobs blobs, UploadConfig config, ObjectMapper json,
                            UploadMetrics metrics) {
        this.upstreams = upstreams;
        this.pending = pending;
        this.blobs = blobs;
        this.config = config;
        this.json = json;
        this.metrics = metrics;
    }

    public Uni<IssuedUrl> issueUrl(Caller caller, UrlRequest request) {
        return upstreams.bucket(request.bucket(), caller.authorization())
                .invoke(bucket -> BucketLimits.check(bucket, request.size(), request.contentType()))
                .call(bucket -> upstreams.checkQuota(bucket, request.path(), false, request.size(), null, caller.authorization()))
                .chain(bucket -> {
                    String uploadId = UUID.randomUUID().toString();
                    // Blob keys are opaque: the name lives in the catalog, so renames never touch S3.
                    String blobKey = "blobs/" + UUID.randomUUID();
                    SignRequest sign = SignRequest.putObject(blobKey, request.contentType(), request.size(), config.urlExpiresIn());
                    return upstreams.presignPut(sign)
                            .chain(signed -> pending.save(PendingUpload.single(uploadId, caller.subject(), request.bucket(),
                                            request.path(), request.contentType(), request.size(), blobKey,
                                            request.visibility(), Instant.now(), Instant.parse(signed.expiresAt())))
                                    .map(saved -> issued(uploadId, signed)));
                })
                .invoke(() -> metrics.started(UploadMetrics.PRESIGNED))
                .invoke(issued -> LOG.infof("upload %s: URL issued for %s/%s to %s",
                        issued.uploadId(), request.bucket(), request.path(), caller.subject()));
    }

    public Uni<Registration> register(Caller caller, String uploadId, String visibility) {
        return pending.findOwn(caller.subject(), uploadId).chain(upload -> {
            if (upload.registered()) {
                // Already an object: metadata-service answers the same File again (200).
                return registerWithMetadata(caller, upload, upload.etag(), visibility);
            }
            if (upload.expiredAt(Instant.now())) {
                return dropUnreferencedBlob(upload).chain(() -> Uni.createFrom().failure(
                        new UploadException(SharedErrorCode.UploadExpired, "upload " + uploadId + " has expired")));
            }
            return blobs.head(upload.blobKey())
                    .chain(head -> verify(caller, upload, head))
                    .chain(head -> registerWithMetadata(caller, upload, head.etag(), visibility));
        });
    }

    /**
     * Deletes an expired upload's blob unless it may be an object's: an earlier registration may have
     * landed with its answer lost, so the catalog is asked first (with upload-service's own token). A
     * catalog that does not answer leaves the blob to the sweeper, which asks again.
     */
    private Uni<Void> dropUnreferencedBlob(PendingUpload upload) {
        return blobs.head(upload.blobKey()).chain(head -> head.isEmpty()
                ? Uni.createFrom().voidItem()
                : upstreams.referencedBlobs(java.util.List.of(upload.blobKey())).chain(referenced -> referenced.isEmpty()
                        ? blobs.delete(upload.blobKey())
                        : Uni.createFrom().voidItem()))
                .onFailure().invoke(t -> LOG.warnf("upload %s: expired; blob %s left to the sweeper: %s", upload.uploadId(),
                        upload.blobKey(), t.getMessage()))
                .onFailure().recoverWithNull();
    }

    /** Checks the blob against the upload, the bucket's current limits and its own first bytes. */
    private Uni<BlobHead> verify(Caller caller, PendingUpload upload, Optional<BlobHead> found) {
        if (found.isEmpty()) {
            return Uni.createFrom().failure(new UploadException(UploadErrorCode.UploadMismatch,
                    "nothing was uploaded for upload " + upload.uploadId()));
        }
        BlobHead head = found.get();
        if (head.size() != upload.size()) {
            return refuse(upload, new UploadException(UploadErrorCode.UploadMismatch,
                    "uploaded " + head.size() + " bytes, expected " + upload.size()));
        }
        if (!MediaTypes.essence(upload.contentType()).equals(MediaTypes.essence(head.contentType()))) {
            return refuse(upload, new UploadException(UploadErrorCode.UploadMismatch,
                    "uploaded content type '" + head.contentType() + "', expected '" + upload.contentType() + "'"));
        }
        return upstreams.bucket(upload.bucket(), caller.authorization())
                .onFailure(UpstreamRejection.class).call(rejected -> ((UpstreamRejection) rejected).status() == 404
                        ? blobs.delete(upload.blobKey()) : Uni.createFrom().voidItem())
                .chain(bucket -> {
                    try {
                        BucketLimits.check(bucket, head.size(), upload.contentType());
                    } catch (UploadException e) {
                        return refuse(upload, e);
                    }
                    return firstBytes(upload, head.size());
                })
                .chain(bytes -> ContentSniffer.agrees(upload.contentType(), bytes)
                        ? Uni.createFrom().item(head)
                        : refuse(upload, new UploadException(UploadErrorCode.UploadMismatch,
                        "the uploaded bytes are not " + upload.contentType())));
    }

    private Uni<byte[]> firstBytes(PendingUpload upload, long size) {
        // A ranged GET of an empty object is refused by S3 (416): there is nothing to sniff anyway.
        return size == 0 ? Uni.createFrom().item(new byte[0]) : blobs.firstBytes(upload.blobKey(), config.sniffBytes());
    }

    private Uni<Registration> registerWithMetadata(Caller caller, PendingUpload upload, String etag, String visibility) {
        String effectiveVisibility = visibility != null ? visibility : upload.visibility();
        ObjectRegistration registration = new ObjectRegistration(upload.uploadId(), upload.bucket(), upload.path(),
                upload.blobKey(), upload.size(), upload.contentType(), etag, effectiveVisibility);
        return upstreams.registerObject(registration, caller.authorization())
                .onFailure(UpstreamRejection.class).invoke(() -> {
                    if (!upload.registered()) {
                        metrics.ended(UploadMetrics.pathOf(upload), UploadMetrics.REFUSED);
                    }
                })
                .onFailure(UpstreamRejection.class).call(rejected -> ((UpstreamRejection) rejected).status() == 409
                        && !upload.registered()
                        // The name is taken: this blob will never be an object, so nothing is left behind.
                        ? blobs.delete(upload.blobKey()) : Uni.createFrom().voidItem())
                .chain(answer -> {
                    JsonNode file = answer.json(json);
                    String objectId = file.path("id").asText(null);
                    if (!upload.registered()) {
                        metrics.registered(UploadMetrics.pathOf(upload), upload.size());
                    }
                    Uni<PendingUpload> recorded = upload.registered() || objectId == null
                            ? Uni.createFrom().item(upload)
                            : pending.save(upload.registeredAs(objectId, etag));
                    return recorded.map(saved -> new Registration(answer.status(), answer.body()));
                })
                .invoke(registered -> LOG.infof("upload %s: registered as %s/%s (%d)",
                        upload.uploadId(), upload.bucket(), upload.path(), registered.status()));
    }

    private <T> Uni<T> refuse(PendingUpload upload, UploadException reason) {
        LOG.infof("upload %s refused: %s", upload.uploadId(), reason.getMessage());
        metrics.ended(UploadMetrics.pathOf(upload), UploadMetrics.REFUSED);
        return blobs.delete(upload.blobKey()).chain(() -> Uni.createFrom().failure(reason));
    }

    private static IssuedUrl issued(String uploadId, SignedUrl signed) {
        return new IssuedUrl(uploadId, signed.url(), signed.method(), signed.headers(), signed.expiresAt());
    }
}
