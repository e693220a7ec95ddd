package io.stowage.upload.tus;

import io.smallrye.mutiny.Uni;
import io.stowage.upload.client.ObjectRegistration;
import io.stowage.upload.client.Upstreams;
import io.stowage.upload.client.WriteCheck;
import io.stowage.upload.auth.Caller;
import io.stowage.upload.rules.BucketLimits;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

/**
 * Stowage's hooks of a resumable upload, through metadata-service: the bucket's limits and the
 * caller's right to the name before any byte, the registration (with its {@code created} event) at
 * the end. The catalog decides access, as for every other upload; nothing is decided here.
 */
@ApplicationScoped
public class StowageTusHooks implements TusHooks {

    private final Upstreams upstreams;

    public StowageTusHooks(Upstreams upstreams) {
        this.upstreams = upstreams;
    }

    @Override
    public Uni<Long> beforeCreate(Caller caller, TusUpload upload) {
        return upstreams.bucket(upload.bucket(), caller.authorization())
                .invoke(bucket -> BucketLimits.check(bucket, upload.length() == null ? 0 : upload.length(),
                        upload.contentType()))
                .call(bucket -> upstreams.checkWrite(new WriteCheck(upload.bucket(), upload.name(), upload.upsert(),
                        caller.onBehalf() ? caller.subject() : null, upload.length()), caller.authorization()))
                .map(bucket -> bucket.fileSizeLimit() == null ? Long.MAX_VALUE : bucket.fileSizeLimit());
    }

    @Override
    public Uni<Void> onComplete(Caller caller, TusUpload upload) {
        ObjectRegistration registration = new ObjectRegistration(upload.id(), upload.bucket(), upload.name(), upload.blobKey(),
                upload.length(), upload.contentType(), upload.etag(), upload.visibility(),
                upload.upsert() ? Boolean.TRUE : null, null, null,
                upload.onBehalf() ? upload.owner() : null, upload.cacheControl(), upload.metadata(), null);
        return upstreams.registerObject(registration, caller.authorization()).replaceWithVoid();
    }

    @Override
    public Uni<Boolean> referenced(TusUpload upload) {
        return upstreams.referencedBlobs(List.of(upload.blobKey())).map(found -> found.contains(upload.blobKey()));
    }
}
