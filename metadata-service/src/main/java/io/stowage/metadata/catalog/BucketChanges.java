package io.stowage.metadata.catalog;

import java.util.List;
import java.util.Optional;

/**
 * A bucket update: a null field is left as it is; an empty Optional clears a limit.
 */
public record BucketChanges(Boolean isPublic, Optional<Long> fileSizeLimit, Optional<List<String>> allowedMimeTypes,
                            Boolean versioned) {
}
