package io.stowage.upload.error;

/** The error shape shared by every Stowage service: {@code {"statusCode","error","message"}}. */
public record ErrorBody(int statusCode, String error, String message) {
}
