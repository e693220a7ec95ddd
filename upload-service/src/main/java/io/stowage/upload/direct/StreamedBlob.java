package io.stowage.upload.direct;

import io.stowage.contract.SharedErrorCode;
import io.stowage.upload.error.UploadErrorCode;
import io.smallrye.mutiny.Uni;
import io.stowage.upload.blobs.Blobs;
import io.stowage.upload.blobs.PartBuffers;
import io.stowage.upload.blobs.StampedBlobs;
import io.stowage.upload.error.UploadException;
import io.stowage.upload.rules.ContentSniffer;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import org.jboss.logging.Logger;
import software.amazon.awssdk.services.s3.model.CompletedPart;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * Streams one request body into a fresh blob without ever holding it whole: the bytes fill a part
 * buffer; a body that fits in one part becomes a single PUT, a larger one a multipart upload whose
 * parts go to S3 while the next part fills. The blob's key is chosen when it is known which: a single PUT
 * gets a time-stamped key ({@link StampedBlobs}), which the sweeper finds without any record; a multipart
 * upload gets {@code blobs/{uuid}} and its owner writes a pending record down ({@link MultipartRecord})
 * before S3 holds any part of it. At most two part buffers exist per upload; when both
 * are taken the request is paused (back-pressure on the client) until S3 has taken one.
 *
 * <p>Every method runs on the request's Vert.x context: S3's callbacks hop back to it, so the
 * state needs no locks. A failure (limit passed, wrong bytes, client gone, S3 error) aborts the
 * multipart upload or deletes the blob, once nothing is in flight any more.
 */
final class StreamedBlob {

    private static final Logger LOG = Logger.getLogger(StreamedBlob.class);
    private static final int MAX_BUFFERS = 2;

    /** What was stored: the blob's key, its size, its etag, and whether it was assembled from parts (it has a record). */
    record Stored(String blobKey, long size, String etag, boolean multipart) {
    }

    /** What the owner writes down so that the sweeper finds a multipart upload whose replica died. */
    interface MultipartRecord {
        /** Before S3 is asked to start the multipart upload of {@code blobKey}. */
        Uni<Void> starting(String blobKey);

        /** Once S3 named the multipart upload, before any part is sent. */
        Uni<Void> started(String blobKey, String s3UploadId);
    }

    private final Blobs blobs;
    private final Context context;
    private final HttpServerRequest request;
    /** Chosen once it is known whether the body fits in one PUT; null until then. */
    private String blobKey;
    private final String contentType;
    private final long limit;
    private final int partSize;
    private final int firstBufferSize;
    private final int sniffBytes;
    private final MultipartRecord multipartRecord;
    /** S3's id of the multipart upload, once it answered: what an abort needs even if recording it failed. */
    private volatile String s3UploadId;
    private final CompletableFuture<Stored> result = new CompletableFuture<>();

    private final PartBuffers pool;
    private final ArrayDeque<ByteBuffer> free = new ArrayDeque<>();
    private final List<ByteBuffer> owned = new ArrayList<>();
    private final List<CompletedPart> parts = new ArrayList<>();
    private int allocated;
    private ByteBuffer filling;
    private int filled;
    private Buffer pendingData;
    private int pendingOffset;
    private long total;
    private int partsShipped;
    private int inFlight;
    private boolean sniffed;
    private boolean paused;
    private boolean ended;
    private boolean done;
    private boolean cleaned;
    private Uni<String> multipartId;
    private boolean singlePutStarted;

    StreamedBlob(Blobs blobs, PartBuffers pool, Context context, HttpServerRequest request, String contentType,
                 long limit, Long declaredLength, int sniffBytes, MultipartRecord multipartRecord) {
        this.blobs = blobs;
        this.pool = pool;
        int partSize = pool.partSize();
        this.context = context;
        this.request = request;
        this.contentType = contentType;
        this.limit = limit;
        this.partSize = partSize;
        // A body announced smaller than a part never needs a part-sized buffer.
        this.firstBufferSize = declaredLength != null && declaredLength < partSize ? (int) Math.max(declaredLength, 0) : partSize;
        this.sniffBytes = sniffBytes;
        this.multipartRecord = multipartRecord;
    }

