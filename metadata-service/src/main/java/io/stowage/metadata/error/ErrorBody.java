package io.stowage.metadata.error;

/** The error shape of every route: {@code {"statusCode","error","message"}}. */
public record ErrorBody(int statusCode, String error, String message) {
}
