package io.stowage.metadata.api;

import io.stowage.metadata.jobs.JobEntity;

/** A background job and its progress: {@code done} of {@code total} objects. */
public record JobView(String id, String kind, String bucket, String prefix, String state, long total, long done,
                      String error, String createdAt, String finishedAt) {

    public static JobView of(JobEntity j) {
        return new JobView(j.id.toString(), j.kind, j.bucket, j.prefix, j.state, j.total, j.done, j.error,
                j.createdAt.toString(), j.finishedAt == null ? null : j.finishedAt.toString());
    }
}