    /** Starts reading the (paused) request; completes with the stored blob or fails, having cleaned up. */
    CompletableFuture<Stored> start() {
        request.handler(this::onData);
        request.endHandler(v -> onEnd());
        request.exceptionHandler(t -> fail(new UploadException(SharedErrorCode.InvalidRequest,
                "the request body was cut short: " + t.getMessage(), t)));
        request.resume();
        return result;
    }

    /** Stops the upload from outside (for example the client went away), cleaning up what was written. */
    void cancel(Throwable reason) {
        fail(reason);
    }

    private void onData(Buffer chunk) {
        if (done) {
            return;
        }
        total += chunk.length();
        if (total > limit) {
            fail(new UploadException(SharedErrorCode.PayloadTooLarge, "the body exceeds the bucket's limit of " + limit + " bytes"));
            return;
        }
        if (pendingData == null) {
            pendingData = chunk;
            pendingOffset = 0;
        } else {
            pendingData.appendBuffer(chunk);
        }
        drain();
    }

    /** Copies received bytes into part buffers, shipping each full part; pauses when no buffer is free. */
    private void drain() {
        while (pendingData != null && !done) {
            if (filling == null) {
                filling = takeBuffer();
                filled = 0;
                if (filling == null) {
                    if (!paused) {
                        paused = true;
                        request.pause();
                    }
                    return;
                }
            }
            if (filled == filling.capacity() && filled < partSize) {
                // The first buffer was sized for the announced length, and more came: move into a full part.
                ByteBuffer grown = own(pool.take());
                grown.put(0, filling, 0, filled);
                filling = grown;
            }
            int n = Math.min(pendingData.length() - pendingOffset, filling.capacity() - filled);
            ByteBuffer target = filling.duplicate().position(filled).limit(filled + n);
            pendingData.getByteBuf().getBytes(pendingOffset, target);
            pendingOffset += n;
            filled += n;
            if (pendingOffset == pendingData.length()) {
                pendingData = null;
                pendingOffset = 0;
            }
            if (!sniffed && partsShipped == 0 && filled >= sniffBytes) {
                sniff();
            }
            if (!done && filled == partSize) {
                shipPart();
            }
        }
        if (paused && !done) {
            paused = false;
            request.resume();
        }
    }

    private ByteBuffer takeBuffer() {
        if (!free.isEmpty()) {
            return free.pop();
        }
        if (allocated < MAX_BUFFERS) {
            allocated++;
            // A body announced smaller than a part is small: a heap buffer of its size, not a pooled part.
            return allocated == 1 && firstBufferSize < partSize ? ByteBuffer.allocate(firstBufferSize) : own(pool.take());
        }
        return null;
    }

    private ByteBuffer own(ByteBuffer buffer) {
        owned.add(buffer);
        return buffer;
    }

    /** Gives the pooled buffers back, once no S3 call reads them any more. */
    private void releaseBuffers() {
        owned.forEach(pool::give);
        owned.clear();
        free.clear();
    }

    private void sniff() {
        sniffed = true;
        byte[] head = new byte[filling == null ? 0 : Math.min(filled, sniffBytes)];
        if (head.length > 0) {
            filling.get(0, head);
        }
        if (!ContentSniffer.agrees(contentType, head)) {
            fail(new UploadException(UploadErrorCode.UploadMismatch, "the uploaded bytes are not " + contentType));
        }
    }

