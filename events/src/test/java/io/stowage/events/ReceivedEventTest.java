package io.stowage.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReceivedEventTest {

    private static ReceivedEvent received(String type, String key, String value) {
        Map<String, String> headers = type == null ? Map.of(ObjectEvents.HEADER_ID, "ev-1")
                : Map.of(ObjectEvents.HEADER_TYPE, type, ObjectEvents.HEADER_ID, "ev-1");
        return ReceivedEvent.of(key, value, name -> headers.containsKey(name)
                ? headers.get(name).getBytes(StandardCharsets.UTF_8) : null);
    }

    @Test
    void readsTypeIdAndKeyFromTheRecord() {
        ReceivedEvent event = received(ObjectEvents.DELETED, "photos/cat.png", "{}");
        assertEquals(ObjectEvents.DELETED, event.type());
        assertEquals("ev-1", event.id());
        assertEquals("photos/cat.png", event.key());
        assertTrue(event.isDeleted());
        assertFalse(event.isCreated());
        assertFalse(event.isPurged());
    }

    @Test
    void readsTheDataOfADeletedObjectIgnoringFieldsAddedLater() throws Exception {
        ObjectEventData data = received(ObjectEvents.DELETED, "photos/cat.png",
                "{\"bucket\":\"photos\",\"name\":\"cat.png\",\"versionId\":\"v1\",\"size\":42,\"blobKey\":\"blobs/1\","
                        + "\"blobReleased\":true,\"sequence\":7,\"addedInV2\":\"x\"}").objectData();
        assertEquals("photos", data.bucket());
        assertEquals("cat.png", data.name());
        assertEquals("blobs/1", data.blobKey());
        assertTrue(data.blobReleased());
        assertEquals(7, data.sequence());
    }

    @Test
    void readsAPurgeNotice() throws Exception {
        PurgeNotice notice = received(ObjectEvents.PURGED, "photos/",
                "{\"scope\":\"bucket\",\"bucket\":\"photos\",\"transformations\":true}").purgeNotice();
        assertEquals(PurgeNotice.BUCKET, notice.scope());
        assertEquals("photos", notice.bucket());
    }

    @Test
    void readsUpdateAndBucketDataAndTellsTheTypesApart() throws Exception {
        ReceivedEvent updated = received(ObjectEvents.UPDATED, "photos/cat.png",
                "{\"bucket\":\"photos\",\"name\":\"cat.png\",\"visibility\":\"public\",\"changed\":[\"visibility\"],"
                        + "\"metadata\":{\"a\":\"b\"},\"sequence\":3}");
        assertTrue(updated.isUpdated());
        assertFalse(updated.isCreated() || updated.isDeleted() || updated.isBucketEvent());
        ObjectUpdateData data = updated.updateData();
        assertEquals("public", data.visibility());
        assertEquals(java.util.List.of("visibility"), data.changed());
        assertEquals("b", data.metadata().get("a").asText());

        ReceivedEvent bucket = received(ObjectEvents.BUCKET_UPDATED, "photos/",
                "{\"bucket\":\"photos\",\"public\":true,\"changed\":[\"public\"],\"sequence\":2}");
        assertTrue(bucket.isBucketEvent());
        assertFalse(bucket.isDeleted());
        BucketEventData settings = bucket.bucketData();
        assertTrue(settings.isPublic());
        assertEquals(2, settings.sequence());
    }

    @Test
    void aRecordWithoutTypeIsUnknown() {
        ReceivedEvent event = received(null, "photos/cat.png", "{}");
        assertNull(event.type());
        assertEquals("unknown", event.typeOrUnknown());
        assertFalse(event.isDeleted());
    }

    @Test
    void dataThatIsNotJsonOrMissingIsUnreadable() {
        assertThrows(ReceivedEvent.UnreadableEvent.class, () -> received(ObjectEvents.DELETED, "k", "not json").objectData());
        assertThrows(ReceivedEvent.UnreadableEvent.class, () -> received(ObjectEvents.DELETED, "k", null).objectData());
        assertThrows(ReceivedEvent.UnreadableEvent.class, () -> received(ObjectEvents.DELETED, "k", "null").objectData());
        assertThrows(ReceivedEvent.UnreadableEvent.class, () -> received(ObjectEvents.PURGED, "k", "[1]").purgeNotice());
    }
}
