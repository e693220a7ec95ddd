package io.stowage.contract;

/**
 * The error codes of Stowage's services (docs/service-contracts.md) that more than one service answers,
 * passes on or reads, with the HTTP status each one means: one table, so that a code means the same in
 * every service. Outages are not here: a dependency that is down is {@code 503} with the code naming
 * it ({@code io.stowage.edge.DependencyUnavailable}).
 */
public enum SharedErrorCode implements ErrorCode {
    InvalidRequest(400),
    InvalidBucketName(400),
    InvalidObjectName(400),
    Unauthorized(401),
    /** signing-service: a token that is malformed, tampered with, or signed by an unknown or retired key. */
    InvalidToken(401),
    /** signing-service: a well-signed token past its expiry. */
    TokenExpired(401),
    Forbidden(403),
    /** A valid token used for another operation than it grants, e.g. a download token to upload. */
    WrongScope(403),
    /** A valid token used for another bucket, object or version than it names. */
    WrongObject(403),
    /** An image URL whose HMAC signature does not match its path. */
    InvalidSignature(403),
    /** No route here: a path no resource serves. */
    NotFound(404),
    BucketNotFound(404),
    ObjectNotFound(404),
    UploadNotFound(404),
    MethodNotAllowed(405),
    NotAcceptable(406),
    BucketAlreadyExists(409),
    ObjectAlreadyExists(409),
    BucketNotEmpty(409),
    UploadExpired(410),
    PreconditionFailed(412),
    PayloadTooLarge(413),
    /**
     * A write would take a bucket or an owner over its quota of stored bytes or objects (metadata-service
     * decides: at the write-check before any byte is sent, and again at registration).
     */
    QuotaExceeded(413),
    /** The bucket does not allow the content type. */
    InvalidMimeType(415),
    /** The HTTP layer's refusal of a body it cannot read (not a bucket's limit: that is InvalidMimeType). */
    UnsupportedMediaType(415),
    InternalError(500),
    /**
     * Another service or S3 answered, but with something this service cannot use (a refusal that is not
     * the caller's fault, a body it cannot read). One that does not answer at all is an outage: 503
     * with the dependency's own code.
     */
    UpstreamUnavailable(502);

    private final int status;

    SharedErrorCode(int status) {
        this.status = status;
    }

    @Override
    public int status() {
        return status;
    }
}
