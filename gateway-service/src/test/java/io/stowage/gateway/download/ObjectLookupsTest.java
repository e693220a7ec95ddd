package io.stowage.gateway.download;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.stowage.gateway.config.GatewayConfig;
import io.vertx.core.json.JsonObject;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The kept download lookups: per caller and path, dropped by a write to their bucket or one without a bucket. */
class ObjectLookupsTest {

    private static final JsonObject OBJECT = new JsonObject().put("blobKey", "blobs/1");

    @Test
    void anAnswerIsKeptForItsCallerAndPathOnly() {
        ObjectLookups lookups = lookups(Duration.ofMinutes(1));
        keep(lookups, "Bearer alice", "photos/a.png");
        assertNotNull(lookups.get(Downloads.Mode.PRIVATE, "Bearer alice", "photos/a.png"));
        assertNull(lookups.get(Downloads.Mode.PRIVATE, "Bearer bob", "photos/a.png"), "another caller");
        assertNull(lookups.get(Downloads.Mode.PUBLIC, null, "photos/a.png"), "the public route");
        assertNull(lookups.get(Downloads.Mode.PRIVATE, "Bearer alice", "photos/b.png"), "another path");
    }

    @Test
    void aWriteToTheBucketDropsItsAnswersOnly() {
        ObjectLookups lookups = lookups(Duration.ofMinutes(1));
        keep(lookups, "Bearer alice", "photos/a.png");
        keep(lookups, "Bearer alice", "docs/a.txt");
        lookups.written("photos");
        assertNull(lookups.get(Downloads.Mode.PRIVATE, "Bearer alice", "photos/a.png"));
        assertNotNull(lookups.get(Downloads.Mode.PRIVATE, "Bearer alice", "docs/a.txt"));
        lookups.written(null);
        assertNull(lookups.get(Downloads.Mode.PRIVATE, "Bearer alice", "docs/a.txt"));
    }

    @Test
    void bucketSettingsOutliveObjectWritesButNotAChangeOfTheBucket() {
        ObjectLookups lookups = lookups(Duration.ofMinutes(1));
        JsonObject settings = new JsonObject().put("fileSizeLimit", 10);
        lookups.keepBucket("Bearer alice", "photos", lookups.stampBucket("photos"), settings);
        keep(lookups, "Bearer alice", "photos/a.png");
        assertEquals(settings, lookups.bucket("Bearer alice", "photos"));
        assertNull(lookups.bucket("Bearer bob", "photos"), "another caller");
        lookups.written("photos"); // an upload into the bucket
        assertEquals(settings, lookups.bucket("Bearer alice", "photos"));
        keep(lookups, "Bearer alice", "photos/a.png");
        lookups.bucketChanged("photos"); // made private, limits changed, emptied or deleted
        assertNull(lookups.bucket("Bearer alice", "photos"));
        assertNull(lookups.get(Downloads.Mode.PRIVATE, "Bearer alice", "photos/a.png"));
    }

    @Test
    void aFileReadByIdIsDroppedByAnyWrite() {
        ObjectLookups lookups = lookups(Duration.ofMinutes(1));
        JsonObject file = new JsonObject().put("id", "f1").put("bucket", "photos");
        lookups.keepFile("Bearer alice", "f1", lookups.stampFile(), file);
        assertEquals(file, lookups.file("Bearer alice", "f1"));
        assertNull(lookups.file("Bearer bob", "f1"), "another caller");
        lookups.written("docs"); // the gateway does not know the file's bucket before the answer
        assertNull(lookups.file("Bearer alice", "f1"));
        ObjectLookups.Stamp stamp = lookups.stampFile();
        lookups.written(null);
        lookups.keepFile("Bearer alice", "f1", stamp, file);
        assertNull(lookups.file("Bearer alice", "f1"), "asked before a write finished");
    }

    @Test
    void anAnswerAskedBeforeAWriteFinishedIsNotKept() {
        ObjectLookups lookups = lookups(Duration.ofMinutes(1));
        ObjectLookups.Stamp stamp = lookups.stamp(Downloads.Mode.PRIVATE, "photos/a.png");
        lookups.written("photos"); // the write ends while the lookup is on its way
        lookups.keep(Downloads.Mode.PRIVATE, "Bearer alice", "photos/a.png", stamp, OBJECT);
        assertNull(lookups.get(Downloads.Mode.PRIVATE, "Bearer alice", "photos/a.png"));
    }

    @Test
    void readsOfMadeUpBucketsAddNoCounters() {
        ObjectLookups lookups = lookups(Duration.ofMinutes(1));
        for (int i = 0; i < 100; i++) {
            lookups.get(Downloads.Mode.PUBLIC, null, "made-up-" + i + "/a.png");
            lookups.stamp(Downloads.Mode.PRIVATE, "made-up-" + i + "/a.png");
            lookups.bucket("Bearer alice", "made-up-" + i);
            lookups.stampBucket("made-up-" + i);
        }
        assertEquals(0, lookups.bucketsCounted());
        keep(lookups, "Bearer alice", "photos/a.png");
        lookups.written("photos");
        assertEquals(1, lookups.bucketsCounted());
        assertNull(lookups.get(Downloads.Mode.PRIVATE, "Bearer alice", "photos/a.png"), "kept before the bucket's first write");
    }

    @Test
    void lookupsByIdAndAZeroBoundAreNeverKept() {
        ObjectLookups lookups = lookups(Duration.ofMinutes(1));
        assertNull(lookups.stamp(Downloads.Mode.BY_ID, "0b9d6c1e"));
        ObjectLookups off = lookups(Duration.ZERO);
        assertNull(off.stamp(Downloads.Mode.PRIVATE, "photos/a.png"));
        assertNull(off.get(Downloads.Mode.PRIVATE, "Bearer alice", "photos/a.png"));
    }

    @Test
    void anAnswerLastsNoLongerThanTheBound() throws InterruptedException {
        ObjectLookups lookups = lookups(Duration.ofMillis(50));
        keep(lookups, "Bearer alice", "photos/a.png");
        Thread.sleep(120);
        assertNull(lookups.get(Downloads.Mode.PRIVATE, "Bearer alice", "photos/a.png"));
    }

    private static void keep(ObjectLookups lookups, String authorization, String locator) {
        ObjectLookups.Stamp stamp = lookups.stamp(Downloads.Mode.PRIVATE, locator);
        lookups.keep(Downloads.Mode.PRIVATE, authorization, locator, stamp, OBJECT);
    }

    private static ObjectLookups lookups(Duration ttl) {
        Map<String, Object> values = Map.of("lookupCacheTtl", ttl, "lookupCacheSize", 100);
        GatewayConfig config = (GatewayConfig) Proxy.newProxyInstance(GatewayConfig.class.getClassLoader(),
                new Class<?>[] {GatewayConfig.class}, (p, method, args) -> values.get(method.getName()));
        return new ObjectLookups(config, new SimpleMeterRegistry());
    }
}
