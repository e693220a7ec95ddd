package io.stowage.upload.error;

/** The contract's stable error codes that upload-service answers with, and their HTTP status. */
public enum ErrorCode {
    InvalidRequest(400),
    InvalidObjectName(400),
    Unauthorized(401),
    Forbidden(403),
    UploadNotFound(404),
    MethodNotAllowed(405),
    /** tus: a PATCH whose Upload-Offset is not where the upload stands. */
    OffsetMismatch(409),
    UploadExpired(410),
    /** tus: a request without the protocol version this server speaks. */
    UnsupportedVersion(412),
    PayloadTooLarge(413),
    InvalidMimeType(415),
    /** tus: a PATCH body that is not application/offset+octet-stream. */
    UnsupportedMediaType(415),
    UploadMismatch(422),
    /** tus: another request is writing the upload. */
    UploadLocked(423),
    /** tus: the body does not match its Upload-Checksum (the checksum extension's status). */
    ChecksumMismatch(460),
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
