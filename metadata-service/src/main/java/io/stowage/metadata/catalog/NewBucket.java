package io.stowage.metadata.catalog;

import java.util.List;

/** A bucket to create, as checked by the edge. */
public record NewBucket(String name, boolean isPublic, Long fileSizeLimit, List<String> allowedMimeTypes, boolean versioned,
                        Long maxBytes, Long maxObjects) {
}
