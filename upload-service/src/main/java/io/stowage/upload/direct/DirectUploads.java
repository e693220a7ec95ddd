package io.stowage.upload.direct;

import io.stowage.contract.SharedErrorCode;
import io.smallrye.mutiny.Uni;
import io.stowage.upload.blobs.Blobs;
import io.stowage.upload.blobs.PartBuffers;
import io.stowage.upload.client.ObjectRegistration;
import io.stowage.upload.client.Upstreams;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stowage.upload.config.UploadConfig;
import io.stowage.upload.error.Outages;
import io.stowage.upload.error.UploadErrorCode;
import io.stowage.upload.error.UploadException;
import io.stowage.upload.error.UpstreamRejection;
import io.stowage.upload.metrics.UploadMetrics;
import io.stowage.upload.pending.PendingUpload;
import io.stowage.upload.pending.PendingUploads;
import io.stowage.upload.rules.BucketLimits;
import io.stowage.upload.auth.Caller;
import io.vertx.core.Context;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The direct upload: checks the bucket before reading a byte, streams the body into a fresh blob
 * ({@link StreamedBlob}), then registers it with metadata-service under the request's
 * preconditions. Nothing of it may leak if the replica dies mid-upload: a body that fits in one part is one PUT
 * to a time-stamped key that the sweeper finds by itself ({@code StampedBlobSweeper}), so it costs no record; a
 * larger body's multipart upload is guarded by a pending record written before S3 holds any of it.
 */
@ApplicationScoped
public class DirectUploads {

    private static final Logger LOG = Logger.getLogger(DirectUploads.class);

    private final Upstreams upstreams;
    private final PendingUploads pending;
    private final Blobs blobs;
    private final UploadConfig config;
    private final PartBuffers buffers;
    private final UploadMetrics metrics;

    public DirectUploads(Upstreams upstreams, PendingUploads pending, Blobs blobs, UploadConfig config, PartBuffers buffers,
                         UploadMetrics metrics) {
        this.buffers = buffers;
        this.upstreams = upstreams;
        this.pending = pending;
        this.blobs = blobs;
        this.config = config;
        this.metrics = metrics;
    }

    /** Where the body goes and under which preconditions. */
    public record Target(String bucket, String name, String contentType, Long contentLength, String visibility,
                         boolean notExists, String ifMatch, boolean overwrite, String cacheControl, ObjectNode metadata) {
    }

    /** metadata-service's answer: its status and its File JSON. */
    public record Answer(int status, String body) {
    }

    Uni<Answer> upload(Caller caller, Target target, HttpServerRequest request, Context context, HttpServerResponse response) {
        return upstreams.bucket(target.bucket(), caller.authorization())
                .call(bucket -> upstreams.checkQuota(bucket, target.name(), target.overwrite(), target.contentLength() == null ? 0 : target.contentLength(),
                        caller.onBehalf() ? caller.subject() : null, caller.authorization()))
                // the body is read on the request's own context
                .emitOn(runnable -> context.runOnContext(v -> runnable.run()))
                .chain(bucket -> {
            // Refused before a byte is read when the announced length already says so.
            BucketLimits.check(bucket, target.contentLength() == null ? 0 : target.contentLength(), target.contentType());
            long limit = bucket.fileSizeLimit() == null ? Long.MAX_VALUE : bucket.fileSizeLimit();
            String uploadId = UUID.randomUUID().toString();
            Instant now = Instant.now();
            PendingUpload record = new PendingUpload(uploadId, caller.subject(), target.bucket(), target.name(),
                    target.contentType(), target.contentLength() == null ? -1 : target.contentLength(), null,
                    target.visibility(), now, now.plus(config.directExpiresIn()), null, null, PendingUpload.DIRECT,
                    null, null, null, null);
            metrics.started(UploadMetrics.DIRECT);
            // set before the record's write is sent: a write whose answer is lost may still have landed
            AtomicBoolean recorded = new AtomicBoolean();
            StreamedBlob blob = new StreamedBlob(blobs, buffers, context, request, target.contentType(), limit,
                    target.contentLength(), config.sniffBytes(), new StreamedBlob.MultipartRecord() {
                        @Override
                        public Uni<Void> starting(String blobKey) {
                            recorded.set(true);
                            return pending.save(withMultipart(record, blobKey, null)).replaceWithVoid();
                        }

                        @Override
                        public Uni<Void> started(String blobKey, String s3UploadId) {
                            // Recorded so that the sweeper can abort the parts if this replica dies.
                            return pending.save(withMultipart(record, blobKey, s3UploadId)).replaceWithVoid();
                        }
                    });
            response.closeHandler(v -> blob.cancel(new UploadException(SharedErrorCode.InvalidRequest,
                    "the client went away")));
            return Uni.createFrom().completionStage(blob.start())
                    .onFailure().invoke(failure -> metrics.ended(UploadMetrics.DIRECT, refusal(failure)
                            ? UploadMetrics.REFUSED : UploadMetrics.FAILED))
                    // S3 failing: the record (if it landed) stays, so that the sweeper removes whatever parts or
                    // blob the outage kept the cleanup from removing; and the answer does not wait for a
                    // second S3 deadline
                    .onFailure(failure -> recorded.get() && !Outages.isStorageOutage(failure))
                    .call(failure -> pending.delete(uploadId).onFailure().recoverWithNull())
                    .chain(stored -> register(caller, target, record, stored));
        });
    }

