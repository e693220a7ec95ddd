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
     * What a copy changes: with {@code keepMetadata} false ({@code copyMetadata: false}) the source's
     * user metadata is not copied; {@code userMetadata} (JSON), when given, is the copy's own; each
     * other non-null field replaces the source's value ({@code cacheControl} "" clears it).
     */
    public record Overrides(boolean keepMetadata, String contentType, String cacheControl, String userMetadata) {

        void applyTo(ObjectEntity copy) {
            if (!keepMetadata) {
                copy.userMetadata = null;
            }
            if (userMetadata != null) {
                copy.userMetadata = userMetadata;
            }
            if (contentType != null) {
                copy.contentType = contentType;
            }
            if (cacheControl != null) {
                copy.cacheControl = cacheControl.isEmpty() ? null : cacheControl;
            }
        }
    }
}
