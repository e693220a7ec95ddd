package io.stowage.metadata.catalog;

/** A move or copy, as checked by the edge. */
public record Transfer(String sourceBucket, String sourceName, String destinationBucket, String destinationName,
                       boolean overwrite) {
}
