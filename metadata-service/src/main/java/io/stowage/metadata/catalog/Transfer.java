package io.stowage.metadata.catalog;

/**
 * A move or copy, as checked by the edge.
 *
 * @param sourceVersionId the version of the source to take; null for its current object
 * @param overrides       for a copy that does not copy the source's metadata ({@code copyMetadata: false}):
 *                        the values that replace the source's; null copies everything as it is
 */
public record Transfer(String sourceBucket, String sourceName, String sourceVersionId, String destinationBucket,
                       String destinationName, boolean overwrite, Overrides overrides) {

    /**
     * What a copy with {@code copyMetadata: false} changes: the user metadata is never copied, and
     * each non-null field replaces the source's value ({@code cacheControl} "" clears it).
     */
    public record Overrides(String contentType, String cacheControl) {

        void applyTo(ObjectEntity copy) {
            copy.userMetadata = null;
            if (contentType != null) {
                copy.contentType = contentType;
            }
            if (cacheControl != null) {
                copy.cacheControl = cacheControl.isEmpty() ? null : cacheControl;
            }
        }
    }
}
