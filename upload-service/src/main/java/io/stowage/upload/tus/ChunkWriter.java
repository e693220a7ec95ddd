package io.stowage.upload.tus;

import io.stowage.contract.SharedErrorCode;
import io.stowage.upload.error.UploadErrorCode;
import io.stowage.upload.blobs.PartBuffers;
import io.stowage.upload.error.UploadException;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

/**
 * Streams one PATCH body into the upload's parts without holding it: the bytes fill a part buffer
 * (which starts with the upload's tail, read back from S3); each full buffer goes to S3 as the next part
 * while the next one fills. At most two part buffers exist per PATCH; when both are taken the request
 * is paused until S3 has taken one. What is left in the last buffer when the body ends (or breaks off)
 * is handed back, to become the new tail or the last part: the caller decides, and records the outcome.
 *
 * <p>Every method runs on the request's Vert.x context, so the state needs no locks.
 */
final class ChunkWriter {

    private static final int MAX_BUFFERS = 2;

    /**
     * What a PATCH delivered: the body's bytes counted, the parts it stored, and the bytes past them
     * ({@code rest} from 0 to {@code restSize}). {@code whole}: the body ended as sent (not cut off).
     */
    record Result(long received, List<TusUpload.Part> parts, ByteBuffer rest, int restSize, boolean whole, byte[] digest) {
    }

    private final TusStore store;
    private final PartBuffers pool;
    private final Context context;
    private final HttpServerRequest request;
    private final TusUpload upload;
    private final long maxBytes;
    private final MessageDigest digest;
    private final Predicate<ByteBuffer> sniffer;
    private final int sniffBytes;
    private final CompletableFuture<Result> result = new CompletableFuture<>();

    private final ArrayDeque<ByteBuffer> free = new ArrayDeque<>();
    private final List<ByteBuffer> owned = new ArrayList<>();
    private final List<TusUpload.Part> parts = new ArrayList<>();
    private ByteBuffer filling;
    private int filled;
    private Buffer pending;
    private int pendingOffset;
    private int nextPart;
    private long received;
    private int inFlight;
    private boolean paused;
    private boolean ended;
    private boolean whole;
    private boolean done;
    private boolean mustSniff;
    private Throwable failure;

    /**
     * @param first     the first part buffer, already holding the upload's tail from 0 to {@code tailSize}
     * @param maxBytes  the most this body may carry (what is left of Upload-Length, or of the limit while deferred)
     * @param digest    the Upload-Checksum's algorithm, or null
     * @param sniffer   checks the blob's first bytes when this PATCH is the one that fills them; null when done before
     */
    ChunkWriter(TusStore store, PartBuffers pool, Context context, HttpServerRequest request, TusUpload upload,
                ByteBuffer first, int tailSize, long maxBytes, MessageDigest digest, Predicate<ByteBuffer> sniffer, int sniffBytes) {
        this.store = store;
        this.pool = pool;
        this.context = context;
        this.request = request;
        this.upload = upload;
        this.maxBytes = maxBytes;
        this.digest = digest;
        this.sniffer = sniffer;
        this.sniffBytes = sniffBytes;
        this.mustSniff = sniffer != null;
        this.nextPart = upload.parts().size() + 1;
        owned.add(first);
        this.filling = first;
        this.filled = tailSize;
    }

    /** Starts reading the (paused) request; completes with what arrived, or fails once nothing is in flight. */
    CompletableFuture<Result> start(io.vertx.core.http.HttpServerResponse response) {
        request.handler(this::onData);
        request.endHandler(v -> onEnd(true));
        request.exceptionHandler(t -> onEnd(false));
        response.closeHandler(v -> onEnd(false));
        request.resume();
        return result;
    }

    /** Stops from outside (the lock was lost): fails with {@code reason} once the parts in flight are back. */
    void cancel(Throwable reason) {
        fail(reason);
    }

    /** Gives the part buffers back; call once the rest was written (the result's {@code rest} is one of them). */
    void release() {
        owned.forEach(pool::give);
        owned.clear();
        free.clear();
    }

    private void onData(Buffer chunk) {
        if (done || ended) {
            return;
        }
        received += chunk.length();
        if (received > maxBytes) {
            fail(new UploadException(SharedErrorCode.PayloadTooLarge, "the body goes past the upload's length or limit"));
            return;
        }
        if (digest != null) {
            digest.update(chunk.getByteBuf().nioBuffer());
        }
        pending = chunk;
        pendingOffset = 0;
        drain();
    }

    /** Copies what arrived into part buffers, shipping each full one; pauses the client when no buffer is free. */
    private void drain() {
        while (pending != null && !done) {
            if (filling == null) {
                filling = free.poll();
                if (filling == null && owned.size() < MAX_BUFFERS) {
                    filling = pool.take();
                    owned.add(filling);
                }
                if (filling == null) {
                    // both buffers are on their way to S3: the client waits until one comes back
                    if (!paused) {
                        paused = true;
                        request.pause();
                    }
                    return;
                }
                filled = 0;
            }
            int n = Math.min(pending.length() - pendingOffset, filling.capacity() - filled);
            pending.getByteBuf().getBytes(pendingOffset, filling.duplicate().position(filled).limit(filled + n));
            pendingOffset += n;
            filled += n;
            if (pendingOffset == pending.length()) {
                pending = null;
            }
            if (mustSniff && filled >= sniffBytes) {
                sniff();
            }
            if (!done && filled == filling.capacity()) {
                ship();
            }
        }
        if (paused && !done && !ended) {
            paused = false;
            request.resume();
        }
    }

    private void sniff() {
        mustSniff = false;
        if (!sniffer.test(filling.duplicate().position(0).limit(Math.min(filled, sniffBytes)))) {
            fail(new UploadException(UploadErrorCode.UploadMismatch, "the uploaded bytes are not " + upload.contentType()));
        }
    }

    /** True when the first bytes were checked during this PATCH. */
    boolean sniffedNow() {
        return sniffer != null && !mustSniff;
    }

    private void ship() {
        ByteBuffer buffer = filling;
        int length = filled;
        int number = nextPart++;
        filling = null;
        filled = 0;
        inFlight++;
        store.writePart(upload, number, buffer.duplicate().position(0).limit(length)).subscribe().with(
                part -> context.runOnContext(v -> {
                    inFlight--;
                    parts.add(part);
                    free.push(buffer.clear());
                    drain();
                    settleWhenIdle();
                }),
                error -> context.runOnContext(v -> {
                    inFlight--;
                    fail(error);
                }));
    }

    private void onEnd(boolean asSent) {
        if (ended || done) {
            return;
        }

        ended = true;
        whole = asSent;
        settleWhenIdle();
    }

    private void fail(Throwable reason) {
        if (done) {
            return;
        }
        done = true;
        failure = reason;
        request.pause();
        settleWhenIdle();
    }

    /** Answers once no part is in flight: parts are recorded only when S3 has them all. */
    private void settleWhenIdle() {
        // bytes still waiting for a buffer (the body broke off while the client was paused) wait for the part
        // in flight, whose return drains them
        if (inFlight > 0 || result.isDone() || !(done || ended) || (failure == null && pending != null)) {
            return;
        }
        if (failure != null) {
            release();
            result.completeExceptionally(failure);
            return;
        }
        List<TusUpload.Part> stored = new ArrayList<>(parts);
        stored.sort(java.util.Comparator.comparingInt(TusUpload.Part::number));
        ByteBuffer rest = filling != null ? filling : (free.isEmpty() ? null : free.peek());
        result.complete(new Result(received, stored, rest, filling != null ? filled : 0, whole,
                digest == null ? null : digest.digest()));
    }
}
