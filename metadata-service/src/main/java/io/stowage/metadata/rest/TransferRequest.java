package io.stowage.metadata.rest;

import io.stowage.metadata.catalog.Names;
import io.stowage.metadata.catalog.Transfer;

/** {@code POST /v1/files/move} and {@code /copy}: destinationBucket defaults to bucket. */
public record TransferRequest(String bucket, String name, String destinationBucket, String destinationName, Boolean overwrite) {

    Transfer validated() {
        Names.requireBucketName(bucket);
        Names.requireObjectName(name);
        String toBucket = destinationBucket == null ? bucket : Names.requireBucketName(destinationBucket);
        Names.requireObjectName(destinationName);
        return new Transfer(bucket, name, toBucket, destinationName, Boolean.TRUE.equals(overwrite));
    }
}
