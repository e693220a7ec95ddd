package io.stowage.image.error;

import io.stowage.contract.ErrorCode;

/** image-service's own error codes; those other services answer too are the contract's {@code SharedErrorCode}. */
public enum ImageErrorCode implements ErrorCode {
    /** The object is an image this service reads, but corrupt or truncated. */
    InvalidImage(422),
    /** Too many renders at once: retry shortly ({@code Retry-After}). */
    Overloaded(503);

    private final int status;

    ImageErrorCode(int status) {
        this.status = status;
    }

    @Override
    public int status() {
        return status;
    }
}
