package io.stowage.upload.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.util.List;

/**
 * The parts of metadata-service's Bucket record that govern uploads: its limits, and whether a quota
 * may refuse a write (its own {@code maxBytes}/{@code maxObjects}, or the default per owner,
 * {@code ownerQuota}); metadata-service alone decides quotas, asked at the write-check.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record BucketInfo(String name, Long fileSizeLimit, List<String> allowedMimeTypes, Long maxBytes, Long maxObjects,
                         boolean ownerQuota) {

    public BucketInfo(String name, Long fileSizeLimit, List<String> allowedMimeTypes) {
        this(name, fileSizeLimit, allowedMimeTypes, null, null, false);
    }

    /** Whether a write into this bucket may be over a quota: only then is metadata-service asked before the bytes. */
    public boolean quotaApplies() {
        return maxBytes != null || maxObjects != null || ownerQuota;
    }
}
