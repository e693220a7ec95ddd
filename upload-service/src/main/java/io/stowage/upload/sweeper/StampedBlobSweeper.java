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
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Settles the blobs that direct uploads wrote in one PUT without a pending record ({@link StampedBlobs}): a
 * replica that died between the PUT and the registration, or a registration that got no answer, leaves such a
 * blob behind with nothing else pointing at it. Once a blob's stamp is older than {@link #settleAfter()} (the
 * PUT's own deadline, the registration's, and the sweeper's grace for clocks and registrations still landing), the
 * catalog is asked (one batched {@code POST /internal/blobs/referenced}, with upload-service's own token) and the
 * blobs no object references are deleted. Every stamped blob is looked at about once: the sweep resumes after its
 * mark (the second of the last key it settled; the keys of that second are listed again), so its work follows the upload rate, not the number of blobs ever
 * stored.
 *
 * <p>No answer from the catalog, or a delete failing: nothing after that key is touched and the mark stays before
 * it, so the next sweep asks again. Several replicas may sweep the same keys at once: both ask, both delete what is
 * unreferenced (a delete of a missing blob succeeds), and the mark moves with a conditional write only one wins.
 */
@ApplicationScoped
public class StampedBlobSweeper {

    private static final Logger LOG = Logger.getLogger(StampedBlobSweeper.class);
    static final int PAGE = 1000;
    /** A sweep looks at this many pages at most; a backlog is worked off over the next sweeps. */
    static final int MAX_PAGES = 20;

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
        AtomicBoolean capped = new AtomicBoolean();
        return stamped.mark().chain(mark -> pages(mark.after(), cutoff, 0, removed, capped)
                .chain(settled -> {
                    // a sweep cut short by its page budget resumes right after its last key, or it might never move on
                    String next = capped.get() && settled != null && !settled.equals(mark.after())
                            ? settled : nextMark(mark.after(), settled);
                    return next == null ? Uni.createFrom().item(false) : stamped.moveMark(mark, next);
                }))
                .replaceWith(removed::get);
    }

    /**
     * Where the next sweep resumes: at the second of the last key settled, so that the keys of that second are
     * looked at once more (a blob stamped in it may sort before the last one, e.g. from a replica whose clock is a
     * little behind). Null: the mark stays.
     */
    public static String nextMark(String mark, String settled) {
        if (settled == null) {
            return null;
        }
        String second = StampedBlobs.secondOf(settled);
        return mark == null || second.compareTo(mark) > 0 ? second : null;
    }

    /** Settles page after page from {@code after}; answers the last key settled (or {@code after} if none). */
    private Uni<String> pages(String after, Instant cutoff, int page, AtomicInteger removed, AtomicBoolean capped) {
        if (page == MAX_PAGES) {
            capped.set(true);
            return Uni.createFrom().item(after);
        }
        return stamped.list(after, PAGE).chain(listed -> {
            List<String> due = new ArrayList<>();
            boolean reachedCutoff = false;
            for (String key : listed.keys()) {
                Optional<Instant> stamp = StampedBlobs.stampOf(key);
                if (stamp.isPresent() && !stamp.get().isBefore(cutoff)) {
                    reachedCutoff = true;
                    break;
                }
                // a key without a readable stamp is not one of ours: passed over, never deleted
                due.add(key);
            }
            if (due.isEmpty()) {
                return Uni.createFrom().item(after);
            }
            boolean last = reachedCutoff || !listed.truncated();
            return settle(due, removed).chain(settled -> {
                if (settled == null) {
                    return Uni.createFrom().item(after);
                }
                return settled.equals(due.getLast()) && !last
                        ? pages(settled, cutoff, page + 1, removed, capped)
                        : Uni.createFrom().item(settled);
            });
        });
    }

    /**
     * Asks the catalog about {@code due} and deletes what it does not reference, in key order; answers the last key
     * settled, or null when none was (the catalog did not answer).
     */
    private Uni<String> settle(List<String> due, AtomicInteger removed) {
        List<String> stampedKeys = due.stream().filter(key -> StampedBlobs.stampOf(key).isPresent()).toList();
        Uni<Set<String>> referenced = stampedKeys.isEmpty()
                ? Uni.createFrom().item(Set.of())
                : upstreams.referencedBlobs(stampedKeys)
                        .onFailure().invoke(t -> LOG.warnf("cannot tell whether %d direct-upload blobs are objects', so they"
                                + " are left for the next sweep: %s", stampedKeys.size(), t.getMessage()))
                        .onFailure().recoverWithNull();
        return referenced.chain(known -> known == null ? Uni.createFrom().nullItem() : deleteUnreferenced(due, known, 0, null, removed));
    }

    private Uni<String> deleteUnreferenced(List<String> due, Set<String> referenced, int index, String settled, AtomicInteger removed) {
        if (index == due.size()) {
            return Uni.createFrom().item(settled);
        }
        String key = due.get(index);
        if (StampedBlobs.stampOf(key).isEmpty() || referenced.contains(key)) {
            return deleteUnreferenced(due, referenced, index + 1, key, removed);
        }
        return blobs.delete(key)
                .invoke(() -> {
                    removed.incrementAndGet();
                    metrics.sweptExpired(UploadMetrics.DIRECT);
                    LOG.infof("blob %s of a direct upload: no object references it %s after it was written; deleted", key, settleAfter);
                })
                .chain(() -> deleteUnreferenced(due, referenced, index + 1, key, removed))
                .onFailure().recoverWithUni(t -> {
                    LOG.warnf("blob %s: delete failed, the next sweep tries again: %s", key, t.getMessage());
                    return Uni.createFrom().item(settled);
                });
    }
}
