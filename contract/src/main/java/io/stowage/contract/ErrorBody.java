package io.stowage.contract;

/**
 * The error JSON every Stowage service answers with: {@code {"statusCode","error","message"}}, where
 * {@code error} is a stable machine-readable code ({@link ErrorCode}) and {@code statusCode} the HTTP
 * status. (The gateway renders it in Supabase Storage's shape on the Supabase routes.)
 */
public record ErrorBody(int statusCode, String error, String message) {

    /** The body of a code answered with its usual status. */
    public static ErrorBody of(ErrorCode code, String message) {
        return new ErrorBody(code.status(), code.name(), message);
    }
}
