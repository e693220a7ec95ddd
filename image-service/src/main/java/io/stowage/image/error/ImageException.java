package io.stowage.image.error;

import io.stowage.contract.ErrorCode;

/** Every refusal of image-service: a stable code, its HTTP status and a message for people. */
public class ImageException extends RuntimeException {

    private final String error;
    private final int status;

    public ImageException(ErrorCode code, String message) {
        this(code.name(), code.status(), message);
    }

    /** A code with another status than its usual one, e.g. 502 for an unreachable upstream. */
    public ImageException(ErrorCode code, int status, String message) {
        this(code.name(), status, message);
    }

    /** An upstream's refusal passed on as it was (e.g. signing-service's {@code TokenExpired}). */
    public ImageException(String error, int status, String message) {
        super(message);
        this.error = error;
        this.status = status;
    }

    public String error() {
        return error;
    }

    public int status() {
        return status;
    }
}
