package io.stowage.upload.tus;

import io.stowage.contract.SharedErrorCode;
import io.stowage.upload.error.UploadErrorCode;
import io.smallrye.mutiny.Uni;
import io.stowage.upload.config.UploadConfig;
import io.stowage.upload.blobs.PartBuffers;
import io.stowage.upload.error.UploadException;
import io.stowage.upload.error.UpstreamRejection;
import io.stowage.upload.metrics.UploadMetrics;
import io.stowage.upload.auth.Caller;
import io.stowage.upload.rules.ContentSniffer;
import io.vertx.core.Context;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The resumable uploads' operations, between the protocol ({@link TusRoutes}) and the parts it stands
 * on: the {@link TusStore} (state, parts, tail), the {@link TusLocker} (one writer per upload) and the
 * {@link TusHooks} (Stowage's checks before any byte, the catalog registration at the end).
 */
@ApplicationScoped
public class TusUploads {

    private static final Logger LOG = Logger.getLogger(TusUploads.class);

    private final TusStore store;
    private final TusLocker locker;
    private final TusHooks hooks;
    private final PartBuffers buffers;
    private final UploadConfig config;
    private final UploadMetrics metrics;

    public TusUploads(TusStore store, TusLocker locker, TusHooks hooks, PartBuffers buffers, UploadConfig config,
                      UploadMetrics metrics) {
        this.store = store;
        this.locker = locker;
        this.hooks = hooks;
        this.buffers = buffers;
        this.config = config;
        this.metrics = metrics;
    }

    /** What a creation declares (from Upload-Length or Upload-Defer-Length, Upload-Metadata and x-upsert). */
    public record Creation(String bucket, String name, String contentType, String cacheControl,
                           com.fasterxml.jackson.databind.node.ObjectNode metadata, String visibility, boolean upsert,
                           Long length, String rawMetadata) {
    }

    /** A PATCH: where the client says it stands, a length it now declares (deferred), and an Upload-Checksum. */
    public record Patch(long offset, Long length, String checksumAlgorithm, byte[] checksum) {
    }

    /** Which object a signed upload token allows (the gateway's on-behalf requests); null for anyone else. */
    public record SignedTarget(String bucket, String name) {
    }

    public long maxSize() {
        return config.resumable().maxSize();
    }

    /** Creates an upload after Stowage's checks; an upload of length 0 is complete at once. */
    public Uni<TusUpload> create(Caller caller, Creation creation, SignedTarget signed) {
        if (signed != null && !(signed.bucket().equals(creation.bucket()) && signed.name().equals(creation.name()))) {
            return Uni.createFrom().failure(new UploadException(SharedErrorCode.Forbidden,
                    "the signed upload token is for another object"));
        }
        if (creation.length() != null && creation.length() > maxSize()) {
            return Uni.createFrom().failure(new UploadException(SharedErrorCode.PayloadTooLarge,
                    "Upload-Length exceeds Tus-Max-Size " + maxSize()));
        }
        Instant now = Instant.now();
        TusUpload draft = new TusUpload(UUID.randomUUID().toString(), caller.subject(), caller.onBehalf(), creation.bucket(),
                creation.name(), creation.contentType(), creation.cacheControl(), creation.metadata(), creation.visibility(),
                creation.upsert(), creation.length(), maxSize(), creation.rawMetadata(), 0, "blobs/" + UUID.randomUUID(), null,
                List.of(), null, 0, false, TusUpload.OPEN, null, now, now.plus(config.resumable().expiresIn()));
        return hooks.beforeCreate(caller, draft).chain(limit -> {
            TusUpload checked = new TusUpload(draft.id(), draft.owner(), draft.onBehalf(), draft.bucket(), draft.name(),
                    draft.contentType(), draft.cacheControl(), draft.metadata(), draft.visibility(), draft.upsert(),
                    draft.length(), Math.min(limit, maxSize()), draft.rawMetadata(), 0, draft.blobKey(), null, List.of(), null, 0,
                    false, TusUpload.OPEN, null, draft.createdAt(), draft.expiresAt());
            metrics.started(UploadMetrics.RESUMABLE);
            if (Long.valueOf(0).equals(checked.length())) {
                return finishEmpty(caller, checked);
            }
            return store.begin(checked.blobKey(), checked.contentType())
                    .map(s3UploadId -> withMultipart(checked, s3UploadId))
                    .call(store::save)
                    .invoke(saved -> LOG.infof("resumable upload %s created for %s/%s by %s", saved.id(), saved.bucket(),
                            saved.name(), saved.owner()));
        });
    }

    /** An empty upload: nothing will ever be PATCHed, so the object is made now (a sniffable type cannot be empty). */
    private Uni<TusUpload> finishEmpty(Caller caller, TusUpload upload) {
        if (!ContentSniffer.agrees(upload.contentType(), new byte[0])) {
            return Uni.createFrom().failure(new UploadException(UploadErrorCode.UploadMismatch,
                    "an empty upload is not " + upload.contentType()));
        }
        return store.writeWhole(withMultipart(upload, null), ByteBuffer.allocate(0))
                .map(etag -> upload.assembled(0, etag))
                .call(store::save)
                .chain(assembled -> register(caller, assembled));
    }

    /** The caller's own upload; anyone else's is answered as a missing one (404), an expired one 410. */
    public Uni<TusUpload> find(Caller caller, String id, SignedTarget signed) {
        UploadException notFound = new UploadException(SharedErrorCode.UploadNotFound, "upload '" + id + "' not found");
        if (!io.stowage.upload.pending.PendingUploads.isUuid(id)) {
            return Uni.createFrom().failure(notFound);
        }
        return store.find(id).map(found -> {
            TusUpload upload = found.filter(u -> u.owner().equals(caller.subject()) && u.onBehalf() == caller.onBehalf())
                    .filter(u -> signed == null || (signed.bucket().equals(u.bucket()) && signed.name().equals(u.name())))
                    .orElseThrow(() -> notFound);
            if (upload.open() && upload.expiredAt(Instant.now())) {
                throw new UploadException(SharedErrorCode.UploadExpired, "upload '" + id + "' has expired");
            }
            return upload;
        });
    }

    /**
     * HEAD: the upload as it stands. An upload whose blob is whole but whose registration got no answer is
     * registered now, so that the offset a client sees at the end means the object exists.
     */
    public Uni<TusUpload> head(Caller caller, String id, SignedTarget signed) {
        return find(caller, id, signed).chain(upload -> TusUpload.ASSEMBLED.equals(upload.state())
                ? register(caller, upload) : Uni.createFrom().item(upload));
    }

    /** PATCH: streams the body into the upload under its lock, and records what arrived. */
    public Uni<TusUpload> patch(Caller caller, String id, SignedTarget signed, Patch patch, HttpServerRequest request,
                                HttpServerResponse response, Context context) {
        return find(caller, id, signed).chain(seen -> locker.acquire(id).chain(lock -> store.find(id)
                .emitOn(runnable -> context.runOnContext(v -> runnable.run()))
                .chain(current -> {
                    TusUpload upload = current.orElseThrow(() -> new UploadException(SharedErrorCode.UploadNotFound,
                            "upload '" + id + "' not found"));
                    return write(caller, lock, upload, patch, request, response, context);
                })
                .onTermination().call(() -> lock.release().onFailure().recoverWithNull())));
    }

    private Uni<TusUpload> write(Caller caller, TusLocker.Lock lock, TusUpload upload, Patch patch, HttpServerRequest request,
                                 HttpServerResponse response, Context context) {
        if (patch.offset() != upload.offset()) {
            return Uni.createFrom().failure(new UploadException(UploadErrorCode.OffsetMismatch,
                    "Upload-Offset " + patch.offset() + " is not where the upload stands (" + upload.offset() + ")"));
        }
        if (!upload.open()) {
            // every byte is there already: only an empty PATCH fits, and the registration may be due again
            return TusUpload.ASSEMBLED.equals(upload.state()) ? register(caller, upload) : Uni.createFrom().item(upload);
        }
        TusUpload target = upload;
        if (patch.length() != null) {
            if (!upload.deferred() && !patch.length().equals(upload.length())) {
                return Uni.createFrom().failure(new UploadException(SharedErrorCode.InvalidRequest, "Upload-Length cannot change"));
            }
            if (patch.length() < upload.offset() || patch.length() > upload.maxLength()) {
                return Uni.createFrom().failure(new UploadException(patch.length() > upload.maxLength()
                        ? SharedErrorCode.PayloadTooLarge : SharedErrorCode.InvalidRequest,
                        "Upload-Length " + patch.length() + " is outside " + upload.offset() + ".." + upload.maxLength()));
            }
            target = upload.withLength(patch.length());
        }
        TusUpload writing = target;
        MessageDigest digest = patch.checksumAlgorithm() == null ? null : TusHeaders.digest(patch.checksumAlgorithm());
        long room = (writing.deferred() ? writing.maxLength() : writing.length()) - writing.offset();
        ByteBuffer first = buffers.take();
        Uni<Integer> tail = writing.tailKey() == null ? Uni.createFrom().item(0)
                : store.readTail(writing.tailKey(), first).emitOn(runnable -> context.runOnContext(v -> runnable.run()));
        return tail.onFailure().invoke(() -> buffers.give(first)).chain(tailSize -> {
            boolean sniffNow = !writing.sniffed() && writing.parts().isEmpty();
            ChunkWriter writer = new ChunkWriter(store, buffers, context, request, writing, first, tailSize, room, digest,
                    sniffNow ? bytes -> ContentSniffer.agrees(writing.contentType(), toArray(bytes)) : null,
                    config.sniffBytes());
            long renewEvery = Math.max(1000, config.resumable().lockLease().toMillis() / 3);
            long timer = context.owner().setPeriodic(renewEvery, t -> lock.renew().subscribe().with(ok -> { },
                    lost -> context.runOnContext(v -> writer.cancel(lost))));
            return Uni.createFrom().completionStage(writer.start(response))
                    .emitOn(runnable -> context.runOnContext(v -> runnable.run()))
                    .onTermination().invoke(() -> context.owner().cancelTimer(timer))
                    .onFailure(t -> t instanceof UploadException e && e.code() == UploadErrorCode.UploadMismatch)
                    .call(() -> drop(writing))
                    .chain(result -> commit(caller, writing, patch, result, writer, sniffNow && writer.sniffedNow()));
        });
    }

    /** Records what a PATCH delivered: a new tail and offset, or, when every byte is there, the blob and the object. */
    private Uni<TusUpload> commit(Caller caller, TusUpload upload, Patch patch, ChunkWriter.Result result, ChunkWriter writer,
                                  boolean sniffedNow) {
        if (result.digest() != null && !(result.whole() && MessageDigest.isEqual(result.digest(), patch.checksum()))) {
            writer.release();
            return Uni.createFrom().failure(result.whole()
                    ? new UploadException(UploadErrorCode.ChecksumMismatch, "the body does not match its Upload-Checksum")
                    // a body cut short cannot be verified: none of it counts, the client sends it again
                    : new UploadException(SharedErrorCode.InvalidRequest, "the body broke off before its checksum could be verified"));
        }
        if (result.received() == 0 && !(upload.length() != null && upload.offset() == upload.length())) {
            writer.release();
            return store.save(upload).replaceWith(upload);
        }
        long offset = upload.offset() + result.received();
        Instant expiry = Instant.now().plus(config.resumable().expiresIn());
        boolean complete = upload.length() != null && offset == upload.length();
        ByteBuffer rest = result.rest() == null ? ByteBuffer.allocate(0)
                : result.rest().duplicate().position(0).limit(result.restSize());
        if (!complete) {
            Uni<String> tail = result.restSize() == 0 ? Uni.createFrom().nullItem() : store.writeTail(upload, rest);
            return tail.onTermination().invoke(writer::release)
                    .map(tailKey -> upload.progressed(offset, result.parts(), tailKey, result.restSize(), sniffedNow, expiry))
                    .call(store::save)
                    .call(saved -> upload.tailKey() == null || upload.tailKey().equals(saved.tailKey())
                            ? Uni.createFrom().voidItem() : store.dropTail(upload.tailKey()).onFailure().recoverWithNull());
        }
        List<TusUpload.Part> parts = new ArrayList<>(upload.parts());
        parts.addAll(result.parts());
        Uni<String> blob;
        if (parts.isEmpty()) {
            if (!upload.sniffed() && !sniffedNow && !ContentSniffer.agrees(upload.contentType(),
                    toArray(rest.duplicate().limit(Math.min(rest.limit(), config.sniffBytes()))))) {
                writer.release();
                return drop(upload).chain(() -> Uni.createFrom().failure(new UploadException(UploadErrorCode.UploadMismatch,
                        "the uploaded bytes are not " + upload.contentType())));
            }
            blob = store.writeWhole(upload, rest);
        } else {
            Uni<Void> last = result.restSize() == 0 ? Uni.createFrom().voidItem()
                    : store.writePart(upload, parts.get(parts.size() - 1).number() + 1, rest).invoke(parts::add).replaceWithVoid();
            blob = last.chain(() -> store.assemble(upload, parts));
        }
        return blob.onTermination().invoke(writer::release)
                .map(etag -> upload.assembled(offset, etag))
                .call(store::save)
                .call(() -> store.dropTail(upload.tailKey()).onFailure().recoverWithNull())
                .chain(assembled -> register(caller, assembled));
    }

    /**
     * Registers the whole blob as the object. Refused (the name is taken now, the bucket's limits changed,
     * no right): the blob goes and so does the upload. No answer: the upload stays assembled, and a HEAD or
     * the sweeper settles it.
     */
    private Uni<TusUpload> register(Caller caller, TusUpload assembled) {
        return hooks.onComplete(caller, assembled)
                .replaceWith(assembled.done())
                .call(store::save)
                .invoke(done -> metrics.registered(UploadMetrics.RESUMABLE, done.length()))
                .invoke(done -> LOG.infof("resumable upload %s: %d bytes registered as %s/%s", done.id(), done.length(),
                        done.bucket(), done.name()))
                .onFailure(UpstreamRejection.class).call(refused -> {
                    metrics.ended(UploadMetrics.RESUMABLE, UploadMetrics.REFUSED);
                    LOG.infof("resumable upload %s refused by metadata-service (%d)", assembled.id(),
                            ((UpstreamRejection) refused).status());
                    return store.deleteBlob(assembled).chain(() -> store.forget(assembled.id()));
                })
                .onFailure(t -> !(t instanceof UpstreamRejection)).invoke(failure -> LOG.warnf(
                        "resumable upload %s: registration had no answer; a HEAD or the sweeper settles it: %s",
                        assembled.id(), failure.getMessage()));
    }

    /** Termination: the upload's parts, tail and state go; an object it already became stays. */
    public Uni<Void> terminate(Caller caller, String id, SignedTarget signed) {
        return find(caller, id, signed)
                .onFailure(t -> t instanceof UploadException e && e.code() == SharedErrorCode.UploadExpired)
                .recoverWithUni(() -> store.find(id).map(Optional::orElseThrow))
                .chain(seen -> locker.acquire(id).chain(lock -> store.find(id)
                        .chain(current -> current.isEmpty() ? Uni.createFrom().voidItem() : remove(current.get()))
                        .onTermination().call(() -> lock.release().onFailure().recoverWithNull())))
                .invoke(() -> metrics.ended(UploadMetrics.RESUMABLE, UploadMetrics.ABORTED))
                .invoke(() -> LOG.infof("resumable upload %s terminated", id));
    }

    /**
     * Removes an upload with what it holds in S3. A blob that is whole but whose registration got no
     * answer is kept when the catalog references it (that registration landed) and deleted otherwise.
     */
    Uni<Void> remove(TusUpload upload) {
        Uni<Void> blob = switch (upload.state()) {
            case TusUpload.OPEN -> store.discard(upload);
            case TusUpload.ASSEMBLED -> hooks.referenced(upload).chain(referenced -> referenced
                    ? Uni.createFrom().voidItem() : store.deleteBlob(upload));
            default -> Uni.createFrom().voidItem();
        };
        return blob.chain(() -> store.forget(upload.id()));
    }

    /** An upload whose bytes are not what it declared: nothing of it stays. */
    private Uni<Void> drop(TusUpload upload) {
        metrics.ended(UploadMetrics.RESUMABLE, UploadMetrics.REFUSED);
        return store.discard(upload).chain(() -> store.forget(upload.id()))
                .onFailure().invoke(t -> LOG.warnf("resumable upload %s: cleanup failed, the sweeper retries: %s",
                        upload.id(), t.getMessage()))
                .onFailure().recoverWithNull();
    }

    private static TusUpload withMultipart(TusUpload u, String s3UploadId) {
        return new TusUpload(u.id(), u.owner(), u.onBehalf(), u.bucket(), u.name(), u.contentType(), u.cacheControl(),
                u.metadata(), u.visibility(), u.upsert(), u.length(), u.maxLength(), u.rawMetadata(), u.offset(), u.blobKey(),
                s3UploadId, u.parts(), u.tailKey(), u.tailSize(), u.sniffed(), u.state(), u.etag(), u.createdAt(), u.expiresAt());
    }

    private static byte[] toArray(ByteBuffer bytes) {
        byte[] copy = new byte[bytes.remaining()];
        bytes.duplicate().get(copy);
        return copy;
    }
}
