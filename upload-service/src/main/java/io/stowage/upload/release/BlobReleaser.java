package io.stowage.upload.release;

import io.smallrye.mutiny.Uni;
import io.stowage.events.ObjectEventData;
import io.stowage.events.ReceivedEvent;
import io.stowage.upload.blobs.Blobs;
import io.stowage.upload.metrics.UploadMetrics;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import java.time.Duration;

/**
 * Deletes blobs no object references any more: consumes object-deleted events (consumer group
 * {@code upload-service}) and deletes the blob where {@code blobReleased} is true.
 *
 * <p>Idempotent (deleting a missing blob succeeds, so a redelivered event is harmless), retried
 * with back-off until S3 takes it (the partition waits: no release is skipped), and safe with
 * several replicas: the group gives each partition to one replica, and the offset is committed
 * only after the delete.
 */
@ApplicationScoped
public class BlobReleaser {

    private static final Logger LOG = Logger.getLogger(BlobReleaser.class);

    private final Blobs blobs;
    private final UploadMetrics metrics;

    public BlobReleaser(Blobs blobs, UploadMetrics metrics) {
        this.blobs = blobs;
        this.metrics = metrics;
    }

    /**
     * With tracing on, the Kafka connector starts this record's span as a child of its {@code traceparent}
     * header (metadata-service's relay copies the writing request's), so the release joins the upload's trace.
     */
    @Incoming("object-events")
    public Uni<Void> onEvent(ConsumerRecord<String, String> record) {
        ReceivedEvent received = ReceivedEvent.of(record.key(), record.value(), name -> lastHeader(record, name));
        metrics.eventConsumed(received.type());
        if (!received.isDeleted() || record.value() == null) {
            return Uni.createFrom().voidItem();
        }
        ObjectEventData event;
        try {
            event = received.objectData();
        } catch (ReceivedEvent.UnreadableEvent e) {
            // A retry would not make it readable: skip it, loudly.
            LOG.errorf("unreadable deleted event %s at %s-%d@%d: %s", received.id(),
                    record.topic(), record.partition(), record.offset(), e.getMessage());
            return Uni.createFrom().voidItem();
        }
        if (!event.blobReleased()) {
            return Uni.createFrom().voidItem();
        }
        String key = event.blobKey();
        // Only blobs are ever released; a key elsewhere in the bucket (e.g. uploads/) is never deleted.
        if (key == null || !key.startsWith("blobs/") || key.contains("..")) {
            LOG.errorf("deleted event %s names no blob key (%s): skipped", received.id(), key);
            return Uni.createFrom().voidItem();
        }
        return blobs.delete(key)
                .onFailure().invoke(t -> LOG.warnf("releasing blob %s failed, retrying: %s", key, t.getMessage()))
                .onFailure().retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(30)).indefinitely()
                .invoke(() -> LOG.infof("released blob %s of %s/%s (event %s)", key, event.bucket(), event.name(),
                        received.id()));
    }

    private static byte[] lastHeader(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : header.value();
    }
}
