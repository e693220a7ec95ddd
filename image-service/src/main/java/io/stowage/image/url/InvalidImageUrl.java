package io.stowage.image.url;

/** The URL does not follow the syntax; the message says which part. */
public class InvalidImageUrl extends IllegalArgumentException {

    public InvalidImageUrl(String message) {
        super(message);
    }
}
