package io.stowage.gateway.download;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** Which bucket's kept lookups a write through the gateway drops (null: all of them). */
class WritesSeenTest {

    @Test
    void nativeRoutesNameTheirBucket() {
        assertEquals("photos", WritesSeen.bucketOf("/v1/objects/photos/a/b.png"));
        assertEquals("photos", WritesSeen.bucketOf("/v1/buckets/photos"));
        assertEquals("photos", WritesSeen.bucketOf("/v1/buckets/photos/empty"));
        assertEquals("photos", WritesSeen.bucketOf("/v1/files/by-path/photos/a.png"));
        assertEquals("photos", WritesSeen.bucketOf("/v1/signed/photos/a.png"));
    }

    @Test
    void supabaseRoutesNameTheirBucket() {
        assertEquals("photos", WritesSeen.bucketOf("/storage/v1/object/photos/a.png"));
        assertEquals("photos", WritesSeen.bucketOf("/storage/v1/object/photos"));
        assertEquals("photos", WritesSeen.bucketOf("/storage/v1/object/upload/sign/photos/a.png"));
        assertEquals("photos", WritesSeen.bucketOf("/storage/v1/object/sign/photos/a.png"));
        assertEquals("photos", WritesSeen.bucketOf("/storage/v1/bucket/photos"));
        assertEquals("photos", WritesSeen.bucketOf("/storage/v1/bucket/photos/empty"));
    }

    @Test
    void bucketRoutesChangeBucketsThemselves() {
        assertEquals(true, WritesSeen.bucketRoute("/v1/buckets/photos"));
        assertEquals(true, WritesSeen.bucketRoute("/storage/v1/bucket/photos/empty"));
        assertEquals(false, WritesSeen.bucketRoute("/v1/objects/photos/a.png"));
        assertEquals(false, WritesSeen.bucketRoute("/storage/v1/object/photos/a.png"));
    }

    @Test
    void writesWithoutABucketInThePathDropEverything() {
        assertNull(WritesSeen.bucketOf("/storage/v1/object/move"));
        assertNull(WritesSeen.bucketOf("/storage/v1/object/copy"));
        assertNull(WritesSeen.bucketOf("/v1/files/move"));
        assertNull(WritesSeen.bucketOf("/v1/files/0b9d6c1e-4f5a"));
        assertNull(WritesSeen.bucketOf("/v1/files/register"));
        assertNull(WritesSeen.bucketOf("/storage/v1/upload/resumable/abc"));
        assertNull(WritesSeen.bucketOf("/storage/v1/bucket"));
        assertNull(WritesSeen.bucketOf("/v1/buckets"));
    }
}