    private Uni<Answer> register(Caller caller, Target target, PendingUpload record, StreamedBlob.Stored stored) {
        String uploadId = record.uploadId();
        ObjectRegistration registration = new ObjectRegistration(uploadId, target.bucket(), target.name(), stored.blobKey(),
                stored.size(), target.contentType(), stored.etag(), target.visibility(),
                target.overwrite() ? Boolean.TRUE : null, target.notExists() ? Boolean.TRUE : null, target.ifMatch(),
                // On behalf of a user (the gateway's signed upload URL): the object is theirs, not the service's.
                caller.onBehalf() ? caller.subject() : null, target.cacheControl(), target.metadata(),
                // HTTP's If-None-Match: *: a taken name is a failed precondition (412), not the JSON routes' 409
                target.notExists() ? "*" : null);
        return upstreams.registerObject(registration, caller.authorization())
                .map(answer -> new Answer(answer.status(), answer.body()))
                .onFailure(UpstreamRejection.class).call(refused -> {
                    // Refused (precondition, limits, name taken): this blob will never be an object.
                    LOG.infof("upload %s refused by metadata-service (%d)", uploadId, ((UpstreamRejection) refused).status());
                    metrics.ended(UploadMetrics.DIRECT, UploadMetrics.REFUSED);
                    return blobs.delete(stored.blobKey()).chain(() -> forget(uploadId, stored));
                })
                .onFailure(t -> !(t instanceof UpstreamRejection)).call(failure -> {
                    // Unknown outcome: the object may exist, so its blob stays, and so does the record, due for
                    // the sweeper, which asks metadata-service whether the blob is referenced and settles it.
                    LOG.warnf("upload %s: registration of blob %s had no answer; blob kept for the sweeper to settle: %s",
                            uploadId, stored.blobKey(), failure.getMessage());
                    metrics.ended(UploadMetrics.DIRECT, UploadMetrics.FAILED);
                    return leaveToSweeper(record, stored);
                })
                // The client went away while metadata-service worked on it: just as unknown.
                .onCancellation().call(() -> leaveToSweeper(record, stored))
                .call(answer -> forget(uploadId, stored))
                .invoke(answer -> metrics.registered(UploadMetrics.DIRECT, stored.size()))
                .invoke(answer -> LOG.infof("upload %s: %d bytes streamed to %s/%s (%d)", uploadId, stored.size(),
                        target.bucket(), target.name(), answer.status()));
    }

    /** Removes the record of a multipart blob; a single PUT's blob never had one. */
    private Uni<Void> forget(String uploadId, StreamedBlob.Stored stored) {
        return stored.multipart() ? pending.delete(uploadId).onFailure().recoverWithNull() : Uni.createFrom().voidItem();
    }

    /**
     * Leaves a stored blob whose registration has no known outcome to the sweeper, which asks the catalog
     * whether it is referenced once no registration of it can still land. A single PUT's stamped blob is found
     * by the sweeper as it is. A multipart blob's record is rewritten: expired now (so it is due once the
     * sweeper's grace has passed, enough for a registration still in flight to land), with the blob's key and
     * size; no multipart upload id, since the parts were assembled into the blob.
     */
    private Uni<Void> leaveToSweeper(PendingUpload record, StreamedBlob.Stored stored) {
        if (!stored.multipart()) {
            return Uni.createFrom().voidItem();
        }
        PendingUpload unsettled = new PendingUpload(record.uploadId(), record.owner(), record.bucket(), record.path(),
                record.contentType(), stored.size(), stored.blobKey(), record.visibility(), record.createdAt(), Instant.now(),
                null, null, PendingUpload.DIRECT, null, null, null, null);
        return pending.save(unsettled).replaceWithVoid()
                .onFailure().invoke(t -> LOG.errorf("upload %s: cannot record blob %s for the sweeper; it may leak: %s",
                        record.uploadId(), stored.blobKey(), t.getMessage()))
                .onFailure().recoverWithNull();
    }

    /** A body the bucket or the sniffer refused, as opposed to one that broke off. */
    private static boolean refusal(Throwable failure) {
        if (failure instanceof UpstreamRejection) {
            return true;
        }
        if (failure instanceof UploadException e) {
            return e.code() == SharedErrorCode.PayloadTooLarge || e.code() == SharedErrorCode.InvalidMimeType
                    || e.code() == UploadErrorCode.UploadMismatch;
        }
        return false;
    }

    private static PendingUpload withMultipart(PendingUpload record, String blobKey, String s3UploadId) {
        return new PendingUpload(record.uploadId(), record.owner(), record.bucket(), record.path(), record.contentType(),
                record.size(), blobKey, record.visibility(), record.createdAt(), record.expiresAt(), null, null,
                record.kind(), s3UploadId, null, null, null);
    }
}
