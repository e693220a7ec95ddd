package io.stowage.image.events;

import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.stowage.events.ObjectEventData;
import io.stowage.events.ObjectEvents;
import io.stowage.events.PurgeNotice;
import io.stowage.events.ReceivedEvent;
import io.stowage.image.render.SourceType;
import io.stowage.image.variants.VariantStore;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Drops rendered variants when the events say they are stale: an object was deleted (an overwrite
 * is a delete of the old version), which drops the variants of its blob rendered for its bucket, or a
 * cache purge was asked for (one object, a bucket, or everything). Purging is idempotent: a replayed
 * event finds nothing left to delete. Other event types (most of the topic: every upload is a created
 * event) are skipped by their {@code ce_type} header alone, without decoding or parsing the record;
 * deletes of what is no image are skipped without an S3 listing; records come in batches (one per
 * poll), and a prefix named twice in one batch is purged once: a skipped event costs next to nothing.
 */
@ApplicationScoped
public class VariantPurger {

    private static final Logger LOG = Logger.getLogger(VariantPurger.class);
    private static final byte[] DELETED = ObjectEvents.DELETED.getBytes(StandardCharsets.UTF_8);
    private static final byte[] PURGED = ObjectEvents.PURGED.getBytes(StandardCharsets.UTF_8);

    private final VariantStore store;
    private final MeterRegistry registry;

    public VariantPurger(VariantStore store, MeterRegistry registry) {
        this.store = store;
        this.registry = registry;
    }

    /** One poll's records: the prefixes the relevant ones name are purged one after the other, each once. */
    @Incoming("object-events")
    public Uni<Void> onEvents(ConsumerRecords<String, byte[]> records) {
        Map<String, Integer> consumed = new HashMap<>();
        // prefix -> what asked for it (for the log line), in the order the events came
        Map<String, String> purges = new LinkedHashMap<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            byte[] type = lastHeader(record, ObjectEvents.HEADER_TYPE);
            String typeName = type == null ? "unknown" : new String(type, StandardCharsets.UTF_8);
            consumed.merge(typeName, 1, Integer::sum);
            if (Arrays.equals(type, DELETED) || Arrays.equals(type, PURGED)) {
                String prefix = prefix(record);
                if (prefix != null) {
                    purges.putIfAbsent(prefix, typeName + " (key " + record.key() + ")");
                }
            }
        }
        consumed.forEach((type, n) -> registry.counter("stowage.events.consumed", "type", type).increment(n));
        if (purges.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Multi.createFrom().iterable(purges.entrySet())
                .onItem().transformToUniAndConcatenate(p -> purge(p.getKey(), p.getValue()))
                .collect().last()
                .replaceWithVoid();
    }

    /** The variants a deleted or purged event names; null when it names none (or cannot be read). */
    private String prefix(ConsumerRecord<String, byte[]> record) {
        String value = record.value() == null ? null : new String(record.value(), StandardCharsets.UTF_8);
        ReceivedEvent event = ReceivedEvent.of(record.key(), value, name -> lastHeader(record, name));
        try {
            return event.isDeleted() ? deleted(event.objectData()) : purged(event.purgeNotice());
        } catch (ReceivedEvent.UnreadableEvent | RuntimeException e) {
            // one bad record must not cost the batch around it its purges
            LOG.warnf("skipping a %s event that cannot be read (key %s): %s", event.typeOrUnknown(), record.key(), e.getMessage());
            return null;
        }
    }

    private Uni<Void> purge(String prefix, String cause) {
        return store.purge(prefix)
                .invoke(n -> LOG.logf(n > 0 ? Logger.Level.INFO : Logger.Level.DEBUG, "purged %d variants under %s after %s",
                        n, prefix, cause))
                // a storage hiccup must not stop the stream: the variants stay until the next purge of them
                .onFailure().invoke(e -> LOG.warnf("cannot purge the variants under %s: %s", prefix, e.getMessage()))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    /**
     * The variants of the deleted object's blob rendered for its bucket; null when it names none, or when
     * the object was no image image-service reads: those are never rendered (415), so no variant of them
     * exists and no S3 listing is spent on them (most deletes and overwrites are of other files).
     */
    private String deleted(ObjectEventData data) {
        if (SourceType.ofContentType(data.contentType()) == null) {
            return null;
        }
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
