package io.stowage.events;

/**
 * The JSON data of an object event.
 *
 * @param bucket       the bucket
 * @param name         the object name, exactly as stored
 * @param versionId    the version the event is about
 * @param size         size in bytes
 * @param contentType  the stored content type
 * @param etag         the blob's ETag
 * @param owner        the owner's user id
 * @param visibility   public, private, protected or shared
 * @param blobKey      the opaque key of the blob in the physical bucket
 * @param blobReleased on deletes: true when no object references the blob any more, so it may be deleted
 * @param sequence     per-object sequence number; it only grows, so consumers can order and drop stale events
 */
public record ObjectEventData(
        String bucket,
        String name,
        String versionId,
        long size,
        String contentType,
        String etag,
        String owner,
        String visibility,
        String blobKey,
        boolean blobReleased,
        long sequence) {
}
