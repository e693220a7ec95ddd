package io.stowage.signing.presign;

import io.stowage.signing.error.SigningException;

import java.nio.charset.StandardCharsets;

/** What a blob key may look like before anything is signed for it. */
public final class BlobKeys {

    static final int MAX_KEY_BYTES = 1024;

    private BlobKeys() {
    }

    /**
     * Refuses keys that could escape the blob namespace or be read differently by S3 and by a
     * proxy in front of it: empty, absolute, with {@code .} or {@code ..} segments, empty
     * segments, control characters, or longer than S3's 1024 bytes.
     */
    public static String requireValid(String key) {
        if (key == null || key.isEmpty()) {
            throw new SigningException.InvalidRequest("key is required");
        }
        if (key.getBytes(StandardCharsets.UTF_8).length > MAX_KEY_BYTES) {
            throw new SigningException.InvalidRequest("key is longer than " + MAX_KEY_BYTES + " bytes");
        }
        if (key.startsWith("/")) {
            throw new SigningException.InvalidRequest("key must not start with '/'");
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                throw new SigningException.InvalidRequest("key must not contain control characters");
            }
        }
        for (String segment : key.split("/", -1)) {
            if (segment.equals("..") || segment.equals(".")) {
                throw new SigningException.InvalidRequest("key must not contain '.' or '..' segments");
            }
            if (segment.isEmpty()) {
                throw new SigningException.InvalidRequest("key must not contain empty segments");
            }
        }
        return key;
    }
}
