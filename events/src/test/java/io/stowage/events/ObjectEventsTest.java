package io.stowage.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
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
        assertTrue(ObjectEvents.isObjectEvent("io.stowage.object.updated.v1"));
        assertFalse(ObjectEvents.isObjectEvent("io.stowage.object.created.v2"));
        assertFalse(ObjectEvents.isObjectEvent(ObjectEvents.BUCKET_CREATED), "a bucket event is no object's");
    }

    @Test
    void recognisesTheFourBucketEventTypes() {
        for (String type : new String[] {"io.stowage.bucket.created.v1", "io.stowage.bucket.updated.v1",
                "io.stowage.bucket.deleted.v1", "io.stowage.bucket.emptied.v1"}) {
            assertTrue(ObjectEvents.isBucketEvent(type), type);
        }
        assertFalse(ObjectEvents.isBucketEvent(ObjectEvents.PURGED));
        assertFalse(ObjectEvents.isBucketEvent(ObjectEvents.CREATED));
    }

    @Test
    void bucketDataIsKeyedByTheBucketAndSerialisesWithTheDocumentedFieldNames() throws Exception {
        var data = new BucketEventData("photos", true, 1024L, List.of("image/*"), false, 5000L, null, "root", List.of("public"), null, 0,
                "root", 0).withSequence(4);
        assertEquals("photos/", data.key());
        JsonNode json = new ObjectMapper().readTree(new ObjectMapper().writeValueAsString(data));
        assertEquals("photos", json.get("bucket").asText());
        assertTrue(json.get("public").asBoolean());
        assertEquals(1024, json.get("fileSizeLimit").asLong());
        assertEquals("image/*", json.get("allowedMimeTypes").get(0).asText());
        assertEquals("public", json.get("changed").get(0).asText());
        assertEquals(4, json.get("sequence").asLong());
        assertFalse(json.has("key"));
        assertFalse(json.has("isPublic"));
        assertEquals(5000, json.get("maxBytes").asLong());
        assertTrue(json.get("maxObjects").isNull());
        assertEquals(13, json.size());
    }

    @Test
    void updateDataCarriesTheObjectsMetadataAsJson() throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        var data = new ObjectUpdateData("photos", "cat.png", "v1", 42, "image/png", "\"e\"", "alice", "shared", "blobs/1",
                List.of("visibility", "metadata"), List.of("bob"), null, List.of("pets"), mapper.readTree("{\"k\":1}"),
                "max-age=60", 9);
        JsonNode json = mapper.readTree(mapper.writeValueAsString(data));
        assertEquals(1, json.get("metadata").get("k").asInt());
        assertEquals("bob", json.get("sharedWith").get(0).asText());
        assertEquals("max-age=60", json.get("cacheControl").asText());
        assertEquals(9, json.get("sequence").asLong());
        assertEquals(16, json.size());
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
