package io.stowage.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.nio.charset.StandardCharsets;
import java.util.function.Function;

/**
 * An event as a consumer reads it off a Kafka record of the object-events topic: the CloudEvent's
 * type and id from its binary-mode {@code ce_} headers, the record key, and the JSON data, read as
 * {@link ObjectEventData} or {@link PurgeNotice} on demand. Kafka itself stays out of this module: a
 * consumer hands over the key, the value and how to find a header, e.g.
 * {@code ReceivedEvent.of(record.key(), record.value(), name -> lastHeader(record, name))}.
 *
 * @param type  the CloudEvent type ({@code ce_type}); null when the record has none
 * @param id    the CloudEvent id ({@code ce_id}), by which duplicates are dropped; null when none
 * @param key   the record key: {@code {bucket}/{name}}, {@code {bucket}/} or {@code *}
 * @param value the record value: the event's JSON data, or null
 */
public record ReceivedEvent(String type, String id, String key, String value) {

    /** Fields added to the data later are ignored, so that an older consumer still reads newer events. */
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    /** The data cannot be read as the type the event says (not JSON, or not that shape). */
    public static final class UnreadableEvent extends Exception {
        public UnreadableEvent(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Reads a record.
     *
     * @param header the value of the record's last header of a name, or null when it has none
     */
    public static ReceivedEvent of(String key, String value, Function<String, byte[]> header) {
        return new ReceivedEvent(text(header.apply(ObjectEvents.HEADER_TYPE)), text(header.apply(ObjectEvents.HEADER_ID)),
                key, value);
    }

    /** The type, or {@code unknown} when the record names none (for counting what was consumed). */
    public String typeOrUnknown() {
        return type == null ? "unknown" : type;
    }

    public boolean isCreated() {
        return ObjectEvents.CREATED.equals(type);
    }

    public boolean isDeleted() {
        return ObjectEvents.DELETED.equals(type);
    }

    public boolean isPurged() {
        return ObjectEvents.PURGED.equals(type);
    }

    public boolean isUpdated() {
        return ObjectEvents.UPDATED.equals(type);
    }

    /** One of the bucket events (created, updated, deleted, emptied). */
    public boolean isBucketEvent() {
        return ObjectEvents.isBucketEvent(type);
    }

    /** The data of an object event (created or deleted). */
    public ObjectEventData objectData() throws UnreadableEvent {
        return read(ObjectEventData.class);
    }

    /** The data of an {@link ObjectEvents#UPDATED} event. */
    public ObjectUpdateData updateData() throws UnreadableEvent {
        return read(ObjectUpdateData.class);
    }

    /** The data of a bucket event. */
    public BucketEventData bucketData() throws UnreadableEvent {
        return read(BucketEventData.class);
    }

    /** The data of a {@link ObjectEvents#PURGED} event. */
    public PurgeNotice purgeNotice() throws UnreadableEvent {
        return read(PurgeNotice.class);
    }

    private <T> T read(Class<T> shape) throws UnreadableEvent {
        if (value == null || value.isBlank()) {
            throw new UnreadableEvent("the " + typeOrUnknown() + " event " + id + " has no data", null);
        }
        T data;
        try {
            data = JSON.readValue(value, shape);
        } catch (JsonProcessingException e) {
            throw new UnreadableEvent("the " + typeOrUnknown() + " event " + id + " is not a "
                    + shape.getSimpleName() + ": " + e.getOriginalMessage(), e);
        }
        if (data == null) {
            throw new UnreadableEvent("the " + typeOrUnknown() + " event " + id + " has null data", null);
        }
        return data;
    }

    private static String text(byte[] header) {
        return header == null ? null : new String(header, StandardCharsets.UTF_8);
    }
}
