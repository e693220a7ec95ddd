package io.stowage.upload.sweeper;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.stowage.upload.blobs.Blobs;
import io.stowage.upload.blobs.StampedBlobs;
import io.stowage.upload.client.Upstreams;
import io.stowage.upload.config.BlobBucketConfig;
import io.stowage.upload.config.UploadConfig;
import io.stowage.upload.metrics.UploadMetrics;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Settles the blobs that direct uploads wrote in one PUT without a pending record ({@link StampedBlobs}): a
 * replica that died between the PUT and the registration, or a registration that got no answer, leaves such a
 * blob behind with nothing else pointing at it. Once a blob's stamp is older than {@link #settleAfter()} (the
 * PUT's own deadline, the registration's, and the sweeper's grace for clocks and registrations still landing), the
 * catalog is asked (one batched {@code POST /internal/blobs/referenced}, with upload-service's own token) and the
 * blobs no object references are deleted. The sweep lists the seconds that hold stamped keys after its mark (the
 * last second it settled, whose keys are listed once more), then each due second's keys: every blob is looked at
 * about once, and the work follows the upload rate, not the number of blobs ever stored.
 *
 * <p>No answer from the catalog, a listing or a delete failing: nothing from that second on is touched and the mark
 * stays before it, so the next sweep asks again. Several replicas may sweep the same keys at once: both ask, both delete what is
 * unreferenced (a delete of a missing blob succeeds), and the mark moves with a conditional write only one wins.
 */
@ApplicationScoped
public class StampedBlobSweeper {

    private static final Logger LOG = Logger.getLogger(StampedBlobSweeper.class);
    /** A sweep looks at this many seconds at most; a backlog is worked off over the next sweeps. */
    static final int MAX_SECONDS = 600;

    private final StampedBlobs stamped;
    private final Blobs blobs;
    private final Upstreams upstreams;
    private final UploadMetrics metrics;
    private final Duration settleAfter;

    public StampedBlobSweeper(StampedBlobs stamped, Blobs blobs, Upstreams upstreams, UploadMetrics metrics,
                              UploadConfig config, BlobBucketConfig bucket) {
        this.stamped = stamped;
        this.blobs = blobs;
        this.upstreams = upstreams;
        this.metrics = metrics;
        this.settleAfter = bucket.transferTimeout().plus(Upstreams.REGISTRATION_DEADLINE).plus(config.sweep().grace());
    }

    /** How old a stamped blob must be before the catalog's word on it is final: no PUT or registration of it is still running. */
    public Duration settleAfter() {
        return settleAfter;
    }

    @Scheduled(identity = "stamped-blob-sweeper", every = "${stowage.upload.sweep.every:60s}",
            delayed = "${stowage.upload.sweep.delay:30s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return sweep(Instant.now()).invoke(removed -> {
            if (removed > 0) {
                LOG.infof("sweeper removed %d direct-upload blobs no object references", removed);
            }
        }).onFailure().invoke(t -> LOG.warnf("blob sweep failed, next run retries: %s", t.getMessage()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /** One pass as if it were {@code now}; answers how many blobs were deleted. */
    public Uni<Integer> sweep(Instant now) {
        Instant cutoff = now.minus(settleAfter);
        AtomicInteger removed = new AtomicInteger();
        return stamped.mark().chain(mark -> stamped.seconds(mark.after(), MAX_SECONDS)
                .chain(seconds -> seconds(seconds, 0, cutoff, null, removed))
                .chain(settled -> {
                    String next = nextMark(mark.after(), settled);
                    return next == null ? Uni.createFrom().item(false) : stamped.moveMark(mark, next);
                }))
                .replaceWith(removed::get);
    }

    /**
     * Where the next sweep resumes: at the second of the last key (or second) settled, so that the keys of that
     * second are looked at once more (a blob stamped in it may have landed after the listing, e.g. from a replica
     * whose clock is a little behind). Null: the mark stays.
     */
    public static String nextMark(String mark, String settled) {
        if (settled == null) {
            return null;
        }
        String second = StampedBlobs.secondOf(settled);
        return mark == null || second.compareTo(mark) > 0 ? second : null;
    }

    /** Settles the due seconds in order; answers the last one settled (null: none), stopping at the first that is not. */
    private Uni<String> seconds(List<String> seconds, int index, Instant cutoff, String settled, AtomicInteger removed) {
        if (index == seconds.size()) {
            return Uni.createFrom().item(settled);
        }
        String second = seconds.get(index);
        Optional<Instant> stamp = StampedBlobs.stampOf(second);
        if (stamp.isPresent() && !stamp.get().isBefore(cutoff)) {
            // not due yet, and neither is anything after it
            return Uni.createFrom().item(settled);
        }
        if (stamp.isEmpty()) {
            // not one of ours: passed over, nothing in it is ever deleted
            return seconds(seconds, index + 1, cutoff, second, removed);
        }
        return stamped.keysIn(second)
                .chain(keys -> keys.isEmpty() ? Uni.createFrom().item(true) : settle(keys, removed))
                .onFailure().recoverWithItem(t -> {
                    LOG.warnf("blobs of %s: listing failed, the next sweep tries again: %s", second, t.getMessage());
                    return false;
                })
                .chain(done -> done ? seconds(seconds, index + 1, cutoff, second, removed) : Uni.createFrom().item(settled));
    }

    /** Asks the catalog about {@code due} and deletes what it does not reference; true when every key was settled. */
    private Uni<Boolean> settle(List<String> due, AtomicInteger removed) {
        List<String> stampedKeys = due.stream().filter(key -> StampedBlobs.stampOf(key).isPresent()).toList();
        Uni<Set<String>> referenced = stampedKeys.isEmpty()
                ? Uni.createFrom().item(Set.of())
                : upstreams.referencedBlobs(stampedKeys)
                        .onFailure().invoke(t -> LOG.warnf("cannot tell whether %d direct-upload blobs are objects', so they"
                                + " are left for the next sweep: %s", stampedKeys.size(), t.getMessage()))
                        .onFailure().recoverWithNull();
        return referenced.chain(known -> known == null ? Uni.createFrom().item(false) : deleteUnreferenced(due, known, 0, removed));
    }

    private Uni<Boolean> deleteUnreferenced(List<String> due, Set<String> referenced, int index, AtomicInteger removed) {
        if (index == due.size()) {
            return Uni.createFrom().item(true);
        }
        String key = due.get(index);
        if (StampedBlobs.stampOf(key).isEmpty() || referenced.contains(key)) {
            return deleteUnreferenced(due, referenced, index + 1, removed);
        }
        return blobs.delete(key)
                .invoke(() -> {
                    removed.incrementAndGet();
                    metrics.sweptExpired(UploadMetrics.DIRECT);
                    LOG.infof("blob %s of a direct upload: no object references it %s after it was written; deleted", key, settleAfter);
                })
                .replaceWith(true)
                .onFailure().recoverWithItem(t -> {
                    LOG.warnf("blob %s: delete failed, the next sweep tries again: %s", key, t.getMessage());
                    return false;
                })
                .chain(deleted -> deleted ? deleteUnreferenced(due, referenced, index + 1, removed) : Uni.createFrom().item(false));
    }
}
