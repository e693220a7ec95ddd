package io.stowage.metadata.jobs;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.stowage.metadata.catalog.BucketEvents;
import io.stowage.metadata.config.MetadataConfig;
import io.stowage.metadata.outbox.OutboxRelay;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.UUID;

/**
 * Runs background jobs (empty a bucket, delete by prefix) in batches, one transaction each, so a
 * bucket of any size empties without one huge transaction and reports progress as it goes. Jobs
 * live in the database: any replica may claim a waiting one ({@code SKIP LOCKED}), and a job whose
 * runner stopped sending heartbeats is taken over.
 */
@ApplicationScoped
public class JobRunner {

    private static final Logger LOG = Logger.getLogger(JobRunner.class);

    private static final String CLAIM = """
            UPDATE jobs SET state = 'running', heartbeat_at = now()
             WHERE id = (SELECT id FROM jobs
                          WHERE state = 'pending'
                             OR (state = 'running' AND heartbeat_at < now() - make_interval(secs => :stale))
                          ORDER BY created_at
                          LIMIT 1
                            FOR UPDATE SKIP LOCKED)
            RETURNING *
            """;

    private final Jobs jobs;
    private final OutboxRelay relay;
    private final MetadataConfig.Jobs config;
    private final BucketEvents bucketEvents;

    public JobRunner(Jobs jobs, OutboxRelay relay, MetadataConfig config, BucketEvents bucketEvents) {
        this.jobs = jobs;
        this.relay = relay;
        this.config = config.jobs();
        this.bucketEvents = bucketEvents;
    }

    @Scheduled(every = "${stowage.jobs.poll-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> poll() {
        return claim().chain(job -> job == null ? Uni.createFrom().voidItem() : run(job));
    }

    @WithTransaction
    Uni<JobEntity> claim() {
        return Panache.getSession().chain(s -> s.createNativeQuery(CLAIM, JobEntity.class)
                .setParameter("stale", (double) config.staleAfter().toSeconds())
                .getResultList()
                .map(rows -> rows.isEmpty() ? null : rows.getFirst()));
    }

    private Uni<Void> run(JobEntity job) {
        LOG.infof("job %s (%s of %s) running", job.id, job.kind, job.bucket);
        Uni<Void> sized = job.total > 0 || job.done > 0
                ? Uni.createFrom().voidItem()
                : jobs.size(job).chain(total -> setTotal(job.id, total));
        return sized.chain(() -> batches(job))
                .chain(() -> finish(job.id, "done", null))
                .invoke(relay::nudge)
                .onFailure().recoverWithUni(e -> {
                    LOG.errorf(e, "job %s failed", job.id);
                    return finish(job.id, "failed", e.getMessage());
                });
    }

    private Uni<Void> batches(JobEntity job) {
        return jobs.batch(job, config.batchSize())
                .invoke(n -> relay.nudge())
                .chain(n -> n == 0 ? Uni.createFrom().voidItem() : batches(job));
    }

    @WithTransaction
    Uni<Void> setTotal(UUID id, long total) {
        return JobEntity.<JobEntity>findById(id).call(j -> {
            j.total = total;
            return j.persistAndFlush();
        }).replaceWithVoid();
    }

    /** Marks the job finished; an emptying job that is done announces the emptied bucket in the same transaction. */
    @WithTransaction
    Uni<Void> finish(UUID id, String state, String error) {
        return JobEntity.<JobEntity>findById(id).call(j -> {
            j.state = state;
            j.error = error;
            j.finishedAt = Instant.now();
            return j.persistAndFlush();
        }).call(j -> "done".equals(state) && JobEntity.EMPTY_BUCKET.equals(j.kind)
                ? bucketEvents.emptied(j.bucket, j.id, j.done, j.caller)
                : Uni.createFrom().voidItem()).invoke(j -> LOG.infof("job %s %s: %d of %d", id, state, j.done, j.total)).replaceWithVoid();
    }
}