    private void shipPart() {
        ByteBuffer buffer = filling;
        int length = filled;
        int partNumber = ++partsShipped;
        filling = null;
        filled = 0;
        if (multipartId == null) {
            // The record comes first, so that the sweeper finds whatever S3 holds of this upload if the replica
            // dies; parts wait for the multipart id to be recorded too, so that it can abort them.
            String key = "blobs/" + UUID.randomUUID();
            blobKey = key;
            multipartId = multipartRecord.starting(key)
                    .chain(() -> blobs.startMultipart(key, contentType))
                    .invoke(id -> s3UploadId = id)
                    .call(id -> multipartRecord.started(key, id))
                    .memoize().indefinitely();
        }
        String key = blobKey;
        inFlight++;
        multipartId.chain(id -> blobs.uploadPart(key, id, partNumber, buffer.duplicate().position(0).limit(length)))
                .subscribe().with(
                        part -> context.runOnContext(v -> partStored(buffer, part)),
                        failure -> context.runOnContext(v -> {
                            inFlight--;
                            fail(failure);
                        }));
    }

    private void partStored(ByteBuffer buffer, CompletedPart part) {
        inFlight--;
        parts.add(part);
        free.push(buffer.clear());
        if (done) {
            cleanUpWhenIdle();
            return;
        }
        if (ended) {
            finishWhenIdle();
        } else {
            drain();
        }
    }

    private void onEnd() {
        if (done) {
            return;
        }
        ended = true;
        if (!sniffed && partsShipped == 0) {
            sniff();
            if (done) {
                return;
            }
        }
        if (partsShipped == 0) {
            putWhole();
            return;
        }
        if (filled > 0) {
            shipPart();
        }
        finishWhenIdle();
    }

    /** A body no larger than one part: one PUT of what was buffered. */
    private void putWhole() {
        ByteBuffer body = filling == null ? ByteBuffer.allocate(0) : filling.duplicate().position(0).limit(filled);
        // stamped right before the PUT: the sweeper reckons its deadlines from this time
        String key = StampedBlobs.newKey(Instant.now());
        blobKey = key;
        singlePutStarted = true;
        inFlight++;
        blobs.put(key, contentType, body).subscribe().with(
                etag -> context.runOnContext(v -> {
                    inFlight--;
                    succeed(new Stored(key, total, etag, false));
                }),
                failure -> context.runOnContext(v -> {
                    inFlight--;
                    fail(failure);
                }));
    }

    private void finishWhenIdle() {
        if (inFlight > 0 || done) {
            return;
        }
        List<CompletedPart> ordered = new ArrayList<>(parts);
        ordered.sort(Comparator.comparing(CompletedPart::partNumber));
        inFlight++;
        String key = blobKey;
        multipartId.chain(id -> blobs.completeMultipart(key, id, ordered)).subscribe().with(
                etag -> context.runOnContext(v -> {
                    inFlight--;
                    succeed(new Stored(key, total, etag, true));
                }),
                failure -> context.runOnContext(v -> {
                    inFlight--;
                    fail(failure);
                }));
    }

    private void succeed(Stored stored) {
        if (done) {
            cleanUpWhenIdle();
            return;
        }
        done = true;
        cleaned = true;
        releaseBuffers();
        result.complete(stored);
    }

    private void fail(Throwable reason) {
        if (done) {
            return;
        }
        done = true;
        pendingData = null;
        filling = null;
        result.completeExceptionally(reason);
        cleanUpWhenIdle();
    }

    /** Once no S3 call is in flight, nothing of this upload may stay behind: abort the parts, delete the blob. */
    private void cleanUpWhenIdle() {
        if (cleaned || inFlight > 0) {
            return;
        }
        cleaned = true;
        releaseBuffers();
        Uni<Void> cleanup;
        String key = blobKey;
        if (multipartId != null) {
            cleanup = multipartId.onFailure().recoverWithItem(() -> s3UploadId)
                    .chain(id -> id == null ? Uni.createFrom().voidItem() : blobs.abortMultipart(key, id))
                    .onFailure().recoverWithNull()
                    .chain(() -> blobs.delete(key));
        } else if (singlePutStarted) {
            cleanup = blobs.delete(key);
        } else {
            cleanup = Uni.createFrom().voidItem();
        }
        cleanup.subscribe().with(
                ok -> LOG.debugf("cleaned up the interrupted upload of %s", key),
                failure -> LOG.warnf("could not clean up the interrupted upload of %s (the sweeper will): %s",
                        key, failure.getMessage()));
    }
}
