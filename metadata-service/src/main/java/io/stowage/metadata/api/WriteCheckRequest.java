package io.stowage.metadata.api;

import io.stowage.metadata.error.CatalogException;
import io.stowage.names.NameRules;

/**
 * {@code POST /internal/objects/write-checks}: may the caller write {@code name} into {@code bucket}
 * now, replacing an existing object only with {@code overwrite}? Asked by upload-service before it
 * accepts the first byte of a resumable upload; the registration asks the same again at the end.
 */
public record WriteCheckRequest(String bucket, String name, Boolean overwrite) {

    /** The request, or 400: a valid bucket and object name. */
    public WriteCheckRequest validated() {
        if (bucket == null || name == null) {
            throw CatalogException.invalidRequest("bucket and name are required");
        }
        NameRules.requireBucket(bucket);
        NameRules.requireObject(name);
        return this;
    }

    public boolean replaces() {
        return Boolean.TRUE.equals(overwrite);
    }
}
