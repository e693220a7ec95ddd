package io.stowage.image.client;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Uni;
import io.stowage.contract.SharedErrorCode;
import io.stowage.image.client.RecentLookups.Asker;
import io.stowage.image.client.RecentLookups.Key;
import io.stowage.image.error.ImageException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** metadata-service's answers kept for their bound, per asker, bucket and name; on a clock the test moves. */
class RecentLookupsTest {

    private static final StoredObject PHOTO = new StoredObject("photos", "a.jpg", "blobs/1", "image/jpeg", 10, "public");
    private static final Key ANONYMOUS = new Key(Asker.ANONYMOUS, null, "photos", "a.jpg");
    private static final Key ALICE = new Key(Asker.CALLER, "Bearer alice", "photos", "a.jpg");
    private static final Key BOB = new Key(Asker.CALLER, "Bearer bob", "photos", "a.jpg");

    private final AtomicLong nanos = new AtomicLong();
    private final AtomicInteger asked = new AtomicInteger();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private RecentLookups lookups(Duration bound) {
        return new RecentLookups(bound, 100, registry, nanos::get);
    }

    private Supplier<Uni<StoredObject>> metadataAnswers(StoredObject object) {
        return () -> {
            asked.incrementAndGet();
            return Uni.createFrom().item(object);
        };
    }

    private Supplier<Uni<StoredObject>> metadataRefuses() {
        return () -> {
            asked.incrementAndGet();
            return Uni.createFrom().failure(new ImageException(SharedErrorCode.ObjectNotFound, "not yours"));
        };
    }

    @Test
    void answersFromTheKeptAnswerWithinTheBoundAndAsksAgainAfterIt() {
        RecentLookups lookups = lookups(Duration.ofSeconds(1));
        assertSame(PHOTO, lookups.get(ALICE, metadataAnswers(PHOTO)).await().indefinitely());
        nanos.addAndGet(Duration.ofMillis(999).toNanos());
        assertSame(PHOTO, lookups.get(ALICE, metadataAnswers(PHOTO)).await().indefinitely());
        assertEquals(1, asked.get(), "within the bound metadata-service is not asked again");

        nanos.addAndGet(Duration.ofMillis(1).toNanos());
        StoredObject overwritten = new StoredObject("photos", "a.jpg", "blobs/2", "image/jpeg", 10, "public");
        assertSame(overwritten, lookups.get(ALICE, metadataAnswers(overwritten)).await().indefinitely());
        assertEquals(2, asked.get(), "past the bound it is asked again");
        assertEquals(1.0, registry.get("cache.gets").tag("cache", "image-object-lookups").tag("result", "hit")
                .functionCounter().count());
    }

    @Test
    void aCallerIsNeverAnsweredFromAnotherCallersOrTheAnonymousEntry() {
        RecentLookups lookups = lookups(Duration.ofMinutes(1));
        lookups.get(ALICE, metadataAnswers(PHOTO)).await().indefinitely();

        assertThrows(ImageException.class, () -> lookups.get(BOB, metadataRefuses()).await().indefinitely());
        assertThrows(ImageException.class, () -> lookups.get(ANONYMOUS, metadataRefuses()).await().indefinitely());
        assertThrows(ImageException.class, () -> lookups.get(new Key(Asker.IMAGE_SERVICE, null, "photos", "a.jpg"),
                metadataRefuses()).await().indefinitely());
        assertThrows(ImageException.class, () -> lookups.get(new Key(Asker.CALLER, "Bearer alice", "photos", "b.jpg"),
                metadataRefuses()).await().indefinitely());
        assertEquals(5, asked.get());
    }

    @Test
    void refusalsAreNeverKept() {
        RecentLookups lookups = lookups(Duration.ofMinutes(1));
        assertThrows(ImageException.class, () -> lookups.get(BOB, metadataRefuses()).await().indefinitely());
        assertThrows(ImageException.class, () -> lookups.get(BOB, metadataRefuses()).await().indefinitely());
        assertEquals(2, asked.get());
        // once metadata-service says yes, that answer is the one kept
        assertSame(PHOTO, lookups.get(BOB, metadataAnswers(PHOTO)).await().indefinitely());
        assertSame(PHOTO, lookups.get(BOB, metadataRefuses()).await().indefinitely());
        assertEquals(3, asked.get());
    }

    @Test
    void aZeroBoundAsksMetadataServiceEveryTime() {
        RecentLookups lookups = lookups(Duration.ZERO);
        lookups.get(ALICE, metadataAnswers(PHOTO)).await().indefinitely();
        lookups.get(ALICE, metadataAnswers(PHOTO)).await().indefinitely();
        assertEquals(2, asked.get());
    }

    @Test
    void aKeptAnswerWhoseBlobIsGoneIsDroppedAndAskedOnceMore() {
        RecentLookups lookups = lookups(Duration.ofMinutes(1));
        lookups.get(ALICE, metadataAnswers(PHOTO)).await().indefinitely();
        StoredObject overwritten = new StoredObject("photos", "a.jpg", "blobs/2", "image/jpeg", 10, "public");
        // the kept answer names blobs/1, released by an overwrite: S3 says its bytes are gone
        java.util.function.Function<StoredObject, Uni<String>> render = o -> o.blobKey().equals("blobs/1")
                ? Uni.createFrom().failure(ImageException.blobGone("the object's bytes are gone"))
                : Uni.createFrom().item("rendered " + o.blobKey());

        assertEquals("rendered blobs/2", lookups.use(ALICE, metadataAnswers(overwritten), render, ImageException::blobGone)
                .await().indefinitely());
        assertEquals(2, asked.get(), "asked once more after the kept answer failed");
        assertSame(overwritten, lookups.get(ALICE, metadataAnswers(PHOTO)).await().indefinitely(), "the fresh answer is kept");
        assertEquals(2, asked.get());
    }

    @Test
    void aFreshAnswersFailuresAndOtherFailuresOfAKeptAnswerArePassedOnAsTheyAre() {
        RecentLookups lookups = lookups(Duration.ofMinutes(1));
        java.util.function.Function<StoredObject, Uni<String>> gone =
                o -> Uni.createFrom().failure(ImageException.blobGone("the object's bytes are gone"));
        // nothing kept: the lookup is fresh, and its blob being gone is the answer (no second ask)
        ImageException fresh = assertThrows(ImageException.class,
                () -> lookups.use(ALICE, metadataAnswers(PHOTO), gone, ImageException::blobGone).await().indefinitely());
        assertEquals(404, fresh.status());
        assertEquals(1, asked.get());

        // kept, and the render fails for another reason: not asked again
        java.util.function.Function<StoredObject, Uni<String>> tooLarge =
                o -> Uni.createFrom().failure(new ImageException(SharedErrorCode.PayloadTooLarge, "too large"));
        assertThrows(ImageException.class,
                () -> lookups.use(ALICE, metadataAnswers(PHOTO), tooLarge, ImageException::blobGone).await().indefinitely());
        assertEquals(1, asked.get());
    }
}
