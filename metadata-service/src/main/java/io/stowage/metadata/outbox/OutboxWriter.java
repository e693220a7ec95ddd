package io.stowage.metadata.outbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.smallrye.mutiny.Uni;
import io.stowage.events.BucketEventData;
import io.stowage.events.ObjectEventData;
import io.stowage.events.ObjectEvents;
import io.stowage.events.ObjectUpdateData;
import io.stowage.events.PurgeNotice;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.UUID;

/**
 * Adds events to the outbox. Must be called inside the transaction of the catalog change, so the
 * event exists exactly when the change does.
 */
@ApplicationScoped
public class OutboxWriter {

    private final ObjectMapper json;

    public OutboxWriter(ObjectMapper json) {
        this.json = json;
    }

    public Uni<OutboxEntry> append(String eventType, ObjectEventData data, Instant occurredAt) {
        return append(eventType, ObjectEvents.key(data.bucket(), data.name()), data, occurredAt);
    }

    /** An object's metadata changed in place ({@link ObjectEvents#UPDATED}), keyed by the object. */
    public Uni<OutboxEntry> append(ObjectUpdateData data, Instant occurredAt) {
        return append(ObjectEvents.UPDATED, ObjectEvents.key(data.bucket(), data.name()), data, occurredAt);
    }

    /** A bucket event, keyed {@code {bucket}/}. */
    public Uni<OutboxEntry> append(String eventType, BucketEventData data, Instant occurredAt) {
        return append(eventType, data.key(), data, occurredAt);
    }

    /** A purge notice, keyed by what it purges. */
    public Uni<OutboxEntry> append(PurgeNotice notice, Instant occurredAt) {
        return append(ObjectEvents.PURGED, notice.key(), notice, occurredAt);
    }

    private Uni<OutboxEntry> append(String eventType, String subject, Object data, Instant occurredAt) {
        OutboxEntry entry = new OutboxEntry();
        entry.id = UUID.randomUUID();
        entry.eventType = eventType;
        entry.subject = subject;
        entry.payload = toJson(data);
        entry.occurredAt = occurredAt;
        entry.traceparent = traceparent(Span.current().getSpanContext());
        return entry.persist();
    }

    /**
     * The context of the request that causes the event, kept with the row: the relay publishes
     * later on its own thread, where that context is long gone.
     */
    public static String traceparent(SpanContext span) {
        if (!span.isValid()) {
            return null;
        }
        return "00-" + span.getTraceId() + "-" + span.getSpanId() + "-" + span.getTraceFlags().asHex();
    }

    private String toJson(Object data) {
        try {
            return json.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("event data did not serialise", e);
        }
    }
}
