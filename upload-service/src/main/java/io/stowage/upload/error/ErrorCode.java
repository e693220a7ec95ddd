package io.stowage.upload.error;

/** The contract's stable error codes that upload-service answers with, and their HTTP status. */
public enum ErrorCode {
    InvalidRequest(400),
    InvalidObjectName(400),
    Unauthorized(401),
    Forbidden(403),
    UploadNotFound(404),
    UploadExpired(410),
    PayloadTooLarge(413),
    InvalidMimeType(415),
    UploadMismatch(422),
    InternalError(500),
    UpstreamUnavailable(502);

    private final int status;

    ErrorCode(int status) {
        this.status = status;
    }

    public int status() {
        return status;
    }
}
