package io.stowage.upload.reconcile;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.time.Instant;
import java.util.List;

/**
 * What a reconciliation found and did, as {@code GET /v1/admin/reconcile} answers it and as it is kept in the
 * physical bucket for every replica to read.
 *
 * @param state        {@code running}, {@code finished} or {@code failed}
 * @param runId        one run, whichever replica carries it out
 * @param grace        how old an unreferenced blob had to be to count as an orphan (ISO-8601)
 * @param blobs        the blobs S3 holds under {@code blobs/}: how many were looked at and what became of them
 * @param rows         the catalog's referenced blobs looked up in S3, and those S3 no longer holds
 * @param error        why a failed run stopped (nothing is deleted past that point)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ReconcileReport(String state, String runId, Instant startedAt, Instant finishedAt, String grace,
                              Blobs blobs, Rows rows, String error) {

    public static final String RUNNING = "running";
    public static final String FINISHED = io.stowage.upload.metrics.UploadMetrics.RECONCILE_FINISHED;
    public static final String FAILED = io.stowage.upload.metrics.UploadMetrics.RECONCILE_FAILED;

    /** The most keys (orphans, dangling rows) a report lists; the counts are always whole. */
    public static final int SAMPLE = 100;

    /**
     * @param seen     blobs listed
     * @param young    younger than the grace: not judged yet
     * @param pending  named by a pending upload (presigned, multipart, direct or resumable) that may still register it
     * @param orphans  older than the grace, unreferenced, named by no pending upload
     * @param deleted  orphans deleted by this run
     * @param sample   the first orphans' keys
     */
    public record Blobs(long seen, long young, long pending, long orphans, long deleted, List<String> sample) {
    }

    /**
     * @param seen     referenced blobs the catalog listed
     * @param dangling referenced blobs S3 does not hold (a row whose bytes are gone): reported, never changed
     * @param sample   the first of them, each with one object that points at it
     */
    public record Rows(long seen, long dangling, List<Dangling> sample) {
    }

    /** A catalog row whose blob S3 does not hold. */
    public record Dangling(String blobKey, String bucket, String name) {
    }

    public boolean running() {
        return RUNNING.equals(state);
    }
}
