package io.stowage.gateway.errors;

import io.stowage.edge.DependencyUnavailable;

import io.vertx.core.json.JsonObject;

/**
 * Stowage's error codes as Supabase Storage answers them: {@code {"statusCode": "404", "error":
 * "not_found", "message": "Object not found"}} (statusCode is a string there), with the HTTP status
 * Supabase uses: 400 for all but server failures.
 */
public final class SupabaseErrors {

    private SupabaseErrors() {
    }

    /** The Supabase form of one of Stowage's errors: HTTP status and body. */
    public record Rendered(int httpStatus, JsonObject body) {
    }

    /**
     * Supabase answers HTTP 400 for every storage error that is not a server failure, with the real
     * status in the body's {@code statusCode}; only rate limits, range and precondition answers keep
     * their HTTP status (they carry HTTP semantics a client acts on: Retry-After, Content-Range).
     */
    public static Rendered render(int status, String code, String message) {
        Rendered rendered = body(status, code, message);
        int http = rendered.httpStatus();
        boolean keep = http >= 500 || http == 304 || http == 412 || http == 416 || http == 429;
        return keep ? rendered : new Rendered(400, rendered.body());
    }

    private static Rendered body(int status, String code, String message) {
        if (DependencyUnavailable.isOutageCode(code)) {
            // a part is down: a server failure with Retry-After, named as the native API names it
            return of(503, "503", code, code, message);
        }
        return switch (code) {
            case "MissingAuthorization" -> of(400, "400", "InvalidRequest", "Error", "headers must have required property 'authorization'");
            case "BucketNotFound" -> of(404, "404", "NoSuchBucket", "Bucket not found", "Bucket not found");
            case "ObjectNotFound", "NotFound" -> of(404, "404", "NoSuchKey", "not_found", "Object not found");
            case "UploadNotFound" -> of(404, "404", "NoSuchUpload", "not_found", "Object not found");
            case "ObjectAlreadyExists" -> of(409, "409", "KeyAlreadyExists", "Duplicate", "The resource already exists");
            case "BucketAlreadyExists" -> of(409, "409", "BucketAlreadyExists", "Duplicate", "The resource already exists");
            case "BucketNotEmpty" -> of(409, "409", "InvalidRequest", "ResourceNotEmpty", "The bucket you tried to delete is not empty");
            case "PayloadTooLarge" -> of(413, "413", "EntityTooLarge", "Payload too large", "The object exceeded the maximum allowed size");
            case "InvalidMimeType" -> of(415, "415", "InvalidMimeType", "invalid_mime_type", message);
            case "InvalidBucketName" -> of(400, "400", "InvalidBucketName", "Invalid Input", "The bucket name is invalid: " + message);
            case "InvalidObjectName" -> of(400, "400", "InvalidKey", "Invalid Input", "The object name is invalid: " + message);
            case "Unauthorized", "InvalidToken", "TokenExpired" -> of(400, "403", "InvalidJWT", "Unauthorized", message);
            case "Forbidden", "WrongScope", "WrongObject" -> of(403, "403", "AccessDenied", "Unauthorized", message);
            case "PreconditionFailed" -> of(412, "412", "PreconditionFailed", "PreconditionFailed", message);
            case "TooManyRequests" -> of(429, "429", "SlowDown", "too_many_requests", message);
            default -> of(status, String.valueOf(status), status >= 500 ? "InternalError" : "InvalidRequest",
                    status >= 500 ? "internal" : "InvalidRequest", message);
        };
    }

    /** Supabase's body: statusCode (a string), code (its ErrorCode name, which storage-js reads), error, message. */
    private static Rendered of(int http, String statusCode, String code, String error, String message) {
        return new Rendered(http, new JsonObject().put("statusCode", statusCode).put("code", code).put("error", error)
                .put("message", message));
    }
}
