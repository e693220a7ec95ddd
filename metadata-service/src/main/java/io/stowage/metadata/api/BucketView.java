package io.stowage.metadata.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.stowage.metadata.catalog.BucketEntity;

import java.util.List;

/** The contract's Bucket record; {@code id} equals {@code name}. */
public record BucketView(
        String id,
        String name,
        @JsonProperty("public") boolean isPublic,
        Long fileSizeLimit,
        List<String> allowedMimeTypes,
        boolean versioned,
        String owner,
        String createdAt,
        String updatedAt) {

    public static BucketView of(BucketEntity b) {
        return new BucketView(b.name, b.name, b.isPublic, b.fileSizeLimit, b.allowedMimeTypeList(), b.versioned, b.owner,
                b.createdAt.toString(), b.updatedAt.toString());
    }
}
