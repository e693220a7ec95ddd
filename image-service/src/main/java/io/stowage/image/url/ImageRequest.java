package io.stowage.image.url;

/**
 * A parsed image URL: the rendering and the object it applies to.
 *
 * @param signature the Thumbor signature segment ({@code unsafe} for none), null on Supabase routes
 * @param signedPath the exact text the Thumbor signature covers (everything after the signature segment)
 * @param bucket    the bucket, decoded
 * @param name      the object name, decoded (may contain {@code /})
 */
public record ImageRequest(String signature, String signedPath, String bucket, String name, ImageOptions options) {

    public static final String UNSAFE = "unsafe";

    public boolean unsafe() {
        return UNSAFE.equals(signature);
    }
}
