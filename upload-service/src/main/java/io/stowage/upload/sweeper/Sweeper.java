package io.stowage.upload.sweeper;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.stowage.upload.blobs.Blobs;
import io.stowage.upload.client.Upstreams;
import io.stowage.upload.config.UploadConfig;
import io.stowage.upload.metrics.UploadMetrics;
import io.stowage.upload.pending.PendingUpload;
import io.stowage.upload.pending.PendingUploads;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Cleans up uploads nobody finished: once a pending upload is past its expiry (plus a grace), its
 * multipart upload is aborted, its blob deleted and its record removed, so that nothing is left
 * billed in S3. Registered uploads keep their blob; only their record goes, a day later.
 *
 * <p>"Unregistered" is only what this service knows: a registration that metadata-service carried out
 * but whose answer was lost (timeout, reset) left the record unmarked while the blob became an object's.
 * So before deleting a blob that S3 holds, the sweeper asks metadata-service which of a sweep's blobs the
 * catalog references (one batched call, with upload-service's own token). Referenced: only the record
 * goes. Not referenced: parts, blob and record go. No readable answer: nothing is touched, the next sweep
 * asks again.
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
    private final Upstreams upstreams;

    public Sweeper(PendingUploads pending, Blobs blobs, UploadConfig config, UploadMetrics metrics, Upstreams upstreams) {
        this.pending = pending;
        this.blobs = blobs;
        this.upstreams = upstreams;
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
     * One pass over every pending upload; answers how many this replica removed (records of uploads whose
     * blob turned out to be referenced included). It reads every record anyway, so it also counts the
     * live (unregistered, unexpired) ones for the pending gauge.
     */
    public Uni<Integer> sweep() {
        return sweep(Instant.now());
    }

    /** A pass as if it were {@code now}: the schedule passes the clock; tests pass a later instant. */
    public Uni<Integer> sweep(Instant now) {
        AtomicLong live = new AtomicLong();
        return pending.ids()
                .onItem().transformToMulti(ids -> Multi.createFrom().iterable(ids))
                .onItem().transformToUniAndConcatenate(id -> dueOne(id, now, live)
                        .onFailure().invoke(t -> LOG.warnf("upload %s: sweep failed: %s", id, t.getMessage()))
                        .onFailure().recoverWithItem(Optional.empty()))
                .filter(Optional::isPresent).map(Optional::get)
                .collect().asList()
                .chain(due -> references(due).chain(referenced -> Multi.createFrom().iterable(due)
                        .onItem().transformToUniAndConcatenate(one -> settle(one, referenced, now)
                                .onFailure().invoke(t -> LOG.warnf("upload %s: sweep failed: %s",
                                        one.found().upload().uploadId(), t.getMessage()))
                                .onFailure().recoverWithItem(false))
                        .filter(Boolean::booleanValue)
                        .collect().asList()))
                .map(List::size)
                .invoke(() -> metrics.pendingAfterSweep(live.get()));
    }

    /**
     * A due upload as read. {@code blobPresent}: only for unregistered ones, whether S3 holds its blob (a
     * multipart upload never completed, or a URL never used, has none: nothing to protect, nothing to ask).
     */
    private record Due(PendingUploads.Versioned found, boolean blobPresent) {
    }

    /** What the catalog said of the blobs of a sweep: the referenced ones, or unknown (null) when it did not answer. */
    private Uni<Set<String>> references(List<Due> due) {
        List<String> keys = due.stream().filter(Due::blobPresent).map(one -> one.found().upload().blobKey()).distinct().toList();
        if (keys.isEmpty()) {
            return Uni.createFrom().item(Set.of());
        }
        return upstreams.referencedBlobs(keys)
                .onFailure().invoke(t -> LOG.warnf("cannot tell whether %d expired uploads' blobs are objects', so they are"
                        + " left for the next sweep: %s", keys.size(), t.getMessage()))
                .onFailure().recoverWithNull();
    }

    private Uni<Optional<Due>> dueOne(String uploadId, Instant now, AtomicLong live) {
        return pending.findVersioned(uploadId).chain(found -> {
            if (found.isPresent() && !found.get().upload().registered() && !found.get().upload().expiredAt(now)) {
                live.incrementAndGet();
            }
            if (found.isEmpty() || !due(found.get().upload(), now)) {
                return Uni.createFrom().item(Optional.<Due>empty());
            }
            if (found.get().upload().registered()) {
                return Uni.createFrom().item(Optional.of(new Due(found.get(), false)));
            }
            return blobs.head(found.get().upload().blobKey()).map(head -> Optional.of(new Due(found.get(), head.isPresent())));
        });
    }

    /**
     * Claims one due upload and removes it. The catalog was asked before the claim: an upload past its
     * expiry and grace gets no new registration from us (registering it answers 410), and the claim is
     * conditional on the record as read, so a record that changed since is left to the next sweep.
     */
    private Uni<Boolean> settle(Due due, Set<String> referenced, Instant now) {
        PendingUpload upload = due.found().upload();
        if (due.blobPresent() && referenced == null) {
            // Unknown whether the blob is an object's: not claimed, so the next sweep asks again.
            return Uni.createFrom().item(false);
        }
        boolean isObjects = due.blobPresent() && referenced.contains(upload.blobKey());
        return pending.replaceIfUnchanged(due.found(), upload.claimed(now)).chain(claimed -> {
            if (!claimed) {
                return Uni.createFrom().item(false);
            }
            return remove(upload, isObjects).replaceWith(true);
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

    private Uni<Void> remove(PendingUpload upload, boolean referenced) {
        if (upload.registered()) {
            // The blob is an object's now: only the bookkeeping goes.
            return pending.delete(upload.uploadId());
        }
        if (referenced) {
            // Registered after all, the answer lost on the way (timeout, reset): the blob is an object's. A
            // referenced multipart blob was completed, so there are no parts left to abort.
            return pending.delete(upload.uploadId())
                    .invoke(() -> metrics.sweptReferenced(UploadMetrics.pathOf(upload)))
                    .invoke(() -> LOG.infof("upload %s (%s): expired unregistered, but blob %s is an object's:"
                            + " record removed, blob kept", upload.uploadId(), upload.kind(), upload.blobKey()));
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
