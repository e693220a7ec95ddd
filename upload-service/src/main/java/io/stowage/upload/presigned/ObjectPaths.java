package io.stowage.upload.presigned;

import io.stowage.upload.error.ErrorCode;
import io.stowage.upload.error.UploadException;

import java.nio.charset.StandardCharsets;

/** The rules an object name (its path in a bucket) must follow, the same as metadata-service's. */
public final class ObjectPaths {

    static final int MAX_BYTES = 1024;

    private ObjectPaths() {
    }

    public static String requireValid(String path) {
        if (path == null || path.isEmpty()) {
            throw invalid("path is required");
        }
        if (path.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            throw invalid("path is longer than " + MAX_BYTES + " bytes");
        }
        if (path.startsWith("/")) {
            throw invalid("path must not start with '/'");
        }
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                throw invalid("path must not contain control characters");
            }
            // A lone surrogate cannot be encoded as UTF-8: the name would change on its way to storage.
            if (Character.isSurrogate(c)) {
                boolean paired = Character.isHighSurrogate(c) && i + 1 < path.length()
                        && Character.isLowSurrogate(path.charAt(i + 1));
                if (!paired) {
                    throw invalid("path is not valid UTF-8");
                }
                i++;
            }
        }
        for (String segment : path.split("/", -1)) {
            if (segment.equals(".") || segment.equals("..")) {
                throw invalid("path must not contain '.' or '..' segments");
            }
        }
        return path;
    }

    private static UploadException invalid(String message) {
        return new UploadException(ErrorCode.InvalidObjectName, message);
    }
}
