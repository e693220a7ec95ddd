package io.stowage.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class ObjectEventsTest {

    @Test
    void keyIsBucketSlashNameKeepingTheNameVerbatim() {
        assertEquals("photos/a b/%2F+#.png", ObjectEvents.key("photos", "a b/%2F+#.png"));
    }

    @Test
    void recognisesOnlyObjectEventTypes() {
        assertTrue(ObjectEvents.isObjectEvent("io.stowage.object.created.v1"));
        assertTrue(ObjectEvents.isObjectEvent("io.stowage.object.deleted.v1"));
        assertFalse(ObjectEvents.isObjectEvent("io.stowage.object.created.v2"));
    }

    @Test
    void dataSerialisesWithTheDocumentedFieldNames() throws Exception {
        var data = new ObjectEventData("photos", "cat.png", "v1", 42, "image/png", "\"e\"", "alice",
                "private", "blobs/123", false, 7);
        JsonNode json = new ObjectMapper().readTree(new ObjectMapper().writeValueAsString(data));
        assertEquals("photos", json.get("bucket").asText());
        assertEquals("cat.png", json.get("name").asText());
        assertEquals(42, json.get("size").asLong());
        assertEquals("blobs/123", json.get("blobKey").asText());
        assertFalse(json.get("blobReleased").asBoolean());
        assertEquals(7, json.get("sequence").asLong());
        assertEquals(11, json.size());
    }

    @Test
    void aPurgeNoticeIsKeyedByWhatItPurges() throws Exception {
        assertEquals("photos/a/b.png", new PurgeNotice(PurgeNotice.OBJECT, "photos", "a/b.png", "v1", "blobs/1", true, "admin", 3).key());
        assertEquals("photos/", new PurgeNotice(PurgeNotice.BUCKET, "photos", null, null, null, false, "admin", 0).key());
        assertEquals("*", new PurgeNotice(PurgeNotice.ALL, null, null, null, null, false, "admin", 0).key());
        assertFalse(ObjectEvents.isObjectEvent(ObjectEvents.PURGED), "a purge changes no object");
        JsonNode json = new ObjectMapper().readTree(new ObjectMapper().writeValueAsString(
                new PurgeNotice(PurgeNotice.BUCKET, "photos", null, null, null, true, "admin", 0)));
        assertEquals("bucket", json.get("scope").asText());
        assertTrue(json.get("transformations").asBoolean());
        assertEquals("admin", json.get("requestedBy").asText());
        assertFalse(json.has("key"));
    }
}
