package io.stowage.events;

/**
 * The JSON data of a {@link ObjectEvents#PURGED} event: a cache purge someone with the right to ask
 * for it asked for. Record key and subject: {@code {bucket}/{name}} for one object (so it is ordered
 * with that object's changes), {@code {bucket}/} for a bucket, {@code *} for everything.
 *
 * @param scope           {@code object}, {@code bucket} or {@code all}
 * @param bucket          the bucket; null when the scope is {@code all}
 * @param name            the object name; only when the scope is {@code object}
 * @param versionId       the object's current version; only when the scope is {@code object}
 * @param blobKey         the object's blob; only when the scope is {@code object}
 * @param transformations whether the caller asked for rendered transformations to be purged too
 *                        (Supabase's {@code ?transformations=true}); Stowage's own rendition cache is
 *                        dropped either way
 * @param requestedBy     who asked for the purge (the token's subject or role)
 * @param sequence        for an object, its next event sequence number (ordered with its created and
 *                        deleted events); 0 otherwise
 */
public record PurgeNotice(
        String scope,
        String bucket,
        String name,
        String versionId,
        String blobKey,
        boolean transformations,
        String requestedBy,
        long sequence) {

    public static final String OBJECT = "object";
    public static final String BUCKET = "bucket";
    public static final String ALL = "all";

    /** The record key and CloudEvent subject of this notice. */
    public String key() {
        return switch (scope) {
            case OBJECT -> ObjectEvents.key(bucket, name);
            case BUCKET -> ObjectEvents.bucketKey(bucket);
            default -> ObjectEvents.ALL_KEY;
        };
    }
}
