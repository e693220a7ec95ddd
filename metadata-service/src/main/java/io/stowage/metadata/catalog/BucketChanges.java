package io.stowage.metadata.catalog;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A bucket update: a null field is left as it is; an empty Optional clears a limit.
 */
public record BucketChanges(Boolean isPublic, Optional<Long> fileSizeLimit, Optional<List<String>> allowedMimeTypes,
                            Boolean versioned, Optional<Long> maxBytes, Optional<Long> maxObjects) {

    /** The fields this change names, in the wire names of the Bucket record (a bucket updated event's {@code changed}). */
    public List<String> named() {
        List<String> named = new ArrayList<>();
        if (isPublic != null) {
            named.add("public");
        }
        if (fileSizeLimit != null) {
            named.add("fileSizeLimit");
        }
        if (allowedMimeTypes != null) {
            named.add("allowedMimeTypes");
        }
        if (versioned != null) {
            named.add("versioned");
        }
        if (maxBytes != null) {
            named.add("maxBytes");
        }
        if (maxObjects != null) {
            named.add("maxObjects");
        }
        return named;
    }
}
