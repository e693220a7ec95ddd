package io.stowage.metadata.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.stowage.metadata.catalog.BucketEntity;

import java.util.List;

/**
 * The contract's Bucket record; {@code id} equals {@code name}. {@code maxBytes}/{@code maxObjects} are
 * its quotas; {@code ownerQuota} says that writes are also held to the default quota per owner, so
 * that upload-service knows when to ask before the bytes are sent.
 */
public record BucketView(
        String id,
        String name,
        @JsonProperty("public") boolean isPublic,
        Long fileSizeLimit,
        List<String> allowedMimeTypes,
        boolean versioned,
        Long maxBytes,
        Long maxObjects,
        boolean ownerQuota,
        String owner,
        String createdAt,
        String updatedAt) {

    /** {@code ownerQuota}: whether writes are also held to a default quota per owner (configuration). */
    public static BucketView of(BucketEntity b, boolean ownerQuota) {
        return new BucketView(b.name, b.name, b.isPublic, b.fileSizeLimit, b.allowedMimeTypeList(), b.versioned, b.maxBytes, b.maxObjects, ownerQuota, b.owner,
                b.createdAt.toString(), b.updatedAt.toString());
    }
}
