package io.stowage.events;

/**
 * The object event contract: the topic, the CloudEvent types and the binary-mode Kafka headers that
 * metadata-service publishes and downstream consumers read.
 */
public final class ObjectEvents {

    /** Default topic; one topic for all object events so that the events of one object stay in order. */
    public static final String DEFAULT_TOPIC = "stowage.object-events";

    public static final String CREATED = "io.stowage.object.created.v1";
    public static final String DELETED = "io.stowage.object.deleted.v1";
    /**
     * An object's changeable metadata changed in place (visibility, share list, category, tags, user
     * metadata, cache-control): same version, same blob. Data: {@link ObjectUpdateData}.
     */
    public static final String UPDATED = "io.stowage.object.updated.v1";

    /** A bucket was created. Data: {@link BucketEventData}; key {@code {bucket}/}. */
    public static final String BUCKET_CREATED = "io.stowage.bucket.created.v1";
    /** A bucket's settings changed. Data: {@link BucketEventData}, {@code changed} naming the fields. */
    public static final String BUCKET_UPDATED = "io.stowage.bucket.updated.v1";
    /** An (empty) bucket was deleted. Data: {@link BucketEventData}, its last settings. */
    public static final String BUCKET_DELETED = "io.stowage.bucket.deleted.v1";
    /**
     * A job emptying a bucket finished: every object and version it held was removed (each one's own
     * deleted event came before). Data: {@link BucketEventData} with {@code jobId} and {@code removed}.
     */
    public static final String BUCKET_EMPTIED = "io.stowage.bucket.emptied.v1";
    /**
     * A cache purge was asked for (Supabase's CDN purge routes): cached renditions of what it names are
     * dropped, and a CDN in front of Stowage can be purged by a consumer. Data: {@link PurgeNotice}.
     */
    public static final String PURGED = "io.stowage.cache.purged.v1";

    public static final String SPEC_VERSION = "1.0";
    public static final String SOURCE = "/stowage/metadata-service";
    public static final String DATA_CONTENT_TYPE = "application/json";

    /** CloudEvents Kafka protocol binding, binary content mode: attributes travel as {@code ce_} headers. */
    public static final String HEADER_SPEC_VERSION = "ce_specversion";
    public static final String HEADER_ID = "ce_id";
    public static final String HEADER_SOURCE = "ce_source";
    public static final String HEADER_TYPE = "ce_type";
    public static final String HEADER_TIME = "ce_time";
    public static final String HEADER_SUBJECT = "ce_subject";
    public static final String HEADER_CONTENT_TYPE = "content-type";

    private ObjectEvents() {
    }

    /** Record key and CloudEvent subject of an object's events: {@code {bucket}/{name}}. */
    public static String key(String bucket, String name) {
        return bucket + "/" + name;
    }

    /** Record key and CloudEvent subject of a bucket's own events and of a purge of a whole bucket: {@code {bucket}/}. */
    public static String bucketKey(String bucket) {
        return bucket + "/";
    }

    /** Record key and CloudEvent subject of a purge of everything. */
    public static final String ALL_KEY = "*";

    /** Whether a CloudEvent type is one of Stowage's object events (a change of an object). */
    public static boolean isObjectEvent(String type) {
        return CREATED.equals(type) || DELETED.equals(type) || UPDATED.equals(type);
    }

    /** Whether a CloudEvent type is one of Stowage's bucket events (keyed {@code {bucket}/}). */
    public static boolean isBucketEvent(String type) {
        return BUCKET_CREATED.equals(type) || BUCKET_UPDATED.equals(type) || BUCKET_DELETED.equals(type)
                || BUCKET_EMPTIED.equals(type);
    }
}
