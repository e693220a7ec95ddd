package io.stowage.metadata.catalog;

import io.stowage.contract.SharedErrorCode;
import io.smallrye.mutiny.Uni;
import io.stowage.metadata.access.AccessPolicy;
import io.stowage.metadata.access.Caller;
import io.stowage.metadata.access.Visibility;
import io.stowage.metadata.error.CatalogException;

import java.util.function.Supplier;

/**
 * The access rule ({@link AccessPolicy}) and the bucket's limits applied to rows, with the answers
 * the catalog gives: 404 to a caller who may not read an object (it may not learn that it exists),
 * 403 to one who may read it but not change it, 409/412 for a name that may not be replaced.
 */
final class ObjectGuards {

    private ObjectGuards() {
    }

    static boolean canRead(Caller caller, BucketEntity bucket, ObjectEntity o) {
        return AccessPolicy.canRead(caller, bucket.isPublic, o.owner, o.visibilityLevel(), o.sharedWith);
    }

    /** Fails with {@code notFound} unless the caller may read the object. */
    static Uni<Void> requireReadable(Caller caller, ObjectEntity object, Supplier<CatalogException> notFound) {
        if (object == null) {
            return Uni.createFrom().failure(notFound.get());
        }
        if (caller.admin() || caller.is(object.owner) || object.visibilityLevel() == Visibility.PUBLIC) {
            return Uni.createFrom().voidItem();
        }
        return BucketEntity.<BucketEntity>findById(object.bucket).chain(bucket -> bucket != null && canRead(caller, bucket, object)
                ? Uni.createFrom().voidItem()
                : Uni.createFrom().failure(notFound.get()));
    }

    /** 404 unless the caller may read the object, 403 unless the caller may also change it. */
    static Uni<Void> requireWritable(Caller caller, ObjectEntity object, Supplier<CatalogException> notFound) {
        return requireReadable(caller, object, notFound).chain(() -> AccessPolicy.canWrite(caller, object.owner)
                ? Uni.createFrom().voidItem()
                : Uni.createFrom().failure(new CatalogException.Denied(
                        "only the owner or an admin may change '" + object.name + "' in bucket '" + object.bucket + "'")));
    }

    /**
     * Whether the current row of a name may be replaced: a live object needs {@code overwrite} and
     * a caller who may write it; {@code ifMatch} must equal its etag or version id.
     */
    static void checkReplaceable(Caller caller, BucketEntity bucket, ObjectEntity current, boolean overwrite,
                                 String ifMatch, String bucketName, String name) {
        boolean live = current != null && current.isLive();
        if (ifMatch != null && (!live || !(ifMatch.equals(current.etag) || ifMatch.equals(current.versionId)))) {
            throw new CatalogException.Precondition("object '" + name + "' in bucket '" + bucketName
                    + "' does not match ifMatch '" + ifMatch + "'");
        }
        if (!live) {
            return;
        }
        if (!overwrite && ifMatch == null) {
            throw CatalogException.Conflict.object(bucketName, name);
        }
        if (!AccessPolicy.canWrite(caller, current.owner)) {
            throw canRead(caller, bucket, current)
                    ? new CatalogException.Denied("only the owner or an admin may overwrite '" + name + "'")
                    : CatalogException.Conflict.object(bucketName, name);
        }
    }

    /** The bucket's limits, checked again against what actually landed. */
    static void checkLimits(BucketEntity bucket, long size, String contentType) {
        if (bucket.fileSizeLimit != null && size > bucket.fileSizeLimit) {
            throw new CatalogException.Refused(SharedErrorCode.PayloadTooLarge, "object of " + size + " bytes exceeds bucket '"
                    + bucket.name + "' limit of " + bucket.fileSizeLimit + " bytes");
        }
        if (!bucket.allows(contentType)) {
            throw new CatalogException.Refused(SharedErrorCode.InvalidMimeType, "content type '" + contentType
                    + "' is not allowed in bucket '" + bucket.name + "'");
        }
    }
}
