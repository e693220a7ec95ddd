package io.stowage.contract;

/**
 * A stable machine-readable error code and the HTTP status it is answered with. The codes more than
 * one service answers, passes on or reads are {@link SharedErrorCode}; a service's own codes (tus's
 * {@code OffsetMismatch}, image-service's {@code InvalidImage}, ...) are an enum of that service
 * implementing this interface.
 */
public interface ErrorCode {

    /** The code as it stands in the body's {@code error}. */
    String name();

    /** The HTTP status of the answer. */
    int status();
}
