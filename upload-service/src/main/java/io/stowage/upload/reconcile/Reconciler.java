package io.stowage.upload.reconcile;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.stowage.upload.blobs.Blobs;
import io.stowage.upload.client.BlobReferences;
import io.stowage.upload.client.Upstreams;
import io.stowage.upload.config.UploadConfig;
import io.stowage.upload.pending.PendingUpload;
import io.stowage.upload.pending.PendingUploads;
import io.stowage.upload.tus.TusStore;
import io.stowage.upload.tus.TusUpload;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * S3's blobs against the catalog's rows, both ways. The sweepers settle the uploads they know of (a pending record,
 * a stamped key); this is the net under them, for what nothing else remembers: a blob whose delete failed after its
 * last object went, a registration lost with a replica's memory, a catalog restored from an older backup.
 *
 * <ol>
 * <li><b>Orphans.</b> Every blob under {@code blobs/} is listed page by page. One older than the grace
 * ({@code stowage.upload.reconcile.grace}, a day), that no pending upload record names (so no upload that may still
 * register it) and that the catalog does not reference (asked with upload-service's own token, per page) is deleted.
 * No answer from the catalog: the run fails there and nothing more is deleted.</li>
 * <li><b>Dangling rows.</b> The blobs the catalog references are walked page by page ({@code GET /internal/blobs}) and
 * looked up in S3; those S3 does not hold, and that the catalog still references when asked again (a delete may have
 * run meanwhile), are reported with an object that points at each. Rows are never changed: whether to restore the
 * bytes or drop the row is an administrator's call.</li>
 * </ol>
 * Work follows the number of blobs, never the bytes: nothing is read but listings and heads.
 */
@ApplicationScoped
public class Reconciler {

    private static final Logger LOG = Logger.getLogger(Reconciler.class);
    /** The keyspace of blobs in the physical bucket. */
    public static final String BLOBS = "blobs/";
    /** Heads in flight at once while the catalog's blobs are looked up. */
    private static final int HEADS_IN_FLIGHT = 8;

    private final Blobs blobs;
    private final PendingUploads pending;
    private final TusStore resumable;
    private final Upstreams upstreams;
    private final Duration grace;

    public Reconciler(Blobs blobs, PendingUploads pending, TusStore resumable, Upstreams upstreams, UploadConfig config) {
        this.blobs = blobs;
        this.pending = pending;
        this.resumable = resumable;
        this.upstreams = upstreams;
        this.grace = config.reconcile().grace();
    }

    public Duration grace() {
        return grace;
    }

    /** One run as if it were {@code now}, over the blobs under {@code prefix} ({@link #BLOBS}; tests narrow it). */
    public Uni<ReconcileReport> run(String runId, Instant now, String prefix) {
        Tally tally = new Tally();
        Instant cutoff = now.minus(grace);
        return pendingBlobs()
                .chain(named -> orphans(prefix, null, cutoff, named, tally))
                .chain(() -> dangling("", prefix, tally))
                .map(done -> tally.report(ReconcileReport.FINISHED, runId, now, grace, null))
                .onFailure().recoverWithItem(failure -> {
                    LOG.warnf("reconciliation %s stopped: %s", runId, failure.getMessage());
                    return tally.report(ReconcileReport.FAILED, runId, now, grace, failure.getMessage());
                });
    }

    /** The blob keys every pending upload record names: an upload that may still register its blob. */
    private Uni<Set<String>> pendingBlobs() {
        Set<String> named = java.util.concurrent.ConcurrentHashMap.newKeySet();
        Uni<Void> singles = pending.ids().chain(ids -> Multi.createFrom().iterable(ids)
                .onItem().transformToUniAndConcatenate(pending::find)
                .invoke(found -> found.map(PendingUpload::blobKey).ifPresent(named::add))
                .collect().last().replaceWithVoid());
        Uni<Void> resumables = resumable.ids().chain(ids -> Multi.createFrom().iterable(ids)
                .onItem().transformToUniAndConcatenate(resumable::find)
                .invoke(found -> found.map(TusUpload::blobKey).ifPresent(named::add))
                .collect().last().replaceWithVoid());
        return singles.chain(() -> resumables).replaceWith(named);
    }

    private Uni<Void> orphans(String prefix, String continuation, Instant cutoff, Set<String> named, Tally tally) {
        return blobs.list(prefix, continuation).chain(page -> {
            List<String> due = new ArrayList<>();
            for (Blobs.Listed blob : page.blobs()) {
                tally.blobsSeen.incrementAndGet();
                if (!blob.lastModified().isBefore(cutoff)) {
                    tally.young.incrementAndGet();
                } else if (named.contains(blob.key())) {
                    tally.pending.incrementAndGet();
                } else {
                    due.add(blob.key());
                }
            }
            Uni<Void> settled = due.isEmpty() ? Uni.createFrom().voidItem()
                    : upstreams.referencedBlobs(due).chain(referenced -> delete(due.stream().filter(k -> !referenced.contains(k)).toList(), tally));
            return settled.chain(() -> page.next() == null ? Uni.createFrom().voidItem()
                    : orphans(prefix, page.next(), cutoff, named, tally));
        });
    }

    private Uni<Void> delete(List<String> orphans, Tally tally) {
        return Multi.createFrom().iterable(orphans)
                .onItem().transformToUniAndConcatenate(key -> {
                    tally.orphan(key);
                    return blobs.delete(key).invoke(() -> {
                        tally.deleted.incrementAndGet();
                        LOG.infof("reconciler: blob %s is older than %s, no object references it and no upload names it; deleted", key, grace);
                    });
                })
                .collect().last().replaceWithVoid();
    }

    private Uni<Void> dangling(String after, String prefix, Tally tally) {
        return upstreams.catalogBlobs(after, BlobReferences.MAX_KEYS).chain(page -> {
            List<BlobReferences.Referenced> ours = page.blobs().stream().filter(b -> b.blobKey() != null && b.blobKey().startsWith(prefix)).toList();
            tally.rowsSeen.addAndGet(ours.size());
            Uni<Void> checked = Multi.createFrom().iterable(ours)
                    .onItem().transformToUni(b -> blobs.head(b.blobKey()).map(head -> head.isPresent() ? Optional.<BlobReferences.Referenced>empty() : Optional.of(b)))
                    .merge(HEADS_IN_FLIGHT)
                    .filter(Optional::isPresent).map(Optional::get)
                    .collect().asList()
                    .chain(missing -> missing.isEmpty() ? Uni.createFrom().voidItem()
                            : upstreams.referencedBlobs(missing.stream().map(BlobReferences.Referenced::blobKey).toList())
                                    .invoke(still -> missing.stream().filter(b -> still.contains(b.blobKey())).forEach(tally::dangling))
                                    .replaceWithVoid());
            return checked.chain(() -> page.next() == null || page.blobs().isEmpty() ? Uni.createFrom().voidItem()
                    : dangling(page.next(), prefix, tally));
        });
    }

    /** What one run has counted so far; its samples are bounded. */
    private static final class Tally {
        final AtomicLong blobsSeen = new AtomicLong();
        final AtomicLong young = new AtomicLong();
        final AtomicLong pending = new AtomicLong();
        final AtomicLong orphans = new AtomicLong();
        final AtomicLong deleted = new AtomicLong();
        final AtomicLong rowsSeen = new AtomicLong();
        final AtomicLong dangling = new AtomicLong();
        final List<String> orphanSample = new ArrayList<>();
        final List<ReconcileReport.Dangling> danglingSample = new ArrayList<>();
        final Set<String> seenDangling = new HashSet<>();

        synchronized void orphan(String key) {
            orphans.incrementAndGet();
            if (orphanSample.size() < ReconcileReport.SAMPLE) {
                orphanSample.add(key);
            }
        }

        synchronized void dangling(BlobReferences.Referenced row) {
            if (!seenDangling.add(row.blobKey())) {
                return;
            }
            dangling.incrementAndGet();
            LOG.warnf("reconciler: the catalog references blob %s (e.g. %s/%s) but S3 does not hold it", row.blobKey(), row.bucket(), row.name());
            if (danglingSample.size() < ReconcileReport.SAMPLE) {
                danglingSample.add(new ReconcileReport.Dangling(row.blobKey(), row.bucket(), row.name()));
            }
        }

        synchronized ReconcileReport report(String state, String runId, Instant started, Duration grace, String error) {
            return new ReconcileReport(state, runId, started, Instant.now(), grace.toString(),
                    new ReconcileReport.Blobs(blobsSeen.get(), young.get(), pending.get(), orphans.get(), deleted.get(), List.copyOf(orphanSample)),
                    new ReconcileReport.Rows(rowsSeen.get(), dangling.get(), List.copyOf(danglingSample)), error);
        }
    }
}
