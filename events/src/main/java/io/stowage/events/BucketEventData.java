package io.stowage.events;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/**
 * The JSON data of a bucket event ({@link ObjectEvents#BUCKET_CREATED}, {@code _UPDATED},
 * {@code _DELETED}, {@code _EMPTIED}): the bucket's settings after the change (before it, for a
 * delete). Record key and subject: {@code {bucket}/}, so a bucket's events stay in order.
 *
 * @param bucket           the bucket name
 * @param isPublic         whether its objects are readable on the public routes
 * @param fileSizeLimit    largest object in bytes, or null
 * @param allowedMimeTypes the content types it takes, or null for any
 * @param versioned        whether it keeps every version
 * @param maxBytes         its quota of stored bytes, or null
 * @param maxObjects       its quota of stored objects, or null
 * @param owner            who created it
 * @param changed          on updates, the fields the change named; empty otherwise
 * @param jobId            on emptied, the job that emptied it; null otherwise
 * @param removed          on emptied, how many objects and versions the job removed; 0 otherwise
 * @param requestedBy      who made the change (the token's subject or role)
 * @param sequence         per-bucket sequence number; it only grows, so consumers can order and drop stale events
 */
public record BucketEventData(
        String bucket,
        @JsonProperty("public") boolean isPublic,
        Long fileSizeLimit,
        List<String> allowedMimeTypes,
        boolean versioned,
        Long maxBytes,
        Long maxObjects,
        String owner,
        List<String> changed,
        String jobId,
        long removed,
        String requestedBy,
        long sequence) {

    /** The same data with its sequence number, taken when the event is written. */
    public BucketEventData withSequence(long number) {
        return new BucketEventData(bucket, isPublic, fileSizeLimit, allowedMimeTypes, versioned, maxBytes, maxObjects, owner,
                changed, jobId, removed, requestedBy, number);
    }

    /** The record key and CloudEvent subject: {@code {bucket}/}. */
    public String key() {
        return ObjectEvents.bucketKey(bucket);
    }
}
