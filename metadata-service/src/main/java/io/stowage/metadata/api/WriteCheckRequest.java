package io.stowage.metadata.api;

import io.stowage.metadata.error.CatalogException;
import io.stowage.names.NameRules;

/**
 * {@code POST /internal/objects/write-checks}: may the caller (or, from a Stowage service,
 * {@code owner}) write {@code name} into {@code bucket} now, replacing an existing object only with
 * {@code overwrite}, and would a new object of {@code size} bytes (0 when not given) fit the bucket's
 * and the owner's quotas? {@code checkName: false} asks only about the bucket and the quotas (the
 * name is decided at registration). Asked by upload-service before it accepts the first byte; the
 * registration asks the same again at the end.
 */
public record WriteCheckRequest(String bucket, String name, Boolean overwrite, String owner, Long size, Boolean checkName) {

    /** The request, or 400: a valid bucket and object name, a size of 0 or more. */
    public WriteCheckRequest validated() {
        if (bucket == null || name == null) {
            throw CatalogException.invalidRequest("bucket and name are required");
        }
        NameRules.requireBucket(bucket);
        NameRules.requireObject(name);
        if (size != null && size < 0) {
            throw CatalogException.invalidRequest("size must be a number of bytes, 0 or more");
        }
        return this;
    }

    /** The bytes the write announces; 0 when it does not say (its object still counts). */
    public long bytes() {
        return size == null ? 0 : size;
    }

    public boolean checksName() {
        return !Boolean.FALSE.equals(checkName);
    }

    public boolean replaces() {
        return Boolean.TRUE.equals(overwrite);
    }
}
