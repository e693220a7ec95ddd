package io.stowage.gateway.supabase;

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
        return switch (code) {
            case "MissingAuthorization" -> of(400, "400", "Error", "headers must have required property 'authorization'");
            case "BucketNotFound" -> of(404, "404", "Bucket not found", "Bucket not found");
            case "ObjectNotFound", "NotFound", "UploadNotFound" -> of(404, "404", "not_found", "Object not found");
            case "BucketAlreadyExists", "ObjectAlreadyExists" -> of(409, "409", "Duplicate", "The resource already exists");
            case "BucketNotEmpty" -> of(409, "409", "ResourceNotEmpty", "The bucket you tried to delete is not empty");
            case "PayloadTooLarge" -> of(413, "413", "Payload too large", "The object exceeded the maximum allowed size");
            case "InvalidMimeType" -> of(415, "415", "invalid_mime_type", message);
            case "InvalidBucketName" -> of(400, "400", "Invalid Input", "The bucket name is invalid: " + message);
            case "InvalidObjectName" -> of(400, "400", "Invalid Input", "The object name is invalid: " + message);
            case "Unauthorized", "InvalidToken", "TokenExpired" -> of(400, "403", "Unauthorized", message);
            case "Forbidden", "WrongScope", "WrongObject" -> of(403, "403", "Unauthorized", message);
            case "PreconditionFailed" -> of(412, "412", "PreconditionFailed", message);
            case "TooManyRequests" -> of(429, "429", "too_many_requests", message);
            default -> of(status, String.valueOf(status), status >= 500 ? "internal" : "InvalidRequest", message);
        };
    }

    private static Rendered of(int http, String statusCode, String error, String message) {
        return new Rendered(http, new JsonObject().put("statusCode", statusCode).put("error", error).put("message", message));
    }
}
