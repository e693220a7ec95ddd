package io.stowage.image.vips;

/** libvips refused or failed an operation; the message is libvips' own error buffer. */
public class VipsException extends RuntimeException {

    public VipsException(String message) {
        super(message);
    }

    public VipsException(String message, Throwable cause) {
        super(message, cause);
    }
}
