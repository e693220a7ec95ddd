package io.stowage.metadata.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.stowage.metadata.catalog.Usage;

/**
 * {@code GET /v1/buckets/{name}/usage} and {@code GET /v1/usage?owner=}: bytes and objects stored
 * (current objects and kept versions; delete markers count nothing) and the quota that applies, null
 * when none. Exactly one of {@code bucket} and {@code owner} is present.
 */
public record UsageView(
        @JsonInclude(JsonInclude.Include.NON_NULL) String bucket,
        @JsonInclude(JsonInclude.Include.NON_NULL) String owner,
        long bytes,
        long objects,
        Long maxBytes,
        Long maxObjects) {

    public static UsageView ofBucket(String bucket, Usage.Report r) {
        return new UsageView(bucket, null, r.bytes(), r.objects(), r.maxBytes(), r.maxObjects());
    }

    public static UsageView ofOwner(String owner, Usage.Report r) {
        return new UsageView(null, owner, r.bytes(), r.objects(), r.maxBytes(), r.maxObjects());
    }
}
