package io.stowage.metadata.catalog;

import io.smallrye.mutiny.Uni;
import io.stowage.events.BucketEventData;
import io.stowage.events.ObjectEvents;
import io.stowage.metadata.outbox.OutboxWriter;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.UUID;

/**
 * Writes a bucket's events (created, updated, deleted, emptied) to the outbox in the transaction of
 * the change, keyed {@code {bucket}/} and numbered by the bucket's own sequence: the row of
 * {@code object_sequences} with the empty name, which no object can have. Taking the number locks
 * that row until commit, so a bucket's events are numbered in commit order.
 */
@ApplicationScoped
public class BucketEvents {

    /** The name under which {@code object_sequences} keeps a bucket's own sequence (object names are never empty). */
    static final String BUCKET_SEQUENCE_NAME = "";

    private final OutboxWriter outbox;

    public BucketEvents(OutboxWriter outbox) {
        this.outbox = outbox;
    }

    /** Announces a created, updated or deleted bucket with its settings ({@code changed}: the fields an update named). */
    Uni<Void> emit(String type, BucketEntity b, List<String> changed, String requestedBy) {
        return emit(type, data(b, changed, null, 0, requestedBy));
    }

    /**
     * Announces that a job emptied the bucket (every object and version it held is gone, each with its
     * own deleted event before this one). Call inside the transaction that marks the job done; a bucket
     * deleted meanwhile is announced by its deleted event instead.
     */
    public Uni<Void> emptied(String bucket, UUID jobId, long removed, String requestedBy) {
        return BucketEntity.<BucketEntity>findById(bucket).chain(b -> b == null
                ? Uni.createFrom().voidItem()
                : emit(ObjectEvents.BUCKET_EMPTIED, data(b, List.of(), jobId.toString(), removed, requestedBy)));
    }

    private Uni<Void> emit(String type, BucketEventData data) {
        return EventSequences.next(data.bucket(), BUCKET_SEQUENCE_NAME)
                .chain(sequence -> outbox.append(type, data.withSequence(sequence), CatalogTime.now()))
                .replaceWithVoid();
    }

    private static BucketEventData data(BucketEntity b, List<String> changed, String jobId, long removed, String requestedBy) {
        return new BucketEventData(b.name, b.isPublic, b.fileSizeLimit, b.allowedMimeTypeList(), b.versioned, b.maxBytes, b.maxObjects,
                b.owner,
                List.copyOf(changed), jobId, removed, requestedBy, 0);
    }
}
