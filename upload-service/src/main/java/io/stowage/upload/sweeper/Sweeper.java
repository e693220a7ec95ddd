package io.stowage.upload.sweeper;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.stowage.upload.blobs.Blobs;
import io.stowage.upload.config.UploadConfig;
import io.stowage.upload.metrics.UploadMetrics;
import io.stowage.upload.pending.PendingUpload;
import io.stowage.upload.pending.PendingUploads;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Cleans up uploads nobody finished: once a pending upload is past its expiry (plus a grace), its
 * multipart upload is aborted, its blob deleted and its record removed, so that nothing is left
 * billed in S3. Registered uploads keep their blob; only their record goes, a day later.
 *
 * <p>Safe with several replicas: a replica first claims an upload by rewriting its record with
 * {@code If-Match} on the ETag it read. S3 lets exactly one conditional write win; the others get
 * 412 and leave it. A claim of a replica that died mid-sweep lapses after a lease.
 */
@ApplicationScoped
public class Sweeper {

    private static final Logger LOG = Logger.getLogger(Sweeper.class);

    private final PendingUploads pending;
    private final Blobs blobs;
    private final UploadConfig.Sweep config;
    private final UploadMetrics metrics;

    public Sweeper(PendingUploads pending, Blobs blobs, UploadConfig config, UploadMetrics metrics) {
        this.pending = pending;
        this.blobs = blobs;
        this.config = config.sweep();
        this.metrics = metrics;
    }

    @Scheduled(identity = "upload-sweeper", every = "${stowage.upload.sweep.every:60s}",
            delayed = "${stowage.upload.sweep.delay:30s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return sweep().invoke(swept -> {
            if (swept > 0) {
                LOG.infof("sweeper removed %d expired uploads", swept);
            }
        }).onFailure().invoke(t -> LOG.warnf("sweep failed, next run retries: %s", t.getMessage()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /**
     * One pass over every pending upload; answers how many this replica removed. It reads every record
     * anyway, so it also counts the live (unregistered, unexpired) ones for the pending gauge.
     */
    public Uni<Integer> sweep() {
        Instant now = Instant.now();
        AtomicLong live = new AtomicLong();
        return pending.ids()
                .onItem().transformToMulti(ids -> Multi.createFrom().iterable(ids))
                .onItem().transformToUniAndConcatenate(id -> sweepOne(id, now, live)
                        .onFailure().invoke(t -> LOG.warnf("upload %s: sweep failed: %s", id, t.getMessage()))
                        .onFailure().recoverWithItem(false))
                .filter(Boolean::booleanValue)
                .collect().asList()
                .map(List::size)
                .invoke(() -> metrics.pendingAfterSweep(live.get()));
    }

    private Uni<Boolean> sweepOne(String uploadId, Instant now, AtomicLong live) {
        return pending.findVersioned(uploadId).chain(found -> {
            if (found.isPresent() && !found.get().upload().registered() && !found.get().upload().expiredAt(now)) {
                live.incrementAndGet();
            }
            if (found.isEmpty() || !due(found.get().upload(), now)) {
                return Uni.createFrom().item(false);
            }
            PendingUpload upload = found.get().upload();
            return pending.replaceIfUnchanged(found.get(), upload.claimed(now)).chain(claimed -> {
                if (!claimed) {
                    return Uni.createFrom().item(false);
                }
                return remove(upload).replaceWith(true);
            });
        });
    }

    private boolean due(PendingUpload upload, Instant now) {
        if (upload.claimedAt() != null && now.isBefore(upload.claimedAt().plus(config.claimLease()))) {
            return false;
        }
        return upload.registered()
                ? now.isAfter(upload.expiresAt().plus(config.keepRegistered()))
                : now.isAfter(upload.expiresAt().plus(config.grace()));
    }

    private Uni<Void> remove(PendingUpload upload) {
        if (upload.registered()) {
            // The blob is an object's now: only the bookkeeping goes.
            return pending.delete(upload.uploadId());
        }
        Uni<Void> parts = upload.multipartUploadId() == null
                ? Uni.createFrom().voidItem()
                : blobs.abortMultipart(upload.blobKey(), upload.multipartUploadId());
        return parts.chain(() -> blobs.delete(upload.blobKey()))
                .chain(() -> pending.delete(upload.uploadId()))
                .invoke(() -> metrics.sweptExpired(UploadMetrics.pathOf(upload)))
                .invoke(() -> LOG.infof("upload %s (%s): expired unregistered, blob %s removed", upload.uploadId(),
                        upload.kind(), upload.blobKey()));
    }
}
