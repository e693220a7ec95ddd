package io.stowage.upload.tus;

import io.smallrye.mutiny.Uni;

/**
 * One writer per upload, across replicas: a PATCH or a termination holds the upload's lock while it
 * changes the upload, and a second one meanwhile is refused (423), never interleaved.
 */
public interface TusLocker {

    /** Takes the upload's lock, or fails with {@code UploadLocked} when someone holds it. */
    Uni<Lock> acquire(String id);

    /** A held lock. It lapses on its own after a lease unless renewed, so a dead replica's lock frees itself. */
    interface Lock {

        /** Extends the lease; fails when the lock was lost (the lease ran out and someone else took it). */
        Uni<Void> renew();

        /** Gives the lock up. */
        Uni<Void> release();
    }
}
