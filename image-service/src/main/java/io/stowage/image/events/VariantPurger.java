package io.stowage.image.events;

import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.stowage.events.ObjectEventData;
import io.stowage.events.ReceivedEvent;
import io.stowage.events.PurgeNotice;
import io.stowage.image.variants.VariantStore;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Drops rendered variants when the events say they are stale: an object was deleted (an overwrite
 * is a delete of the old version), which drops the variants of its blob rendered for its bucket, or a
 * cache purge was asked for (one object, a bucket, or everything). Purging is idempotent: a replayed
 * event finds nothing left to delete. Other event types are skipped.
 */
@ApplicationScoped
public class VariantPurger {

    private static final Logger LOG = Logger.getLogger(VariantPurger.class);

    private final VariantStore store;
    private final MeterRegistry registry;

    public VariantPurger(VariantStore store, MeterRegistry registry) {
        this.store = store;
        this.registry = registry;
    }

    @Incoming("object-events")
    public Uni<Void> onEvent(ConsumerRecord<String, String> record) {
        ReceivedEvent event = ReceivedEvent.of(record.key(), record.value(), name -> lastHeader(record, name));
        String typeName = event.typeOrUnknown();
        registry.counter("stowage.events.consumed", "type", typeName).increment();
        String prefix;
        try {
            prefix = event.isDeleted() ? deleted(event.objectData())
                    : event.isPurged() ? purged(event.purgeNotice())
                    : null;
        } catch (ReceivedEvent.UnreadableEvent e) {
            LOG.warnf("skipping a %s event that is not valid JSON (key %s)", typeName, record.key());
            return Uni.createFrom().voidItem();
        }
        if (prefix == null) {
            return Uni.createFrom().voidItem();
        }
        return store.purge(prefix)
                .invoke(n -> LOG.infof("purged %d variants under %s after %s (key %s)", n, prefix, typeName, record.key()))
                // a storage hiccup must not stop the stream: the variants stay until the next purge of them
                .onFailure().invoke(e -> LOG.warnf("cannot purge the variants under %s: %s", prefix, e.getMessage()))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    /** The variants of the deleted object's blob rendered for its bucket; null when it names none. */
    private String deleted(ObjectEventData data) {
        return blank(data.bucket()) || blank(data.blobKey()) ? null : store.prefixOf(data.bucket(), data.blobKey());
    }

    /** What a purge notice names; null when it is not one image-service can act on. */
    private String purged(PurgeNotice notice) {
        if (notice.scope() == null) {
            return null;
        }
        return switch (notice.scope()) {
            case PurgeNotice.OBJECT -> blank(notice.bucket()) || blank(notice.blobKey()) ? null
                    : store.prefixOf(notice.bucket(), notice.blobKey());
            case PurgeNotice.BUCKET -> blank(notice.bucket()) ? null : store.bucketPrefix(notice.bucket());
            case PurgeNotice.ALL -> store.allPrefix();
            default -> null;
        };
    }

    private static byte[] lastHeader(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : header.value();
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank() || value.contains("..");
    }
}
