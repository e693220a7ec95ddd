package io.stowage.metadata.error;

/** The stable machine codes of docs/service-contracts.md, with the HTTP status each one means. */
public enum ErrorCode {
    InvalidRequest(400),
    InvalidBucketName(400),
    InvalidObjectName(400),
    Unauthorized(401),
    Forbidden(403),
    /** No route here: a path no resource serves. */
    NotFound(404),
    MethodNotAllowed(405),
    NotAcceptable(406),
    UnsupportedMediaType(415),
    BucketNotFound(404),
    ObjectNotFound(404),
    UploadNotFound(404),
    JobNotFound(404),
    BucketAlreadyExists(409),
    ObjectAlreadyExists(409),
    BucketNotEmpty(409),
    UploadExpired(410),
    PreconditionFailed(412),
    PayloadTooLarge(413),
    InvalidMimeType(415),
    InternalError(500),
    UpstreamUnavailable(503);

    private final int status;

    ErrorCode(int status) {
        this.status = status;
    }

    public int status() {
        return status;
    }
}
