package io.stowage.upload.reconcile;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.stowage.upload.blobs.ConditionalPuts;
import io.stowage.upload.blobs.S3Failures;
import io.stowage.upload.config.BlobBucketConfig;
import io.stowage.upload.config.UploadConfig;
import io.stowage.upload.metrics.UploadMetrics;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.services.s3.S3AsyncClient;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * Starts reconciliations ({@link Reconciler}) and keeps the last one's report as {@code sweeper/reconciler/report.json}
 * in the physical bucket, where every replica reads it. At most one run at a time across replicas: a run begins by
 * writing its {@code running} report with a conditional write on the report as read ({@code If-Match}, or
 * {@code If-None-Match: *} for the first ever), which exactly one of several replicas wins; a running report older
 * than the lease ({@code stowage.upload.reconcile.lease}) is of a replica that died and may be replaced. Each replica
 * tries on its own schedule ({@code stowage.upload.reconcile.every}); an administrator starts one now with
 * {@code POST /v1/admin/reconcile}.
 */
@ApplicationScoped
public class ReconcileRuns {

    private static final Logger LOG = Logger.getLogger(ReconcileRuns.class);
    /** Under the sweeps' own prefix: bookkeeping, not a blob. */
    static final String REPORT = "sweeper/reconciler/report.json";

    private final Reconciler reconciler;
    private final S3AsyncClient s3;
    private final String bucket;
    private final ObjectMapper json;
    private final UploadMetrics metrics;
    private final Duration lease;

    public ReconcileRuns(Reconciler reconciler, S3AsyncClient s3, BlobBucketConfig blobs, ObjectMapper json,
                         UploadMetrics metrics, UploadConfig config) {
        this.reconciler = reconciler;
        this.s3 = s3;
        this.bucket = blobs.bucket();
        this.json = json;
        this.metrics = metrics;
        this.lease = config.reconcile().lease();
    }

    /** A report as stored, with the ETag a conditional write names. */
    record Stored(ReconcileReport report, String etag) {
    }

    @Scheduled(identity = "reconciler", every = "${stowage.upload.reconcile.every:6h}",
            delayed = "${stowage.upload.reconcile.delay:10m}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return begin(Reconciler.BLOBS).chain(started -> started.started() ? started.finished() : Uni.createFrom().nullItem())
                .onFailure().invoke(t -> LOG.warnf("reconciliation could not start, the next run tries again: %s", t.getMessage()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /** The last report, running or done; empty when no reconciliation ever ran. */
    public Uni<Optional<ReconcileReport>> last() {
        return read().map(stored -> stored.map(Stored::report));
    }

    /**
     * What {@link #begin} did: {@code report} is the running report (this replica's new run, or the one already
     * running somewhere); {@code finished} completes with this run's final report (null when none was started here).
     */
    public record Start(ReconcileReport report, boolean started, Uni<ReconcileReport> finished) {
    }

    /** Starts a run over {@code prefix} unless one is running; the run goes on in the background. */
    public Uni<Start> begin(String prefix) {
        return read().chain(stored -> {
            if (stored.isPresent() && stored.get().report().running()
                    && Instant.now().isBefore(stored.get().report().startedAt().plus(lease))) {
                return Uni.createFrom().item(new Start(stored.get().report(), false, null));
            }
            Instant now = Instant.now();
            ReconcileReport running = new ReconcileReport(ReconcileReport.RUNNING, UUID.randomUUID().toString(), now, null,
                    reconciler.grace().toString(), null, null, null);
            return claim(stored.map(Stored::etag).orElse(null), running).chain(won -> {
                if (!won) {
                    // another replica began one just now: that is the run
                    return read().map(again -> new Start(again.map(Stored::report).orElse(running), false, null));
                }
                LOG.infof("reconciliation %s started (grace %s)", running.runId(), reconciler.grace());
                Uni<ReconcileReport> finished = reconciler.run(running.runId(), now, prefix)
                        .call(report -> save(report).onFailure().invoke(t -> LOG.warnf("report of reconciliation %s not kept: %s",
                                report.runId(), t.getMessage())).onFailure().recoverWithNull())
                        .invoke(report -> {
                            metrics.reconciled(report.state(), report.blobs().deleted(), report.blobs().orphans(), report.rows().dangling());
                            LOG.infof("reconciliation %s %s: %d blobs seen, %d orphans (%d deleted), %d referenced blobs missing from S3",
                                    report.runId(), report.state(), report.blobs().seen(), report.blobs().orphans(),
                                    report.blobs().deleted(), report.rows().dangling());
                        })
                        .memoize().indefinitely();
                return Uni.createFrom().item(new Start(running, true, finished));
            });
        });
    }

    private Uni<Optional<Stored>> read() {
        return Uni.createFrom().completionStage(() -> s3.getObject(r -> r.bucket(bucket).key(REPORT), AsyncResponseTransformer.toBytes()))
                .map(bytes -> Optional.of(new Stored(parse(bytes.asByteArray()), bytes.response().eTag())))
                .onFailure(S3Failures::isNotFound).recoverWithItem(Optional.empty());
    }

    /** Writes the running report only if the stored one is still the one read; false when another replica won. */
    private Uni<Boolean> claim(String etag, ReconcileReport running) {
        return ConditionalPuts.putIfUnchanged(s3, bucket, REPORT, etag, "application/json", AsyncRequestBody.fromBytes(write(running)));
    }

    private Uni<Void> save(ReconcileReport report) {
        return Uni.createFrom().completionStage(() -> s3.putObject(r -> r.bucket(bucket).key(REPORT).contentType("application/json"),
                AsyncRequestBody.fromBytes(write(report)))).replaceWithVoid();
    }

    private byte[] write(ReconcileReport report) {
        try {
            return json.writeValueAsBytes(report);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the reconciliation report", e);
        }
    }

    private ReconcileReport parse(byte[] bytes) {
        try {
            return json.readValue(bytes, ReconcileReport.class);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("unreadable reconciliation report", e);
        }
    }
}
