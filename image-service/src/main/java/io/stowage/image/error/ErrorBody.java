package io.stowage.image.error;

/** The error JSON every Stowage service answers with. */
public record ErrorBody(int statusCode, String error, String message) {
}
