package io.stowage.upload.blobs;

import io.smallrye.mutiny.Uni;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.services.s3.S3AsyncClient;

/**
 * S3's conditional write of a small record that several replicas may write at once: only if it is still the version
 * read ({@code If-Match} on its ETag), or only if there is none yet ({@code If-None-Match: *} when no ETag was read).
 * Exactly one of the writers racing from the same version wins; the others learn it from S3's 412.
 */
public final class ConditionalPuts {

    private ConditionalPuts() {
    }

    /** Writes {@code body} to {@code key} if it is unchanged since {@code etag} was read (null: absent); false when another writer won. */
    public static Uni<Boolean> putIfUnchanged(S3AsyncClient s3, String bucket, String key, String etag, String contentType,
                                              AsyncRequestBody body) {
        return Uni.createFrom().completionStage(() -> s3.putObject(r -> {
                            r.bucket(bucket).key(key).contentType(contentType);
                            if (etag == null) {
                                r.ifNoneMatch("*");
                            } else {
                                r.ifMatch(etag);
                            }
                        }, body))
                .replaceWith(true)
                .onFailure(S3Failures::isPreconditionFailed).recoverWithItem(false);
    }
}
