package io.stowage.events;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/**
 * The JSON data of an {@link ObjectEvents#UPDATED} event: the object's state after a change of its
 * metadata in place (the version, the blob and the bytes stay), so that a consumer mirroring the
 * catalog (a search index, a CDN) can apply it without asking the catalog.
 *
 * @param bucket       the bucket
 * @param name         the object name, exactly as stored
 * @param versionId    the version that changed (the current one)
 * @param size         size in bytes
 * @param contentType  the stored content type
 * @param etag         the blob's ETag
 * @param owner        the owner's user id
 * @param visibility   public, private, protected or shared (after the change)
 * @param blobKey      the opaque key of the blob in the physical bucket
 * @param changed      the fields the change named: visibility, sharedWith, category, tags, metadata,
 *                     cacheControl
 * @param sharedWith   users who may read a shared object besides its owner
 * @param category     the object's category, or null
 * @param tags         the object's tags
 * @param metadata     the user metadata (a JSON object), or null
 * @param cacheControl the Cache-Control the object is served with, or null
 * @param sequence     per-object sequence number, shared with the created and deleted events of the name
 */
public record ObjectUpdateData(
        String bucket,
        String name,
        String versionId,
        long size,
        String contentType,
        String etag,
        String owner,
        String visibility,
        String blobKey,
        List<String> changed,
        List<String> sharedWith,
        String category,
        List<String> tags,
        JsonNode metadata,
        String cacheControl,
        long sequence) {
}
