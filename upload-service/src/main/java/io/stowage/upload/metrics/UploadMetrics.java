package io.stowage.upload.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.stowage.upload.pending.PendingUpload;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * upload-service's own meters, in Prometheus at /q/metrics on the management interface:
 * <ul>
 * <li>{@code stowage_uploads_started_total{path}}: URLs issued, multipart uploads begun, bodies arriving;</li>
 * <li>{@code stowage_uploads_total{path,outcome}}: how uploads ended (registered, refused, failed, expired, aborted);</li>
 * <li>{@code stowage_upload_bytes_total{path}}: bytes of uploads that became objects;</li>
 * <li>{@code stowage_uploads_pending}: unregistered, unexpired uploads seen by this replica's last sweep;</li>
 * <li>{@code stowage_upload_sweeper_expired_total{path}}: expired uploads the sweeper removed;</li>
 * <li>{@code stowage_upload_sweeper_referenced_total{path}}: expired unregistered uploads whose blob the catalog
 * references after all (a registration whose answer was lost): record removed, blob kept;</li>
 * <li>{@code stowage_events_consumed_total{type}}: object events read (same name and tag as image-service);</li>
 * <li>{@code stowage_reconcile_orphan_blobs} and {@code stowage_reconcile_dangling_rows}: what the last finished
 * reconciliation this replica ran found; {@code stowage_reconcile_orphans_deleted_total}: orphan blobs it deleted;
 * {@code stowage_reconcile_runs_total{outcome}}: runs by how they ended (finished, failed).</li>
 * </ul>
 * The series of every path and outcome are registered at start, so a dashboard shows zeros rather
 * than gaps before the first upload.
 */
@ApplicationScoped
public class UploadMetrics {

    public static final String PRESIGNED = "presigned";
    public static final String MULTIPART = "multipart";
    public static final String DIRECT = "direct";
    public static final String RESUMABLE = "resumable";

    public static final String REGISTERED = "registered";
    /** What landed, or the catalog, said no (limits, type, sniffing, preconditions, name taken). */
    public static final String REFUSED = "refused";
    /** The upload broke off: a client gone midway, S3 or metadata-service failing. */
    public static final String FAILED = "failed";
    public static final String EXPIRED = "expired";
    public static final String ABORTED = "aborted";

    public static final String RECONCILE_FINISHED = "finished";
    public static final String RECONCILE_FAILED = "failed";

    private static final List<String> PATHS = List.of(PRESIGNED, MULTIPART, DIRECT, RESUMABLE);
    private static final List<String> OUTCOMES = List.of(REGISTERED, REFUSED, FAILED, EXPIRED, ABORTED);

    private final MeterRegistry registry;
    private final AtomicLong pending = new AtomicLong();
    private final AtomicLong orphanBlobs = new AtomicLong();
    private final AtomicLong danglingRows = new AtomicLong();

    public UploadMetrics(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder("stowage.uploads.pending", pending, AtomicLong::get)
                .description("unregistered uploads not yet expired, as counted by this replica's last sweep")
                // held strongly: a weakly held value lets the series vanish once its first holder is collected
                .strongReference(true)
                .register(registry);
        Gauge.builder("stowage.reconcile.orphan.blobs", orphanBlobs, AtomicLong::get)
                .description("orphan blobs (in S3, unreferenced past the grace) the last finished reconciliation found")
                .strongReference(true).register(registry);
        Gauge.builder("stowage.reconcile.dangling.rows", danglingRows, AtomicLong::get)
                .description("referenced blobs S3 does not hold, as the last finished reconciliation found")
                .strongReference(true).register(registry);
        orphansDeleted().increment(0);
        reconcileRuns(RECONCILE_FINISHED).increment(0);
        reconcileRuns(RECONCILE_FAILED).increment(0);
        for (String path : PATHS) {
            started(path, 0);
            bytes(path);
            swept(path);
            referenced(path);
            for (String outcome : OUTCOMES) {
                outcome(path, outcome);
            }
        }
    }

    public void started(String path) {
        started(path, 1);
    }

    /** An upload became an object: counted once (a repeated registration is not a new upload). */
    public void registered(String path, long size) {
        outcome(path, REGISTERED).increment();
        if (size > 0) {
            bytes(path).increment(size);
        }
    }

    public void ended(String path, String outcome) {
        outcome(path, outcome).increment();
    }

    /** The sweeper removed an upload that expired unregistered: its outcome, and the sweeper's own count. */
    public void sweptExpired(String path) {
        outcome(path, EXPIRED).increment();
        swept(path).increment();
    }

    /**
     * The sweeper found the blob of an expired, unregistered upload referenced by the catalog (its
     * registration landed but the answer was lost): the record went, the blob stayed. Not an outcome of
     * {@code stowage_uploads_total}: a direct upload was already counted there as failed when its answer was lost.
     */
    public void sweptReferenced(String path) {
        referenced(path).increment();
    }

    public void pendingAfterSweep(long count) {
        pending.set(count);
    }

    /** A reconciliation this replica ran ended ({@code finished} or {@code failed}); the gauges follow finished runs. */
    public void reconciled(String outcome, long deleted, long orphans, long dangling) {
        reconcileRuns(outcome).increment();
        orphansDeleted().increment(deleted);
        if (RECONCILE_FINISHED.equals(outcome)) {
            orphanBlobs.set(orphans);
            danglingRows.set(dangling);
        }
    }

    private Counter orphansDeleted() {
        return Counter.builder("stowage.reconcile.orphans.deleted").description("orphan blobs the reconciler deleted").register(registry);
    }

    private Counter reconcileRuns(String outcome) {
        return Counter.builder("stowage.reconcile.runs").description("reconciliations by how they ended")
                .tag("outcome", outcome).register(registry);
    }

    public void eventConsumed(String type) {
        registry.counter("stowage.events.consumed", "type", type == null ? "unknown" : type).increment();
    }

    /** The metric's path for a pending upload's kind (single uploads are the presigned path). */
    public static String pathOf(PendingUpload upload) {
        return PendingUpload.MULTIPART.equals(upload.kind()) ? MULTIPART
                : PendingUpload.DIRECT.equals(upload.kind()) ? DIRECT : PRESIGNED;
    }

    private void started(String path, long amount) {
        Counter.builder("stowage.uploads.started").description("uploads begun, by path")
                .tag("path", path).register(registry).increment(amount);
    }

    private Counter bytes(String path) {
        return Counter.builder("stowage.upload.bytes").description("bytes of uploads that became objects")
                .baseUnit("bytes").tag("path", path).register(registry);
    }

    private Counter outcome(String path, String outcome) {
        return Counter.builder("stowage.uploads").description("uploads by path and how they ended")
                .tag("path", path).tag("outcome", outcome).register(registry);
    }

    private Counter swept(String path) {
        return Counter.builder("stowage.upload.sweeper.expired")
                .description("expired unregistered uploads the sweeper removed (parts, blob and record)")
                .tag("path", path).register(registry);
    }

    private Counter referenced(String path) {
        return Counter.builder("stowage.upload.sweeper.referenced")
                .description("expired unregistered uploads whose blob the catalog references: record removed, blob kept")
                .tag("path", path).register(registry);
    }
}
