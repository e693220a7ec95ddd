package io.stowage.metadata.jobs;

import io.stowage.metadata.error.CatalogErrorCode;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.quarkus.panache.common.Parameters;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.stowage.metadata.access.Caller;
import io.stowage.metadata.catalog.BucketEntity;
import io.stowage.metadata.catalog.CatalogTime;
import io.stowage.metadata.catalog.NameLocks;
import io.stowage.metadata.catalog.ObjectEntity;
import io.stowage.metadata.catalog.Usage;
import io.stowage.metadata.catalog.UsageDelta;
import io.stowage.metadata.catalog.Versions;
import io.stowage.metadata.error.CatalogException;
import io.stowage.metadata.listing.ListingQuery;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.UUID;

/**
 * Background jobs that empty a bucket or delete by prefix: starting one, reading its progress, and
 * the work of one batch ({@link JobRunner} claims and drives them).
 */
@ApplicationScoped
public class Jobs {

    private static final Logger LOG = Logger.getLogger(Jobs.class);

    private final Versions versions;
    private final Usage usage;

    public Jobs(Versions versions, Usage usage) {
        this.versions = versions;
        this.usage = usage;
    }

    /** Starts a background job that empties the bucket, every version included. */
    @WithTransaction
    public Uni<JobEntity> startEmpty(Caller caller, String name) {
        return BucketEntity.findExisting(name).chain(b -> newJob(caller, JobEntity.EMPTY_BUCKET, name, null));
    }

    /** Starts a background job that deletes the current objects under a prefix that the caller may delete. */
    @WithTransaction
    public Uni<JobEntity> startDeletePrefix(Caller caller, String bucket, String prefix) {
        return BucketEntity.findExisting(bucket).chain(b -> newJob(caller, JobEntity.DELETE_PREFIX, bucket, prefix));
    }

    /** A job, to its starter or an admin; 404 for anyone else. */
    @WithSession
    public Uni<JobEntity> job(Caller caller, UUID id) {
        return JobEntity.<JobEntity>findById(id).map(j -> {
            if (j == null || !(caller.admin() || caller.is(j.caller))) {
                throw new CatalogException.NotFound(CatalogErrorCode.JobNotFound, "job '" + id + "' not found");
            }
            return j;
        });
    }

    private static Uni<JobEntity> newJob(Caller caller, String kind, String bucket, String prefix) {
        JobEntity job = new JobEntity();
        job.id = UUID.randomUUID();
        job.kind = kind;
        job.bucket = bucket;
        job.prefix = prefix;
        job.caller = caller.subject();
        job.callerAdmin = caller.admin();
        job.state = "pending";
        job.createdAt = CatalogTime.now();
        return job.<JobEntity>persistAndFlush()
                .invoke(j -> LOG.infof("job %s (%s of %s%s) started by %s", j.id, kind, bucket,
                        prefix == null ? "" : " prefix " + prefix, caller.subject()));
    }

    /** How many rows a job will go through (its progress total). */
    @WithSession
    public Uni<Long> size(JobEntity job) {
        return JobEntity.EMPTY_BUCKET.equals(job.kind)
                ? ObjectEntity.count("bucket = ?1 and (deletedAt is null or retained = true)", job.bucket)
                : prefixRows(job, Integer.MAX_VALUE).map(List::size).map(Integer::longValue);
    }

    /**
     * One batch of a job, in one transaction: empties (every version, for good) or deletes the
     * current objects under a prefix. Returns how many rows it handled; 0 means the job is done.
     */
    @WithTransaction
    public Uni<Integer> batch(JobEntity job, int batchSize) {
        boolean empty = JobEntity.EMPTY_BUCKET.equals(job.kind);
        return BucketEntity.<BucketEntity>findById(job.bucket).chain(bucket -> {
            if (bucket == null) {
                return Uni.createFrom().item(0);
            }
            Uni<List<ObjectEntity>> rows = empty
                    ? ObjectEntity.<ObjectEntity>find("bucket = ?1 and (deletedAt is null or retained = true) order by name, id", job.bucket)
                            .page(0, batchSize).list()
                    : prefixRows(job, batchSize);
            UsageDelta delta = new UsageDelta();
            return rows.chain(list -> Multi.createFrom().iterable(list)
                    .onItem().transformToUniAndConcatenate(o -> NameLocks.lock(o.bucket, o.name)
                            .chain(() -> empty
                                    ? versions.purgeVersion(bucket, o, CatalogTime.now(), delta)
                                    : versions.deleteCurrent(bucket, o, CatalogTime.now(), delta).replaceWithVoid()))
                    .collect().last()
                    // a job only takes away: no quota to check
                    .call(() -> usage.apply(delta, null))
                    .chain(() -> JobEntity.<JobEntity>findById(job.id))
                    .call(j -> {
                        j.done += list.size();
                        j.heartbeatAt = CatalogTime.now();
                        return j.persistAndFlush();
                    })
                    .replaceWith(list.size()));
        });
    }

    /** Current objects under a job's prefix that its caller may delete. */
    private static Uni<List<ObjectEntity>> prefixRows(JobEntity job, int limit) {
        String end = ListingQuery.successor(job.prefix);
        StringBuilder query = new StringBuilder("bucket = :bucket and deletedAt is null and deleteMarker = false and name >= :prefix");
        Parameters params = Parameters.with("bucket", job.bucket).and("prefix", job.prefix);
        if (end != null) {
            query.append(" and name < :end");
            params.and("end", end);
        }
        if (!job.callerAdmin) {
            query.append(" and owner = :owner");
            params.and("owner", job.caller);
        }
        return ObjectEntity.<ObjectEntity>find(query.append(" order by name").toString(), params).page(0, limit).list();
    }
}
