package io.stowage.image.events;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.stowage.events.ObjectEventData;
import io.stowage.events.ObjectEvents;
import io.stowage.image.variants.VariantStore;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;

/**
 * Purges a blob's rendered variants when an object event says the object that pointed to it was
 * deleted (an overwrite is a delete of the old version). Purging is idempotent: a replayed event
 * finds nothing left to delete. Other event types are skipped.
 */
@ApplicationScoped
public class VariantPurger {

    private static final Logger LOG = Logger.getLogger(VariantPurger.class);

    private final VariantStore store;
    private final ObjectMapper json;
    private final MeterRegistry registry;

    public VariantPurger(VariantStore store, ObjectMapper json, MeterRegistry registry) {
        this.store = store;
        this.json = json;
        this.registry = registry;
    }

    @Incoming("object-events")
    public Uni<Void> onEvent(ConsumerRecord<String, String> record) {
        Header type = record.headers().lastHeader(ObjectEvents.HEADER_TYPE);
        String typeName = type == null ? "unknown" : new String(type.value(), StandardCharsets.UTF_8);
        registry.counter("stowage.events.consumed", "type", typeName).increment();
        if (!ObjectEvents.DELETED.equals(typeName)) {
            return Uni.createFrom().voidItem();
        }
        ObjectEventData data;
        try {
            data = json.readValue(record.value(), ObjectEventData.class);
        } catch (Exception e) {
            LOG.warnf("skipping an object event that is not valid JSON (key %s)", record.key());
            return Uni.createFrom().voidItem();
        }
        if (data.blobKey() == null || data.blobKey().isBlank()) {
            return Uni.createFrom().voidItem();
        }
        return store.purge(data.blobKey())
                .invoke(n -> LOG.infof("purged %d variants of %s after %s/%s was deleted", n, data.blobKey(), data.bucket(), data.name()))
                // a storage hiccup must not stop the stream: the variant stays until the next delete of that blob
                .onFailure().invoke(e -> LOG.warnf("cannot purge the variants of %s: %s", data.blobKey(), e.getMessage()))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }
}
