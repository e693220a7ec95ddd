package io.stowage.metadata.api;

/**
 * Body of {@code POST /internal/purges}: {@code bucket} and {@code name} for one object, {@code bucket}
 * alone for a bucket, neither for everything.
 */
public record PurgeRequest(String bucket, String name, Boolean transformations) {
}
