package io.stowage.image.error;

import io.stowage.contract.ErrorCode;
import io.stowage.contract.SharedErrorCode;

/** Every refusal of image-service: a stable code, its HTTP status and a message for people. */
public class ImageException extends RuntimeException {

    private final String error;
    private final int status;
    private final boolean blobGone;

    public ImageException(ErrorCode code, String message) {
        this(code.name(), code.status(), message);
    }

    /** A code with another status than its usual one, e.g. 502 for an unreachable upstream. */
    public ImageException(ErrorCode code, int status, String message) {
        this(code.name(), status, message);
    }

    /** An upstream's refusal passed on as it was (e.g. signing-service's {@code TokenExpired}). */
    public ImageException(String error, int status, String message) {
        this(error, status, message, false);
    }

    private ImageException(String error, int status, String message, boolean blobGone) {
        super(message);
        this.error = error;
        this.status = status;
        this.blobGone = blobGone;
    }

    /** The object's bytes are gone from S3 (its blob released after an overwrite or a delete). */
    public static ImageException blobGone(String message) {
        return new ImageException(SharedErrorCode.ObjectNotFound.name(), SharedErrorCode.ObjectNotFound.status(), message, true);
    }

    /** Whether {@code failure} says an object's blob is gone: a lookup kept from before may name a released blob. */
    public static boolean blobGone(Throwable failure) {
        return failure instanceof ImageException e && e.blobGone;
    }

    public String error() {
        return error;
    }

    public int status() {
        return status;
    }
}
