package io.stowage.upload.tus;

import io.smallrye.mutiny.Uni;
import io.stowage.upload.auth.Caller;

/**
 * Where a resumable upload meets the rest of Stowage, as tusd's hooks: the checks before a byte is
 * accepted, and what happens once the blob is whole.
 */
public interface TusHooks {

    /**
     * Checks a new upload before any byte: the bucket's size and type limits against the declared length,
     * the caller's right to write the name, and the name being free unless the upload may replace it.
     * Answers the most the upload may hold (the bucket's size limit), or fails with the refusal.
     */
    Uni<Long> beforeCreate(Caller caller, TusUpload upload);

    /** Registers the assembled blob as the object, like any other upload; fails with the catalog's refusal. */
    Uni<Void> onComplete(Caller caller, TusUpload upload);

    /** Whether the catalog references the blob (a registration whose answer was lost may have landed). */
    Uni<Boolean> referenced(TusUpload upload);
}
