package io.stowage.image.error;

/** The stable error codes of image-service and their HTTP status. */
public enum ErrorCode {
    InvalidRequest(400),
    Unauthorized(401),
    Forbidden(403),
    InvalidSignature(403),
    ObjectNotFound(404),
    PayloadTooLarge(413),
    InvalidMimeType(415),
    InvalidImage(422),
    UpstreamUnavailable(502),
    Overloaded(503);

    private final int status;

    ErrorCode(int status) {
        this.status = status;
    }

    public int status() {
        return status;
    }
}
