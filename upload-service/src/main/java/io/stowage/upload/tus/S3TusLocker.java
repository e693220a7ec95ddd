package io.stowage.upload.tus;

import io.stowage.upload.error.UploadErrorCode;
import io.smallrye.mutiny.Uni;
import io.stowage.upload.blobs.S3Failures;
import io.stowage.upload.config.BlobBucketConfig;
import io.stowage.upload.config.UploadConfig;
import io.stowage.upload.error.UploadException;
import jakarta.enterprise.context.ApplicationScoped;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.services.s3.S3AsyncClient;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.UUID;

/**
 * Locks as objects {@code tus/{id}.lock} in the physical bucket, taken with S3's conditional writes:
 * {@code If-None-Match: *} creates the lock only if nobody holds it, and a lock whose lease ran out
 * (its holder died) is taken over with {@code If-Match} on the ETag that was read, so of two replicas
 * reaching for it exactly one wins. The holder renews the lease while it works.
 */
@ApplicationScoped
public class S3TusLocker implements TusLocker {

    private final S3AsyncClient s3;
    private final String bucket;
    private final Duration lease;
    /** Who holds a lock: this process (a restarted replica is someone else). */
    private final String holder = UUID.randomUUID().toString();
    /** Locks this process holds now: a shutdown waits for them to be given up (below). */
    private final java.util.concurrent.atomic.AtomicInteger held = new java.util.concurrent.atomic.AtomicInteger();
    private final Duration drain;

    public S3TusLocker(S3AsyncClient s3, BlobBucketConfig blobs, UploadConfig config) {
        this.s3 = s3;
        this.bucket = blobs.bucket();
        this.lease = config.resumable().lockLease();
        this.drain = config.resumable().drainTimeout();
    }

    /**
     * A replica being stopped (SIGTERM, a rollout) lets the PATCHes it is recording finish and give their
     * locks up, for at most the drain timeout, so that their clients resume on another replica at once
     * instead of waiting out the lease. Runs before the HTTP server and the S3 client close.
     */
    void drain(@jakarta.enterprise.event.Observes io.quarkus.runtime.ShutdownEvent event) {
        long deadline = System.nanoTime() + drain.toNanos();
        while (held.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    static String lockKey(String id) {
        return S3TusStore.PREFIX + id + ".lock";
    }

    public Duration lease() {
        return lease;
    }

    @Override
    public Uni<Lock> acquire(String id) {
        return create(id).onFailure(S3Failures::isPreconditionFailed).recoverWithUni(taken -> takeOverIfLapsed(id));
    }

    private Uni<Lock> create(String id) {
        return Uni.createFrom().completionStage(() -> s3.putObject(
                        r -> r.bucket(bucket).key(lockKey(id)).ifNoneMatch("*").contentType("text/plain"),
                        AsyncRequestBody.fromBytes(body())))
                .map(put -> new Held(id, put.eTag()));
    }

    /** The lock exists: it is taken over only when its lease ran out, and only by one of those who try. */
    private Uni<Lock> takeOverIfLapsed(String id) {
        return Uni.createFrom().completionStage(() -> s3.getObject(r -> r.bucket(bucket).key(lockKey(id)),
                        AsyncResponseTransformer.toBytes()))
                .onFailure(S3Failures::isNotFound).recoverWithNull()
                .chain(current -> {
                    if (current == null) {
                        // released meanwhile: try once more to create it
                        return create(id).onFailure(S3Failures::isPreconditionFailed).transform(t -> locked(id));
                    }
                    if (!lapsed(current.asString(StandardCharsets.UTF_8))) {
                        return Uni.createFrom().failure(locked(id));
                    }
                    String etag = current.response().eTag();
                    return Uni.createFrom().completionStage(() -> s3.putObject(
                                    r -> r.bucket(bucket).key(lockKey(id)).ifMatch(etag).contentType("text/plain"),
                                    AsyncRequestBody.fromBytes(body())))
                            .<Lock>map(put -> new Held(id, put.eTag()))
                            .onFailure(S3Failures::isPreconditionFailed).transform(t -> locked(id));
                });
    }

    private static UploadException locked(String id) {
        return new UploadException(UploadErrorCode.UploadLocked, "upload " + id + " is being written by another request");
    }

    private byte[] body() {
        return (holder + " " + Instant.now().plus(lease)).getBytes(StandardCharsets.UTF_8);
    }

    private static boolean lapsed(String body) {
        int space = body.indexOf(' ');
        try {
            return space < 0 || Instant.now().isAfter(Instant.parse(body.substring(space + 1).trim()));
        } catch (DateTimeParseException e) {
            return true;
        }
    }

    private final class Held implements Lock {
        private final String id;
        private volatile String etag;

        private final java.util.concurrent.atomic.AtomicBoolean released = new java.util.concurrent.atomic.AtomicBoolean();

        Held(String id, String etag) {
            this.id = id;
            this.etag = etag;
            held.incrementAndGet();
        }

        @Override
        public Uni<Void> renew() {
            String current = etag;
            return Uni.createFrom().completionStage(() -> s3.putObject(
                            r -> r.bucket(bucket).key(lockKey(id)).ifMatch(current).contentType("text/plain"),
                            AsyncRequestBody.fromBytes(body())))
                    .invoke(put -> etag = put.eTag())
                    .onFailure(S3Failures::isPreconditionFailed).transform(t -> locked(id))
                    .replaceWithVoid();
        }

        @Override
        public Uni<Void> release() {
            return Uni.createFrom().completionStage(() -> s3.deleteObject(r -> r.bucket(bucket).key(lockKey(id))))
                    .replaceWithVoid()
                    .onTermination().invoke(() -> {
                        if (released.compareAndSet(false, true)) {
                            held.decrementAndGet();
                        }
                    });
        }
    }
}
